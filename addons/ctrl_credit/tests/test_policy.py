# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CtrlCreditCase

# What the one switch sets (issue #22): {field: (Odoo defaults, seed policy)}.
ODOO_DEFAULTS = {
    "ctrl_credit_native_limit_mode": "warn", "ctrl_credit_ungraded_cash_only": False,
    "ctrl_credit_file_required": False, "ctrl_credit_limit_change_approval": "graded",
    "ctrl_credit_note_approval": False, "ctrl_credit_checklist_all": False,
    "ctrl_return_approval": False, "ctrl_return_inspection": False, "ctrl_pricelist_approval": False,
}
SEED_POLICY = {
    "ctrl_credit_native_limit_mode": "block", "ctrl_credit_ungraded_cash_only": True,
    "ctrl_credit_file_required": True, "ctrl_credit_limit_change_approval": "all",
    "ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 0.0,
    "ctrl_credit_over_limit_mode": "block", "ctrl_credit_overdue_mode": "block", "ctrl_credit_cash_mode": "block",
    "ctrl_credit_order_approval": True, "ctrl_credit_checklist_all": True,
    "ctrl_return_approval": True, "ctrl_return_inspection": True, "ctrl_pricelist_approval": True,
}


@tagged("post_install", "-at_install")
class TestPolicySwitch(CtrlCreditCase):
    def _values(self, company, names):
        return {name: company[name] for name in names}

    def test_a_new_company_keeps_odoo_defaults(self):
        company = self.env["res.company"].create({"name": "Policy Fresh Co"})
        self.assertEqual(company.ctrl_policy, "odoo")
        self.assertEqual(self._values(company, ODOO_DEFAULTS), ODOO_DEFAULTS)
        seeded = self.env["res.company"].create({"name": "Policy Seed Co", "ctrl_policy": "seed"})
        self.assertEqual(self._values(seeded, SEED_POLICY), SEED_POLICY)

    def test_seed_policy_sets_every_must_rule_at_once(self):
        self.company.ctrl_policy = "seed"
        self.assertEqual(self._values(self.company, SEED_POLICY), SEED_POLICY)
        # Each setting stays editable on its own; the policy stays chosen.
        self.company.ctrl_credit_note_threshold = 500.0
        self.assertEqual((self.company.ctrl_policy, self.company.ctrl_credit_note_threshold), ("seed", 500.0))
        # Saved together with the switch, a setting given explicitly wins.
        self.company.write({"ctrl_policy": "odoo", "ctrl_credit_file_required": True})
        expected = dict(ODOO_DEFAULTS, ctrl_credit_file_required=True)
        self.assertEqual(self._values(self.company, ODOO_DEFAULTS), expected)
        self.assertEqual(self.company.ctrl_credit_over_limit_mode, "block", "graded holds are kept")

    def test_switch_through_the_settings_screen(self):
        settings = self.env["res.config.settings"].new({"ctrl_policy": "odoo"})
        settings.ctrl_policy = "seed"
        settings._onchange_ctrl_policy()
        self.assertEqual((settings.ctrl_credit_note_approval, settings.ctrl_credit_native_limit_mode),
                         (True, "block"), "the form shows what the switch sets")
        # Saved with only the policy changed, the company sets the rest itself (server side).
        self.env["res.config.settings"].create({"ctrl_policy": "seed"}).execute()
        self.assertEqual(self._values(self.company, SEED_POLICY), SEED_POLICY)

    def test_seed_policy_blocks_limit_only_customers_and_holds_credit_notes(self):
        plain = self.env["res.partner"].create({"name": "Limit Only", "is_company": True, "credit_limit": 50})
        warned = self._order(partner=plain, qty=10)
        warned.action_confirm()
        self.assertEqual(warned.state, "sale", "Odoo defaults: a warning only")
        # Isolated from 003/R1.1 (the test company's price list is not approved): see test_pricelist.py.
        self.company.write({"ctrl_policy": "seed", "ctrl_pricelist_approval": False})
        order = self._order(partner=plain, qty=10)
        with self.assertRaisesRegex(UserError, "[Cc]redit"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[1])
        refund.invoice_user_id = self.salesman
        refund.with_user(self.salesman).sudo().action_post()
        self.assertEqual(refund.state, "draft", "003/R1.30: an allowance waits for the sales supervisor")
        refund._ctrl_approval_requests("allowance", ["pending"]).with_user(self.sales_mgr).action_approve()
        self.assertEqual(refund.state, "draft", "003/R1.33: every credit note waits for the finance supervisor")
        self.assertTrue(refund._ctrl_approval_requests("credit_note", ["pending"]))

    def test_seed_policy_asks_the_checklist_of_every_credit_sale(self):
        """003/R1.9 (赊销行为应签订销售合同): under the seed policy a small credit order needs the
        checklist too; under Odoo defaults only from 100,000."""
        order = self._order(qty=1)
        self.assertEqual(order._ctrl_credit_checklist_missing(), [])
        self.company.ctrl_policy = "seed"
        self.assertTrue(order._ctrl_credit_checklist_missing())

    def test_only_administrators_switch(self):
        for user in (self.salesman, self.sales_mgr, self.finance):
            with self.assertRaises(AccessError):
                self.company.with_user(user).write({"ctrl_policy": "seed"})
            with self.assertRaises(AccessError):
                self.env["res.config.settings"].with_user(user).create({"ctrl_policy": "seed"}).execute()
        self.assertEqual(self.company.ctrl_policy, "odoo")
        self.assertEqual(self.company.ctrl_credit_note_approval, False)
