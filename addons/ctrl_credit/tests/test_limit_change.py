# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlCreditCase


@tagged("post_install", "-at_install")
class TestLimitChange(CtrlCreditCase):
    """Issue 3 section 4: limit, grade and term changes outside an approved
    evaluation go through the ctrl_base rules of kind 'limit_change'."""

    def _established(self, partner):
        """An approved evaluation that rated ``partner`` as an established customer."""
        evaluation = self.env["ctrl.credit.evaluation"].sudo().create({
            "partner_id": partner.id, "new_customer": False, "company_id": self.company.id})
        evaluation.write({"state": "approved", "is_current": True})

    def _approve(self, change, *users):
        request = change._ctrl_approval_requests("limit_change", ["pending"])
        for user in users:
            request.with_user(user).action_approve()
        return request

    def test_limit_change_waits_for_the_committee(self):
        self._established(self.customer)
        partner = self.customer.with_company(self.company)
        partner.write({"credit_limit": 20000.0, "comment": "raised after the trade fair"})
        self.assertEqual(partner.credit_limit, 10000.0, "the limit does not change directly")
        self.assertIn("trade fair", partner.comment, "the other fields are written")
        self.assertTrue(partner.ctrl_credit_change_pending)
        change = partner.ctrl_credit_change_ids
        self.assertEqual((change.state, change.old_limit, change.new_limit, change.gm_required),
                         ("pending", 10000.0, 20000.0, False))
        request = change._ctrl_approval_requests("limit_change", ["pending"])
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_limit_change"))
        with self.assertRaises(AccessError):
            request.with_user(self.finance).action_approve()  # the sales manager decides first
        self._approve(change, self.sales_mgr)
        self.assertEqual(partner.credit_limit, 10000.0, "not before finance approves")
        self._approve(change, self.finance)
        self.assertEqual(change.state, "approved")
        self.assertEqual(partner.credit_limit, 20000.0)
        self.assertFalse(partner.ctrl_credit_change_pending)
        self.assertTrue(any(change.name in (m.body or "") for m in partner.message_ids))

    def test_requester_cannot_approve(self):
        self._established(self.customer)
        mgr = self.sales_mgr
        mgr.groups_id += self.env.ref("account.group_account_invoice")
        self.customer.with_user(mgr).with_company(self.company).credit_limit = 15000.0
        change = self.customer.ctrl_credit_change_ids
        with self.assertRaisesRegex(AccessError, "segregation of duties"):
            self._approve(change, mgr)
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 10000.0)

    def test_rpc_context_key_does_not_bypass(self):
        # A client can send any context key, but the key counts only in superuser mode.
        partner = self.customer.with_company(self.company).with_context(ctrl_credit_limit_approved=True)
        partner.write({"credit_limit": 99999.0})
        self.assertEqual(partner.credit_limit, 10000.0)
        self.assertEqual(partner.ctrl_credit_change_ids.state, "pending")

    def test_grade_and_term_changes(self):
        self._established(self.customer)
        partner = self.customer.with_company(self.company)
        partner.write({"ctrl_credit_grade_id": self.grade_data["D"].id, "ctrl_credit_term_days": 45})
        self.assertEqual(partner.ctrl_credit_grade_id, self.grade_data["B"])
        change = partner.ctrl_credit_change_ids
        self.assertTrue(change.change_grade and change.change_term and not change.change_limit)
        with self.assertRaisesRegex(UserError, "already waiting for approval"):
            partner.write({"credit_limit": 1.0})
        self._approve(change, self.sales_mgr, self.finance)
        self.assertEqual(partner.ctrl_credit_grade_id, self.grade_data["D"])
        self.assertEqual(partner.ctrl_credit_term_days, 45)
        self.assertEqual(partner.credit_limit, 10000.0)

    def test_rejection_leaves_the_limit(self):
        self._established(self.customer)
        partner = self.customer.with_company(self.company)
        partner.credit_limit = 50000.0
        change = partner.ctrl_credit_change_ids
        request = change._ctrl_approval_requests("limit_change", ["pending"])
        request.with_user(self.sales_mgr).action_reject("No payment history for that amount")
        self.assertEqual(change.state, "draft", "a rejection returns the change to draft")
        self.assertEqual(partner.credit_limit, 10000.0)
        partner.credit_limit = 12000.0  # a new request is possible after the decision
        self.assertEqual(len(partner.ctrl_credit_change_ids), 2)
        self.assertEqual(change.state, "cancel", "the rejected draft is superseded")

    def test_new_customer_above_share_needs_the_gm(self):
        # Grade B: default limit 100,000; new customers get 50%.
        partner = self.customer.with_company(self.company)
        partner.credit_limit = 40000.0
        within = partner.ctrl_credit_change_ids
        self.assertTrue(within.new_customer)
        self.assertFalse(within.gm_required, "within 50% of the grade's limit")
        within.action_cancel()
        self.assertEqual(within.state, "cancel")
        partner.credit_limit = 60000.0
        above = partner.ctrl_credit_change_ids.filtered(lambda c: c.state == "pending")
        self.assertTrue(above.gm_required)
        request = self._approve(above, self.sales_mgr, self.finance)
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_limit_change_gm"))
        self.assertEqual(partner.credit_limit, 10000.0, "the GM has not decided yet")
        self._approve(above, self.gm)
        self.assertEqual(partner.credit_limit, 60000.0)

    def test_giving_a_grade_and_creating_graded_partners(self):
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True})
        plain.with_company(self.company).credit_limit = 5000.0  # ungraded: Odoo's own behaviour
        self.assertEqual(plain.with_company(self.company).credit_limit, 5000.0)
        plain.with_company(self.company).ctrl_credit_grade_id = self.grade_data["A"]
        self.assertFalse(plain.with_company(self.company).ctrl_credit_grade_id)
        self.assertEqual(plain.ctrl_credit_change_ids.new_grade_id, self.grade_data["A"])
        created = self.env["res.partner"].create({"name": "Graded at birth", "is_company": True,
                                                  "ctrl_credit_grade_id": self.grade_data["A"].id,
                                                  "credit_limit": 70000.0})
        self.assertFalse(created.with_company(self.company).ctrl_credit_grade_id)
        self.assertEqual(created.with_company(self.company).credit_limit, 0.0)
        change = created.ctrl_credit_change_ids
        self.assertEqual((change.new_limit, change.new_grade_id), (70000.0, self.grade_data["A"]))

    def test_scope_all_and_off(self):
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True})
        self.company.ctrl_credit_limit_change_approval = "all"
        plain.with_company(self.company).credit_limit = 5000.0
        self.assertEqual(plain.with_company(self.company).credit_limit, 0.0)
        self.assertEqual(plain.ctrl_credit_change_ids.new_limit, 5000.0)
        self.company.ctrl_credit_limit_change_approval = "off"
        self.customer.with_company(self.company).credit_limit = 1234.0
        self.assertEqual(self.customer.with_company(self.company).credit_limit, 1234.0)

    def test_contacts_follow_their_company(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        self.assertEqual(contact.with_company(self.company).credit_limit, 10000.0)
        self.assertFalse(contact.ctrl_credit_change_ids)

    def test_negative_limit(self):
        with self.assertRaisesRegex(UserError, "cannot be negative"):
            self.customer.with_company(self.company).credit_limit = -5.0
        self.assertFalse(self.customer.ctrl_credit_change_ids)

    def test_multi_company(self):
        other = self.setup_other_company()["company"]
        self.customer.with_company(self.company).credit_limit = 30000.0
        change = self.customer.ctrl_credit_change_ids
        outsider = new_test_user(self.env, "cc_other_co", groups="ctrl_credit.group_credit_user",
                                 company_id=other.id, company_ids=[Command.set(other.ids)])
        self.assertFalse(self.env["ctrl.credit.limit.change"].with_user(outsider).search([("id", "=", change.id)]))
        self.assertTrue(self.env["ctrl.credit.limit.change"].with_user(self.salesman).search([("id", "=", change.id)]))
        # the other company's limit is its own: the customer is ungraded there
        self.customer.with_company(other).credit_limit = 777.0
        self.assertEqual(self.customer.with_company(other).credit_limit, 777.0)
