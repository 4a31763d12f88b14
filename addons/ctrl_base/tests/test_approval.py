# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from lxml import etree

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CtrlBaseCase


@tagged("post_install", "-at_install")
class TestApproval(CtrlBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.g_mgr = cls.env.ref("ctrl_base.group_approver_sales_manager")
        cls.g_gm = cls.env.ref("ctrl_base.group_approver_gm")
        cls.small = cls._rule("Small", [cls.g_mgr], 0, 100000)
        cls.large = cls._rule("Large", [cls.g_mgr, cls.g_gm], 100000, 0)

    def _record(self, amount, user=None):
        return self.Record.with_user(user or self.clerk).create({"name": "Deal", "amount_total": amount})

    def test_rule_by_amount_band(self):
        self.assertEqual(self._record(500)._ctrl_approval_rule(), self.small)
        self.assertEqual(self._record(100000)._ctrl_approval_rule(), self.large)
        self.assertEqual(self._record(99999.99)._ctrl_approval_rule(), self.small)

    def test_chain_in_order_and_final_step(self):
        record = self._record(250000)
        request = record._ctrl_request_approval(reason="big deal")
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.rule_step_id.group_id, self.g_mgr)
        # The GM cannot skip the manager's step.
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_approve()
        request.with_user(self.manager).action_approve("ok")
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.current_step_id.rule_step_id.group_id, self.g_gm)
        self.assertFalse(record.approved)
        request.with_user(self.gm).action_approve()
        self.assertEqual(request.state, "approved")
        self.assertTrue(record.approved, "the record's hook runs on final approval")
        self.assertTrue(record._ctrl_is_approved())
        self.assertEqual(request.step_ids.mapped("user_id"), self.manager | self.gm)
        # Logged on both chatters.
        self.assertTrue(any(request.name in (m.body or "") for m in record.message_ids))
        self.assertTrue(request.message_ids)

    def test_pending_request_is_reused(self):
        record = self._record(10)
        first = record._ctrl_request_approval()
        self.assertEqual(record._ctrl_request_approval(), first)
        self.assertTrue(record.ctrl_approval_pending)
        self.assertEqual(record.ctrl_approval_count, 1)

    def test_no_rule_no_request(self):
        record = self._record(10)
        self.assertFalse(record._ctrl_request_approval(kind="unknown"))
        self.assertFalse(record._ctrl_needs_approval(kind="unknown"))
        self.assertTrue(record._ctrl_needs_approval())

    def test_requester_cannot_approve(self):
        requester = self.manager
        record = self._record(10, user=self.clerk)
        request = record.with_user(requester)._ctrl_request_approval()
        with self.assertRaisesRegex(AccessError, "segregation of duties"):
            request.with_user(requester).action_approve()

    def test_preparer_cannot_approve(self):
        # The manager prepared the record; the clerk requests; the manager may not approve.
        record = self._record(10, user=self.manager)
        request = record.with_user(self.clerk)._ctrl_request_approval()
        self.assertEqual(request.prepared_by_id, self.manager)
        with self.assertRaisesRegex(AccessError, "prepared"):
            request.with_user(self.manager).action_approve()
        self.assertFalse(request.with_user(self.manager).can_decide)

    def test_group_checked_on_server(self):
        request = self._record(10)._ctrl_request_approval()
        with self.assertRaises(AccessError):
            request.with_user(self.admin_ctrl).action_approve()
        self.assertEqual(request.state, "pending")

    def test_rpc_write_cannot_approve(self):
        request = self._record(10)._ctrl_request_approval()
        with self.assertRaises(AccessError):
            request.with_user(self.clerk).write({"state": "approved"})
        with self.assertRaises(AccessError):
            request.current_step_id.with_user(self.manager).write({"state": "approved"})

    def test_reject_needs_reason_and_calls_hook(self):
        record = self._record(10)
        request = record._ctrl_request_approval()
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_reject()
        request.with_user(self.manager).action_reject("no budget")
        self.assertEqual(request.state, "rejected")
        self.assertTrue(record.rejected)
        self.assertFalse(record._ctrl_is_approved())

    def test_cancel_by_requester(self):
        record = self._record(10)
        request = record.with_user(self.clerk)._ctrl_request_approval()
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_cancel()
        request.with_user(self.clerk).action_cancel()
        self.assertEqual(request.state, "cancel")
        self.assertFalse(record.approved or record.rejected)

    def test_buttons_shown_only_to_whom_the_server_allows(self):
        """Issue 21: Approve, Reject and Withdraw follow the server's checks for the current user."""
        record = self._record(10)
        request = record.with_user(self.clerk)._ctrl_request_approval()
        for user, decide, withdraw in ((self.clerk, False, True), (self.manager, True, False),
                                       (self.gm, False, False), (self.admin_ctrl, False, True)):
            with self.subTest(user=user.login):
                mine = request.with_user(user)
                self.assertEqual((mine.can_decide, mine.can_withdraw), (decide, withdraw))
                self.assertEqual(record.with_user(user).ctrl_approval_can_withdraw, withdraw)
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_cancel()
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_approve()
        arch = self.env["ctrl.approval.request"].get_views([(False, "form")])["views"]["form"]["arch"]
        buttons = {button.get("name"): button.get("invisible") for button in etree.fromstring(arch).iter("button")}
        self.assertEqual(buttons["action_cancel"], "not can_withdraw")
        self.assertEqual(buttons["action_open_approve"], "not can_decide")
        self.assertEqual(buttons["action_open_reject"], "not can_decide")
        dialog = request.with_user(self.manager).action_open_approve()
        self.assertEqual(dialog["name"], f"Approve {request.name}", "the dialog is not titled 'Odoo'")
        request.with_user(self.manager).action_approve()
        self.assertFalse(request.with_user(self.clerk).can_withdraw, "nothing left to withdraw")
        self.assertFalse(request.with_user(self.manager).can_decide)

    def test_requests_group_by_document_type_not_model(self):
        request = self._record(10)._ctrl_request_approval()
        labels = dict(request._fields["document_type"]._description_selection(self.env))
        self.assertEqual(labels[request.document_type], self.model.name)
        self.assertNotIn(".", labels[request.document_type])

    def test_activities_for_the_approvers(self):
        request = self._record(10)._ctrl_request_approval()
        self.assertIn(self.manager, request.with_user(self.manager).activity_ids.user_id)
        request.with_user(self.manager).action_approve()
        self.assertFalse(request.sudo().activity_ids)

    def test_reviewer_field_step(self):
        rule = self._rule("By field", [], kind="owner")
        rule.step_ids = [(0, 0, {"name": "Owner", "reviewer_field": "user_id"})]
        record = self.Record.with_user(self.clerk).create({"name": "x", "user_id": self.gm.id})
        request = record.with_user(self.manager)._ctrl_request_approval(kind="owner")
        with self.assertRaises(AccessError):
            request.with_user(self.admin_ctrl).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(request.state, "approved")

    def test_foreign_currency_amount(self):
        currency = self.env.ref("base.EUR") if self.company.currency_id != self.env.ref("base.EUR") \
            else self.env.ref("base.USD")
        currency.active = True
        self.env["res.currency.rate"].create({"currency_id": currency.id, "rate": 0.5, "company_id": self.company.id})
        record = self.Record.create({"name": "fx", "amount_total": 60000, "currency_id": currency.id})
        # 60,000 at 0.5 per company unit is 120,000 in company currency.
        self.assertEqual(record._ctrl_approval_rule(), self.large)

    def test_bad_bands(self):
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self._rule("Overlap", [self.g_gm], 50000, 200000)
        with self.assertRaisesRegex(ValidationError, "gap"):
            self.large.amount_min = 120000
        with self.assertRaisesRegex(ValidationError, "negative"):
            self._rule("Neg", [self.g_gm], -1, 0, kind="other")
        with self.assertRaisesRegex(ValidationError, "greater"):
            self._rule("Inverted", [self.g_gm], 500, 100, kind="other")

    def test_bad_step(self):
        with self.assertRaisesRegex(ValidationError, "approver group or a reviewer field"):
            self._rule("No approver", [], kind="x").step_ids = [(0, 0, {"name": "nobody"})]
        with self.assertRaisesRegex(ValidationError, "must lead"):
            self._rule("Bad path", [], kind="y").step_ids = [(0, 0, {"name": "p", "reviewer_field": "name"})]

    def test_bad_domain(self):
        with self.assertRaisesRegex(ValidationError, "domain"):
            self._rule("Bad domain", [self.g_gm], kind="z", domain="[('nope', '=', 1)]")

    def test_multi_company_rule_isolation(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self._rule("Other company", [self.g_gm], kind="mc", company_id=other.id)
        record = self._record(10)
        self.assertFalse(record._ctrl_approval_rule(kind="mc"), "another company's rule does not apply")
        user = self.clerk
        self.assertFalse(self.env["ctrl.approval.rule"].with_user(user).search([("company_id", "=", other.id)]))
