# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from odoo.addons.ctrl_base.tests.common import CJK, load_language

from .common import CtrlCreditCase


@tagged("post_install", "-at_install")
class TestCreditHold(CtrlCreditCase):
    def test_within_limit_confirms(self):
        order = self._order(qty=10)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_over_limit_blocks_confirmation(self):
        order = self._order(qty=101)  # 10,100 > 10,000
        self.assertIn("Over credit limit", order.ctrl_credit_problems)
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")

    def test_exposure_counts_receivables_orders_and_drafts(self):
        self._order(qty=30).action_confirm()                       # 3,000 to invoice
        self.init_invoice("out_invoice", partner=self.customer, amounts=[2000], post=True)  # 2,000 open
        self.init_invoice("out_invoice", partner=self.customer, amounts=[500])              # draft 500
        exposure = self.customer._ctrl_credit_exposure_map(self.company)[self.customer.id]
        self.assertAlmostEqual(exposure, 5500.0)
        self.customer.invalidate_recordset()
        self.assertAlmostEqual(self.customer.ctrl_credit_available, 4500.0)
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            self._order(qty=46).action_confirm()

    def test_rpc_write_cannot_skip_the_hold(self):
        order = self._order(qty=101)
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.write({"state": "sale"})
        self.assertEqual(order.state, "draft")

    def test_overdue_blocks_confirmation_and_delivery(self):
        order = self._order(qty=5)
        order.action_confirm()
        picking = order.picking_ids
        self._overdue_invoice(self.customer, 100, days=30)
        self.assertTrue(self.customer._ctrl_credit_overdue_map(self.company)[self.customer.id] > 0)
        with self.assertRaisesRegex(UserError, "Overdue"):
            self._order(qty=1).action_confirm()
        picking.move_ids.quantity = 5
        with self.assertRaisesRegex(UserError, "Overdue"):
            picking.button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_grace_days(self):
        self.company.ctrl_credit_overdue_grace_days = 100000
        self._overdue_invoice(self.customer, 100, days=30)
        order = self._order(qty=1)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_cash_before_delivery(self):
        cash = self.env["res.partner"].create({"name": "Cash Customer", "is_company": True})
        self._grade(cash, "D")
        order = self._order(partner=cash, qty=10)
        order.action_confirm()
        picking = order.picking_ids
        picking.move_ids.quantity = 10
        with self.assertRaisesRegex(UserError, "Payment before delivery"):
            picking.button_validate()
        invoice = order._create_invoices()
        invoice.action_post()
        self.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids).create({})._create_payments()
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_deposit_tiers_d16(self):
        company = self.company
        self.assertEqual(company._ctrl_credit_deposit_percent(8000), 100.0)
        self.assertEqual(company._ctrl_credit_deposit_percent(20000), 50.0)
        self.assertEqual(company._ctrl_credit_deposit_percent(40000), 30.0)
        deposit = self.env["res.partner"].create({"name": "Deposit Customer", "is_company": True})
        self._grade(deposit, "C", limit=1000000)
        order = self._order(partner=deposit, qty=400)  # 40,000: 30% deposit (grade C also 30%)
        order.action_confirm()
        required, paid = order._ctrl_credit_prepayment()
        self.assertAlmostEqual(required, 12000.0)
        self.assertEqual(paid, 0.0)
        self.assertIn("Payment before delivery", order.picking_ids.ctrl_credit_problems)

    def test_ungraded_customers_untouched_by_default(self):
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True})
        self._overdue_invoice(plain, 100, days=30)
        order = self._order(partner=plain, qty=10)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        plain.credit_limit = 50
        order2 = self._order(partner=plain, qty=10)
        order2.action_confirm()  # native-limit customers only warn by default
        self.assertEqual(order2.state, "sale")
        self.assertTrue(any("Credit warning" in (m.body or "") for m in order2.message_ids))

    def test_ungraded_cash_only_setting(self):
        self.company.ctrl_credit_ungraded_cash_only = True
        plain = self.env["res.partner"].create({"name": "Plain", "is_company": True})
        order = self._order(partner=plain, qty=1)
        order.action_confirm()
        order.picking_ids.move_ids.quantity = 1
        with self.assertRaisesRegex(UserError, "Payment before delivery"):
            order.picking_ids.button_validate()

    def test_warn_mode(self):
        self.company.ctrl_credit_over_limit_mode = "warn"
        order = self._order(qty=200)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(any("Over credit limit" in (m.body or "") for m in order.message_ids))

    def test_record_hold_from_other_addon_blocks(self):
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", note="Cheque bounced")
        self.assertTrue(self.customer.ctrl_credit_on_hold)
        self.assertEqual(self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual"), hold, "idempotent")
        with self.assertRaisesRegex(UserError, "Manual"):
            self._order(qty=1).action_confirm()
        hold._ctrl_lift("cleared")
        self.assertFalse(self.customer._ctrl_credit_active_holds())
        self._order(qty=1).action_confirm()

    def test_override_hold_note_in_each_reader_language(self):
        """The note of a hold placed for an order is generated: each reader reads it in their language, with
        the figures of the check."""
        load_language(self.env, "zh_CN", ["ctrl_credit"])
        order = self._order(qty=150)
        holds = order.with_user(self.salesman).action_ctrl_credit_request_override()
        hold = self.env["ctrl.credit.hold"].browse(holds["context"]["default_hold_id"])
        english, chinese = (hold.with_context(lang=lang).note for lang in ("en_US", "zh_CN"))
        self.assertIn("Over credit limit", english)
        self.assertFalse(CJK.search(english), english)
        self.assertIn("超信用额度", chinese)
        self.assertIn("15,000.00", chinese)

    def test_override_through_approval(self):
        order = self._order(qty=150)
        holds = order.with_user(self.salesman).action_ctrl_credit_request_override()
        hold = self.env["ctrl.credit.hold"].browse(holds["context"]["default_hold_id"])
        wizard = self.env["ctrl.credit.hold.release"].with_user(self.salesman).create(
            {"hold_id": hold.id, "reason": "Big season order, paid last year on time"})
        wizard.action_confirm()
        request = hold._ctrl_approval_requests("hold_release", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()  # requester: segregation of duties
        with self.assertRaises(AccessError):
            request.with_user(self.finance).action_approve()   # not the first step's group
        request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.finance).action_approve()
        self.assertEqual(hold.state, "lifted")
        self.assertEqual(hold.lifted_by_id, self.finance)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_guarantor_rank(self):
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual")
        with self.assertRaisesRegex(UserError, "below the required rank"):
            hold.action_request_release("guaranteed", self.salesman)
        request = hold.action_request_release("guaranteed", self.sales_mgr)
        self.assertEqual(hold.guarantor_id, self.sales_mgr)
        self.assertEqual(request.payload["guarantor_id"], self.sales_mgr.id)

    def test_holds_read_only_for_users(self):
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual")
        with self.assertRaises(AccessError):
            hold.with_user(self.salesman).write({"state": "lifted"})

    def test_multi_company_isolation(self):
        other = self.setup_other_company()["company"]
        self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", company=other)
        self.assertFalse(self.customer._ctrl_credit_active_holds())
        self._order(qty=1).action_confirm()
        self.assertFalse(self.env["ctrl.credit.hold"].with_user(self.salesman).search([("company_id", "=", other.id)]))


@tagged("post_install", "-at_install")
class TestCreditApprovalByValue(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._grade(cls.customer, "A", limit=100000000)
        cls.company.ctrl_credit_checklist_amount = 0

    def test_below_authority_confirms(self):
        order = self._order(qty=999)  # 99,900
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_manager_band(self):
        order = self._order(qty=1500)  # 150,000
        result = order.action_confirm()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        request = order._ctrl_approval_requests("order_value", ["pending"])
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_order_value_manager"))
        with self.assertRaisesRegex(UserError, "approval by value"):
            order.write({"state": "sale"})
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale", "the approved order is confirmed")

    def test_vp_and_gm_bands(self):
        vp_order = self._order(qty=6000)       # 600,000
        vp_order.action_confirm()
        self.assertEqual(vp_order._ctrl_approval_requests("order_value").rule_id,
                         self.env.ref("ctrl_credit.approval_order_value_vp"))
        gm_order = self._order(qty=60000)      # 6,000,000
        gm_order.action_confirm()
        self.assertEqual(gm_order._ctrl_approval_requests("order_value").rule_id,
                         self.env.ref("ctrl_credit.approval_order_value_gm"))

    def test_s15_preset_and_back(self):
        Preset = self.env["ctrl.credit.approval.preset"]
        self.assertEqual(Preset.create({}).preset, "d6")
        with self.assertRaises(AccessError):
            Preset.with_user(self.salesman).create({"preset": "s15", "threshold": 200000}).action_apply()
        with self.assertRaisesRegex(ValidationError, "Set the threshold"):
            Preset.create({"preset": "s15", "threshold": 0}).action_apply()
        Preset.create({"preset": "s15", "threshold": 200000}).action_apply()
        self.assertEqual(Preset.create({}).preset, "s15")
        self.assertFalse(self.env.ref("ctrl_credit.approval_order_value_manager").active)
        below, above = self._order(qty=500), self._order(qty=2500)     # 50,000 and 250,000
        below.action_confirm()
        above.action_confirm()
        self.assertEqual(below._ctrl_approval_requests("order_value").rule_id,
                         self.env.ref("ctrl_credit.approval_order_value_s15_finance"))
        self.assertEqual(above._ctrl_approval_requests("order_value").rule_id,
                         self.env.ref("ctrl_credit.approval_order_value_s15_gm"))
        request = below._ctrl_approval_requests("order_value")
        with self.assertRaises(AccessError):
            request.with_user(self.gm).action_approve()  # below the threshold: the finance VP
        request.with_user(self.finance).action_approve()
        self.assertEqual(below.state, "sale")
        Preset.create({"preset": "s15", "threshold": 300000}).action_apply()  # a new threshold
        self.assertEqual(self.env.ref("ctrl_credit.approval_order_value_s15_gm").amount_min, 300000)
        Preset.create({"preset": "d6"}).action_apply()
        self.assertFalse(self.env.ref("ctrl_credit.approval_order_value_s15_gm").active)
        order = self._order(qty=1500)
        order.action_confirm()
        self.assertEqual(order._ctrl_approval_requests("order_value").rule_id,
                         self.env.ref("ctrl_credit.approval_order_value_manager"))

    def test_foreign_currency_order(self):
        currency = self.setup_other_currency("EUR", rates=[("2000-01-01", 2.0)])
        order = self._order(qty=1500, currency=currency)  # 150,000 EUR = 75,000 company currency
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_setting_off(self):
        self.company.ctrl_credit_order_approval = False
        order = self._order(qty=1500)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_credit_sale_checklist(self):
        self.company.ctrl_credit_order_approval = False
        order = self._order(qty=1500)
        order.payment_term_id = False
        # The class turns the checklist off for the other tests: back to its default, 100,000.
        default = self.company._fields["ctrl_credit_checklist_amount"].default(self.company)
        self.assertEqual(default, 100000.0)
        self.company.ctrl_credit_checklist_amount = default
        with self.assertRaisesRegex(UserError, "signed contract"):
            order.action_confirm()
        order.write({"ctrl_contract_signed": True, "ctrl_late_payment_clause": True,
                     "ctrl_guarantee_note": "Bank guarantee 2026-17",
                     "payment_term_id": self.env.ref("account.account_payment_term_30days").id})
        self.env["ir.attachment"].create({"name": "contract.pdf", "res_model": "sale.order", "res_id": order.id,
                                          "raw": b"%PDF-1.4 contract"})
        order.invalidate_recordset(["message_attachment_count"])
        order.action_confirm()
        self.assertEqual(order.state, "sale")


@tagged("post_install", "-at_install")
class TestCreditEvaluation(CtrlCreditCase):
    def _evaluation(self, scores):
        evaluation = self.env["ctrl.credit.evaluation"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "new_customer": True})
        criteria = self.env["ctrl.credit.criterion"].search([("company_id", "=", self.company.id)])
        if not criteria:
            for i, name in enumerate(("Character", "Capacity", "Capital", "Collateral", "Conditions")):
                self.env["ctrl.credit.criterion"].create({"name": name, "sequence": i, "weight": 20,
                                                          "scale_max": 10, "company_id": self.company.id})
            evaluation.line_ids.unlink()
            evaluation._add_criteria_lines()
        for line, score in zip(evaluation.line_ids, scores):
            line.score = score
        return evaluation

    def test_score_grade_and_approval(self):
        evaluation = self._evaluation([9, 9, 9, 9, 9])
        self.assertAlmostEqual(evaluation.total_score, 90.0)
        self.assertEqual(evaluation.grade_id.code, "A")
        self.assertAlmostEqual(evaluation.proposed_limit, evaluation.grade_id.default_limit / 2)
        evaluation.with_user(self.salesman).action_submit()
        request = evaluation._ctrl_approval_requests("evaluation", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(evaluation.state, "approved")
        partner = self.customer.with_company(self.company)
        self.assertEqual(partner.ctrl_credit_grade_id.code, "A")
        self.assertAlmostEqual(partner.credit_limit, evaluation.proposed_limit)
        self.assertTrue(any(evaluation.name in (m.body or "") for m in partner.message_ids))

    def test_quarterly_reevaluation_ladder(self):
        evaluation = self._evaluation([8, 8, 8, 8, 8])
        evaluation.action_submit()
        request = evaluation._ctrl_approval_requests("evaluation", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertTrue(evaluation.is_current)
        evaluation.sudo().write({"date": date(2026, 1, 1)})
        ladder = self.env.ref("ctrl_credit.escalation_ladder_reevaluation")
        ladder._run_all(today=date(2026, 3, 1))
        steps = self.env["ctrl.escalation.step"].search([("res_model", "=", evaluation._name),
                                                         ("res_id", "=", evaluation.id)])
        self.assertFalse(steps, "not due before 90 days")
        ladder._run_all(today=date(2026, 4, 5))
        ladder._run_all(today=date(2026, 4, 6))
        activities = evaluation.sudo().activity_ids
        self.assertEqual(len(activities.filtered(lambda a: "Quarterly" in (a.summary or ""))),
                         len(self.env.ref("ctrl_credit.group_credit_manager").users.filtered("active")),
                         "one activity per credit manager, once")
        newer = self._evaluation([8, 8, 8, 8, 8])
        newer.action_submit()
        request = newer._ctrl_approval_requests("evaluation", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertFalse(evaluation.is_current, "the new file replaces the old one for the ladder")

    def test_bad_input(self):
        evaluation = self._evaluation([1, 1, 1, 1, 1])
        with self.assertRaisesRegex(ValidationError, "between 0 and"):
            evaluation.line_ids[0].score = 11
        criterion = self.env["ctrl.credit.criterion"].browse(evaluation.line_ids[0].criterion_id.id)
        criterion.weight = 30
        with self.assertRaisesRegex(ValidationError, "sum to 100"):
            evaluation.action_submit()
        with self.assertRaisesRegex(ValidationError, "negative"):
            self.grade_data["A"].default_limit = -1
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.grade_data["B"].max_score = 90
        with self.assertRaisesRegex(ValidationError, "gap"):
            self.grade_data["B"].max_score = 80
        with self.assertRaisesRegex(ValidationError, "deposit share"):
            self.grade_data["C"].deposit_percent = 120
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["ctrl.approval.rule"].create({
                "name": "Overlapping", "model_id": self.env["ir.model"]._get_id("sale.order"),
                "kind": "order_value", "amount_min": 300000, "amount_max": 600000, "company_id": False,
                "step_ids": [Command.create({
                    "name": "GM", "group_id": self.env.ref("ctrl_base.group_approver_gm").id})],
            })


@tagged("post_install", "-at_install")
class TestCreditNoteApproval(CtrlCreditCase):
    def _refund(self, amount):
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[amount])
        refund.invoice_user_id = self.salesman
        return refund

    def test_off_by_default(self):
        refund = self._refund(100)
        refund.action_post()
        self.assertEqual(refund.state, "posted")

    def test_credit_note_needs_finance(self):
        self.company.write({"ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 0.0})
        refund = self._refund(100)
        result = refund.with_user(self.salesman).sudo().action_post()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(refund.state, "draft")
        with self.assertRaisesRegex(UserError, "approval"):
            refund._post()
        request = refund._ctrl_approval_requests("credit_note", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        request.with_user(self.finance).action_approve()
        self.assertEqual(refund.state, "posted")

    def test_threshold(self):
        self.company.write({"ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 1000.0})
        small = self._refund(100)
        small.action_post()
        self.assertEqual(small.state, "posted")
        large = self._refund(5000)
        large.action_post()
        self.assertEqual(large.state, "draft")


@tagged("post_install", "-at_install")
class TestCreditFileDue(CtrlCreditCase):
    def test_threshold_and_hold(self):
        self.company.ctrl_credit_order_approval = False
        self.company.ctrl_credit_checklist_amount = 0
        partner = self.env["res.partner"].create({"name": "Growing Customer", "is_company": True})
        small = self._order(partner=partner, qty=50)       # 5,000: below the per-deal threshold
        small.action_confirm()
        first = self._order(partner=partner, qty=100)      # 10,000
        first.action_confirm()
        Partner = self.env["res.partner"]
        self.assertFalse(partner.id in Partner._ctrl_credit_file_overdue_ids(self.company), "one deal only")
        second = self._order(partner=partner, qty=120)     # 12,000: the threshold is reached
        second.action_confirm()
        (first | second).write({"date_order": "2026-01-05 10:00:00"})
        self.assertFalse(partner.id in Partner._ctrl_credit_file_overdue_ids(self.company, today=date(2026, 1, 20)),
                         "within the month")
        overdue = Partner._ctrl_credit_file_overdue_ids(self.company, today=date(2026, 2, 10))
        self.assertIn(partner.id, overdue)
        with freeze_time("2026-02-10"):
            Partner._cron_ctrl_credit_file_due()
            Partner._cron_ctrl_credit_file_due()
        holds = partner._ctrl_credit_active_holds()
        self.assertEqual(holds.mapped("reason"), ["no_credit_file"], "placed once, whatever the reruns")
        with self.assertRaisesRegex(UserError, "Credit file missing"):
            self._order(partner=partner, qty=1).action_confirm()

    def test_file_required_setting(self):
        self.company.ctrl_credit_file_required = True
        plain = self.env["res.partner"].create({"name": "No file", "is_company": True})
        with self.assertRaisesRegex(UserError, "credit file"):
            self._order(partner=plain, qty=1).action_confirm()


@tagged("post_install", "-at_install")
class TestCreditWatchlist(CtrlCreditCase):
    def test_xlsx_lists_customers_over_or_near_the_limit(self):
        import io

        import openpyxl

        self.init_invoice("out_invoice", partner=self.customer, amounts=[9500], post=True)  # 95% of 10,000
        fine = self.env["res.partner"].create({"name": "Comfortable", "is_company": True})
        self._grade(fine, "A", limit=100000)
        self.init_invoice("out_invoice", partner=fine, amounts=[100], post=True)
        action = self.env["res.partner"].with_user(self.salesman).action_ctrl_credit_export_xlsx()
        content = self.env["ir.actions.report"].with_user(self.salesman)._render_xlsx(action["report_name"], [])[0]
        sheet = openpyxl.load_workbook(io.BytesIO(content)).active
        names = [row[0].value for row in sheet.iter_rows(min_row=2)]
        self.assertIn("Graded Customer", names)
        self.assertNotIn("Comfortable", names)
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "Graded Customer")
        self.assertAlmostEqual(row[3].value, 9500.0)
        self.assertAlmostEqual(row[5].value, 95.0)
