# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attacks by users holding only their own groups, as an RPC client makes
them: any context key, any public method, create/write/unlink."""
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlCreditCase

CLIENT_KEYS = {"ctrl_credit_checked": True, "ctrl_credit_limit_approved": True, "install_module": "ctrl_credit",
               "ctrl_credit_note_approved": True}


@tagged("post_install", "-at_install")
class TestAttacks(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ctrl_credit_checklist_amount = 0
        cls.company.ctrl_credit_order_approval = True
        cls.big = cls.env["res.partner"].create({"name": "Big Customer", "is_company": True})
        cls._grade(cls.big, "A", limit=100000000)
        cls.accountant = new_test_user(
            cls.env, "cc_billing", groups="account.group_account_invoice", company_id=cls.company.id,
            company_ids=[Command.set(cls.company.ids)])

    # Helpers ------------------------------------------------------------------
    def _value_request(self, order, states=("pending",)):
        return order._ctrl_approval_requests("order_value", list(states))

    def _logged(self, record, text):
        return any(text in (message.body or "") for message in record.message_ids)

    def _evaluation(self, scores, user=None):
        criteria = self.env["ctrl.credit.criterion"].search([("company_id", "=", self.company.id)])
        if not criteria:
            for i, name in enumerate(("Character", "Capacity", "Capital", "Collateral", "Conditions")):
                self.env["ctrl.credit.criterion"].create({"name": name, "sequence": i, "weight": 20,
                                                          "scale_max": 10, "company_id": self.company.id})
        evaluation = self.env["ctrl.credit.evaluation"].with_user(user or self.salesman).create({
            "partner_id": self.customer.id, "new_customer": True})
        for line, score in zip(evaluation.line_ids, scores):
            line.score = score
        return evaluation

    # 1. The context key that skipped the checks --------------------------------
    def test_attack1_context_key_skips_nothing(self):
        over = self._order(qty=101)  # 10,100 over the 10,000 limit
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            over.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            over.with_user(self.salesman).with_context(**CLIENT_KEYS).write({"state": "sale"})
        self.assertEqual(over.state, "draft")
        self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", note="Cheque bounced")
        held = self._order(qty=1)
        with self.assertRaisesRegex(UserError, "Manual"):
            held.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        self.assertEqual(held.state, "draft")
        valued = self._order(partner=self.big, qty=1500)  # 150,000: the sales manager's band
        result = valued.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(valued.state, "draft")
        self.assertTrue(self._value_request(valued))
        with self.assertRaisesRegex(UserError, "approval by value"):
            valued.with_user(self.salesman).with_context(**CLIENT_KEYS).write({"state": "sale"})
        self.assertEqual(valued.state, "draft")

    # 2. The approval by value is bound to the order approved ---------------------
    def test_attack2_raise_while_pending_withdraws_the_request(self):
        order = self._order(partner=self.big, qty=1500)  # 150,000
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_order_value_manager"))
        order.with_user(self.salesman).order_line.write({"product_uom_qty": 150000})  # x100: 15,000,000
        self.assertEqual(request.state, "cancel", "the change withdrew the request")
        self.assertTrue(self._logged(order, "changed while it waited for approval"))
        with self.assertRaises(AccessError):
            request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "draft")
        order.with_user(self.salesman).action_confirm()
        new = self._value_request(order)
        self.assertEqual(new.rule_id, self.env.ref("ctrl_credit.approval_order_value_gm"))
        with self.assertRaises(AccessError):
            new.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "draft")
        new.with_user(self.gm).action_approve()
        self.assertEqual(order.state, "sale")

    def test_attack2_new_line_or_price_while_pending(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        self.env["sale.order.line"].with_user(self.salesman).create({
            "order_id": order.id, "product_id": self.product.id, "product_uom_qty": 1, "price_unit": 10.0,
            "tax_id": [Command.clear()]})
        self.assertEqual(request.state, "cancel")
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        order.with_user(self.salesman).write({"order_line": [Command.update(order.order_line[0].id,
                                                                            {"price_unit": 300.0})]})
        self.assertEqual(request.state, "cancel")

    def test_attack2_ctrl_base_refuses_a_changed_order(self):
        # A change that no hook saw (here straight in the database): the fingerprint still refuses it.
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        self.env.flush_all()
        self.env.cr.execute("UPDATE sale_order_line SET price_unit = 10000 WHERE order_id = %s", [order.id])
        self.env.invalidate_all()
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            request.with_user(self.sales_mgr).action_approve()
        self.assertEqual((request.state, order.state), ("pending", "draft"))
        self.assertFalse(order._ctrl_is_approved("order_value"))

    def test_attack2_changed_after_approval_needs_a_new_one(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.big, "manual")  # the approval cannot confirm it
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual((request.state, order.state), ("approved", "draft"))
        self.assertTrue(order._ctrl_is_approved("order_value"))
        hold._ctrl_lift("cleared")
        order.with_user(self.salesman).order_line.write({"product_uom_qty": 150000})
        self.assertFalse(order._ctrl_is_approved("order_value"), "the approval was for 150,000")
        with self.assertRaisesRegex(UserError, "approval by value"):
            order.with_user(self.salesman).write({"state": "sale"})
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._value_request(order).rule_id, self.env.ref("ctrl_credit.approval_order_value_gm"))

    # 3. Cancel, back to draft, raise, confirm ------------------------------------
    def test_attack3_cancel_voids_the_approval(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale")
        order.with_user(self.salesman).with_context(disable_cancel_warning=True).action_cancel()
        self.assertEqual((order.state, request.state), ("cancel", "cancel"))
        self.assertTrue(self._logged(order, "Approval by value voided"))
        order.with_user(self.salesman).action_draft()
        order.with_user(self.salesman).order_line.write({"product_uom_qty": 15000})  # x10: 1,500,000
        with self.assertRaisesRegex(UserError, "approval by value"):
            order.with_user(self.salesman).write({"state": "sale"})
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft", "confirming again needs a new approval")
        self.assertEqual(self._value_request(order).rule_id, self.env.ref("ctrl_credit.approval_order_value_vp"))

    def test_attack3_confirmed_order_raised_above_its_band(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        self._value_request(order).with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale")
        with self.assertRaisesRegex(UserError, "needs another approval"):
            order.with_user(self.salesman).order_line.write({"product_uom_qty": 15000})  # x10: the VP's band
        self.assertEqual(order.order_line.product_uom_qty, 1500)
        order.with_user(self.salesman).order_line.write({"product_uom_qty": 1600})  # within the approved band

    def test_attack3_same_order_back_from_cancel_needs_approval_again(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        pending = self._value_request(order)
        order.with_user(self.salesman).action_cancel()  # cancelled while waiting
        self.assertEqual(pending.state, "cancel")
        order.with_user(self.salesman).action_draft()
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self._value_request(order).state, "pending")

    def test_attack3_deleted_order_leaves_no_pending_request(self):
        order = self._order(partner=self.big, qty=1500)
        order.with_user(self.salesman).action_confirm()
        request = self._value_request(order)
        with self.assertRaises(AccessError):
            order.with_user(self.salesman).unlink()
        self.assertEqual(request.state, "pending")
        order.with_user(self.sales_mgr).unlink()
        self.assertEqual(request.state, "cancel")

    # 4. A held order resurrected by a write of the state -------------------------
    def test_attack4_write_sale_from_any_state(self):
        self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual")
        order = self._order(qty=1)
        order.with_user(self.salesman).action_cancel()
        self.assertEqual(order.state, "cancel")
        with self.assertRaisesRegex(UserError, "Manual"):
            order.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(order.state, "cancel")
        order.with_user(self.salesman).action_draft()
        order.with_user(self.salesman).write({"state": "sent"})
        with self.assertRaisesRegex(UserError, "Manual"):
            order.with_user(self.salesman).write({"state": "sale", "note": "resurrected"})
        self.assertEqual(order.state, "sent")
        valued = self._order(partner=self.big, qty=1500)
        valued.with_user(self.salesman).action_cancel()
        with self.assertRaisesRegex(UserError, "approval by value"):
            valued.with_user(self.salesman).write({"state": "sale"})
        self.assertEqual(valued.state, "cancel")
        # Nor in the same write as the change that raises it.
        small = self._order(partner=self.big, qty=1)
        with self.assertRaisesRegex(UserError, "approval by value"):
            small.with_user(self.salesman).write({
                "state": "sale", "order_line": [Command.update(small.order_line.id, {"product_uom_qty": 1500})]})
        self.assertEqual((small.state, small.order_line.product_uom_qty), ("draft", 1))

    def test_attack4_create_confirmed_order(self):
        Order = self.env["sale.order"].with_user(self.salesman)
        before = Order.search_count([("partner_id", "=", self.customer.id)])
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            Order.create({"partner_id": self.customer.id, "state": "sale", "order_line": [Command.create({
                "product_id": self.product.id, "product_uom_qty": 200, "price_unit": 100.0,
                "tax_id": [Command.clear()]})]})
        self.assertEqual(Order.search_count([("partner_id", "=", self.customer.id)]), before)

    # 5. Credit evaluation ---------------------------------------------------------
    def test_attack5_evaluation_state_and_results_protected(self):
        Evaluation = self.env["ctrl.credit.evaluation"].with_user(self.salesman)
        with self.assertRaises(AccessError):
            Evaluation.create({"partner_id": self.customer.id, "state": "approved", "is_current": True})
        evaluation = self._evaluation([6, 6, 6, 6, 6])
        self.assertTrue(evaluation.name.startswith("CRE/"))
        for vals in ({"state": "approved"}, {"is_current": True}, {"grade_id": self.grade_data["A"].id},
                     {"total_score": 99.0}):
            with self.assertRaises(AccessError):
                evaluation.with_user(self.salesman).write(vals)
        with self.assertRaises(AccessError):
            evaluation.line_ids[0].with_user(self.salesman).write({"weighted": 100.0})
        self.assertEqual((evaluation.state, evaluation.is_current, evaluation.grade_id.code), ("draft", False, "C"))

    def test_attack5_evaluation_locked_once_submitted_and_approved(self):
        evaluation = self._evaluation([6, 6, 6, 6, 6])  # 60: grade C, new customer: 50,000
        evaluation.with_user(self.salesman).action_submit()
        self.assertEqual(evaluation.state, "review")
        line = evaluation.line_ids[0]
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            line.with_user(self.salesman).write({"score": 10})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            evaluation.with_user(self.salesman).write({"proposed_limit": 500000})
        with self.assertRaises(UserError):
            line.with_user(self.salesman).unlink()
        with self.assertRaises(UserError):
            self.env["ctrl.credit.evaluation.line"].with_user(self.salesman).create({
                "evaluation_id": evaluation.id, "criterion_id": line.criterion_id.id, "score": 10})
        request = evaluation._ctrl_approval_requests("evaluation", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual((evaluation.state, evaluation.is_current), ("approved", True))
        with self.assertRaisesRegex(UserError, "approved at"):
            line.with_user(self.salesman).write({"score": 10})
        with self.assertRaisesRegex(UserError, "approved at"):
            evaluation.with_user(self.salesman).write({"proposed_limit": 500000, "new_customer": False})
        with self.assertRaises(UserError):
            evaluation.unlink()
        partner = self.customer.with_company(self.company)
        self.assertEqual((partner.ctrl_credit_grade_id.code, partner.credit_limit), ("C", 50000.0))
        self.assertEqual((evaluation.grade_id.code, evaluation.proposed_limit, line.score), ("C", 50000.0, 6))

    def test_attack5_approval_applies_only_what_was_submitted(self):
        evaluation = self._evaluation([6, 6, 6, 6, 6])
        evaluation.with_user(self.salesman).action_submit()
        request = evaluation._ctrl_approval_requests("evaluation", ["pending"])
        request.with_user(self.finance).action_approve()
        # The criteria's weights change while it waits: the score and grade would change.
        self.env["ctrl.credit.criterion"].search([("company_id", "=", self.company.id)])[:1].weight += 30
        with self.assertRaisesRegex(UserError, "cannot be approved"):
            request.with_user(self.gm).action_approve()
        self.assertEqual(evaluation.state, "review")
        self.assertEqual(self.customer.with_company(self.company).ctrl_credit_grade_id.code, "B")

    def test_attack5_rejection_returns_to_draft(self):
        evaluation = self._evaluation([6, 6, 6, 6, 6])
        evaluation.with_user(self.salesman).action_submit()
        request = evaluation._ctrl_approval_requests("evaluation", ["pending"])
        request.with_user(self.finance).action_reject("Bank references missing")
        self.assertEqual((evaluation.state, request.state), ("draft", "rejected"))
        self.assertNotIn("rejected", dict(evaluation._fields["state"].selection))
        evaluation.line_ids[0].with_user(self.salesman).write({"score": 7})
        evaluation.with_user(self.salesman).action_submit()
        self.assertEqual(evaluation.state, "review")
        with self.assertRaises(AccessError):
            evaluation.with_user(self.finance).action_ctrl_withdraw()  # not the requester
        evaluation.with_user(self.salesman).action_ctrl_withdraw()
        self.assertEqual(evaluation.state, "draft")

    # 6. Limit change and hold release ---------------------------------------------
    def test_attack6_limit_change_protected(self):
        partner = self.customer.with_company(self.company)
        partner.credit_limit = 20000.0
        change = partner.ctrl_credit_change_ids
        self.assertTrue(change.name.startswith("CLC/"))
        self.assertEqual(change.state, "pending")
        for user in (self.salesman, self.sales_mgr, self.env.user):
            for vals in ({"state": "approved"}, {"new_limit": 900000.0}, {"gm_required": False}):
                with self.assertRaises(AccessError):
                    change.with_user(user).write(vals)
        with self.assertRaises(AccessError):
            change.with_user(self.salesman).action_cancel()  # not the requester
        with self.assertRaises(AccessError):
            change.with_user(self.salesman).action_submit()  # not the requester
        with self.assertRaisesRegex(UserError, "already submitted"):
            change.action_submit()
        with self.assertRaises(AccessError):
            change.with_user(self.salesman).action_ctrl_withdraw()
        request = change._ctrl_approval_requests("limit_change", ["pending"])
        request.with_user(self.sales_mgr).action_reject("Not now")
        self.assertEqual(change.state, "draft")
        self.assertEqual(partner.credit_limit, 10000.0)
        change.action_submit()  # the requester submits it again
        self.assertEqual(change.state, "pending")
        request = change._ctrl_approval_requests("limit_change", ["pending"])
        request.with_user(self.sales_mgr).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_mgr).action_approve()  # one person, one step
        request.with_user(self.finance).action_approve()
        self.assertEqual((change.state, partner.credit_limit), ("approved", 20000.0))

    def test_attack6_hold_cannot_be_lifted_by_hand(self):
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", note="Cheque bounced")
        for user in (self.salesman, self.sales_mgr, self.finance, self.env.user):
            with self.assertRaises(AccessError):
                hold.with_user(user).write({"state": "lifted"})
            with self.assertRaises(AccessError):
                hold.with_user(user).write({"lifted_by_id": user.id, "date_lifted": "2026-01-01"})
        with self.assertRaises(AccessError):
            hold.with_user(self.salesman).unlink()
        with self.assertRaises(UserError):
            hold.with_user(self.salesman).action_ctrl_withdraw()  # nothing to withdraw: stays active
        request = hold.with_user(self.salesman).action_request_release("Paid by cheque", self.sales_mgr)
        with self.assertRaisesRegex(UserError, "already waiting"):
            hold.with_user(self.salesman).action_request_release("Other guarantor", self.finance)
        self.assertEqual(hold.guarantor_id, self.sales_mgr)
        self.assertEqual(hold.state, "active")
        with self.assertRaises(UserError):
            self._order(qty=1).with_user(self.salesman).action_confirm()
        request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.finance).action_approve()
        self.assertEqual((hold.state, hold.lifted_by_id), ("lifted", self.finance))
        with self.assertRaises(UserError):
            hold.sudo().unlink()  # a lifted hold is the evidence of the override

    def test_attack6_hold_protected_fields_even_with_write_access(self):
        # The guard does not rely on the access rights: even a user allowed to write holds sets no lifting field.
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual")
        with self.assertRaisesRegex(AccessError, "change only through its buttons"):
            hold._ctrl_check_write({"state": "lifted", "lift_reason": "by hand"})
        with self.assertRaisesRegex(AccessError, "set by its workflow"):
            hold._ctrl_check_protected_create([{"partner_id": self.customer.id, "reason": "manual",
                                                "state": "lifted"}])
        self.assertEqual(hold.state, "active")

    # 7. Credit note approval --------------------------------------------------------
    def test_attack7_credit_note_cannot_skip_approval(self):
        self.company.write({"ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 0.0})
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[100])
        refund = refund.with_user(self.accountant).with_context(**CLIENT_KEYS)
        result = refund.action_post()
        self.assertEqual((result["tag"], refund.state), ("display_notification", "draft"))
        with self.assertRaisesRegex(UserError, "approval"):
            refund.write({"state": "posted"})
        self.assertEqual(refund.state, "draft")
        request = refund._ctrl_approval_requests("credit_note", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.accountant).action_approve()  # the requester
        request.with_user(self.finance).action_approve()
        self.assertEqual(refund.state, "posted")
        # Reset to draft and raised x10: the approval was for 100.
        refund.button_draft()
        line = refund.invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        refund.write({"invoice_line_ids": [Command.update(line.id, {"price_unit": 1000.0})]})
        self.assertFalse(refund._ctrl_is_approved("credit_note"))
        with self.assertRaisesRegex(UserError, "approval"):
            refund.write({"state": "posted"})
        refund.action_post()
        self.assertEqual(refund.state, "draft")
        request = refund._ctrl_approval_requests("credit_note", ["pending"])
        self.assertEqual(request.amount, abs(refund.amount_total_signed))
        self.assertGreaterEqual(request.amount, 1000.0)

    # 8. Limit changes and the install_module key -------------------------------------
    def test_attack8_install_module_key_without_superuser(self):
        partner = self.customer.with_company(self.company)
        partner.with_user(self.sales_mgr).with_context(**CLIENT_KEYS).write({"ctrl_credit_term_days": 90})
        self.assertEqual(partner.ctrl_credit_term_days, 0)
        change = partner.ctrl_credit_change_ids
        self.assertEqual((change.state, change.new_term_days), ("pending", 90))
        created = self.env["res.partner"].with_user(self.sales_mgr).with_context(
            install_module="ctrl_credit").create({"name": "Born graded", "is_company": True,
                                                  "ctrl_credit_grade_id": self.grade_data["A"].id})
        self.assertFalse(created.with_company(self.company).ctrl_credit_grade_id)
        self.assertEqual(created.ctrl_credit_change_ids.new_grade_id, self.grade_data["A"])
