# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Figures an accountant checks: collection acts on what the customer owes
(net of unapplied credits), the aging shares and days, the KPIs, the
provision rows and the write-off against the allowance."""
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CtrlReceivableCase
from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestCollectionNetOfCredits(CollectionCase):
    def _credit_note(self, amount, days_ago=5):
        date = self.today - timedelta(days=days_ago)
        return self._invoice(amount, date, due=date, move_type="out_refund", user=self.salesperson)

    def _unapplied_payment(self, amount, partner=None):
        payment = self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": (partner or self.customer).id,
            "amount": amount, "date": self.today - timedelta(days=2),
            "journal_id": self.company_data["default_journal_bank"].id,
        })
        payment.action_post()
        return payment

    def _deductions(self, move):
        return self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id), ("kind", "=", "deduction")])

    def test_credit_note_covering_the_overdue_invoice_stops_the_ladder(self):
        move = self._overdue(15, amount=1000.0)
        self._credit_note(1000.0)
        self._run()
        self.assertFalse(move.ctrl_recv_level_id, "the customer owes nothing once its credit note is applied")
        self.assertFalse(self._deductions(move), "no deduction for a debt the customer does not owe")
        self.assertFalse(self.env["ctrl.escalation.step"].search([("res_model", "=", "account.move"),
                                                                  ("res_id", "=", move.id)]))
        self.assertIn("Covered by unapplied credits", move.ctrl_recv_collection_note)

    def test_unapplied_payment_above_the_open_amount_stops_the_ladder(self):
        move = self._overdue(65, amount=1000.0)
        self._overdue(2, amount=200.0)
        self._unapplied_payment(1500.0)  # net receivable: -300
        self.env["account.move"]._cron_collection_escalation()
        self.assertFalse(move.ctrl_recv_level_id)
        self.assertFalse(self._deductions(move))
        self.assertFalse(self.env["ctrl.credit.hold"].search([("partner_id", "=", self.customer.id),
                                                              ("reason", "=", "collection")]))

    def test_overdue_covered_though_the_net_is_positive(self):
        overdue = self._overdue(15, amount=400.0)
        not_due = self._invoice(5000.0, self.today, due=self.today + timedelta(days=30), user=self.salesperson)
        self._credit_note(500.0)
        self._run()
        self.assertFalse(overdue.ctrl_recv_level_id, "the 400 overdue are covered by the 500 credit note")
        self.assertFalse(self._deductions(overdue))
        self.assertFalse(not_due.ctrl_recv_level_id)

    def test_partial_credit_still_escalates(self):
        move = self._overdue(15, amount=1000.0)
        self._credit_note(400.0)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_2, "600 are still owed and overdue")
        self.assertEqual(self._deductions(move).rate, 20.0)
        self.assertFalse(move.ctrl_recv_collection_note)

    def test_credit_on_a_contact_covers_the_customer(self):
        """Credits and debts count per customer, whichever of its contacts the entries name."""
        billing = self.env["res.partner"].create({"name": "Accounts payable", "parent_id": self.customer.id,
                                                  "type": "invoice"})
        move = self._overdue(15, amount=1000.0)
        payment = self._unapplied_payment(1000.0, partner=billing)
        receivable = payment.move_id.line_ids.filtered(lambda line: line.account_id.account_type == "asset_receivable")
        self.assertEqual(receivable.partner_id, billing, "the payment's receivable line names the contact")
        self._run()
        self.assertFalse(move.ctrl_recv_level_id, "the payment from the contact covers the customer's overdue")

    def test_credit_of_another_customer_does_not_count(self):
        other = self.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        move = self._overdue(15, amount=1000.0)
        date = self.today - timedelta(days=5)
        self._invoice(2000.0, date, due=date, partner=other, move_type="out_refund", user=self.salesperson)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_2)

    def test_broken_promise_does_not_escalate_a_covered_customer(self):
        move = self._overdue(15, amount=1000.0)
        self._credit_note(1000.0)
        move._ctrl_escalation_advance("collection", "Promise broken")
        self.assertFalse(move.ctrl_recv_level_id)
        self.assertFalse(self._deductions(move))


@tagged("post_install", "-at_install")
class TestAgingFigures(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.seller = cls.recv_manager
        # As of 2019-03-31: 1000 overdue, 500 not due, a 600 credit note not due, a 300 payment unapplied.
        cls.late = cls._invoice(1000.0, "2019-01-15", due="2019-02-14", user=cls.seller)
        cls.fresh = cls._invoice(500.0, "2019-03-20", due="2019-05-27", user=cls.seller)
        cls.refund = cls._invoice(600.0, "2019-03-25", due="2019-04-30", move_type="out_refund", user=cls.seller)
        payment = cls.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": cls.customer.id,
            "amount": 300.0, "date": "2019-03-28", "journal_id": cls.company_data["default_journal_bank"].id,
        })
        payment.action_post()

    def test_bucket_shares(self):
        report = self._aging("2019-03-31")
        self.assertEqual(report.total_open, 600.0)
        shares = {row["name"]: row["share"] for row in report.bucket_summary}
        amounts = {row["name"]: row["amount"] for row in report.bucket_summary}
        for name, amount in amounts.items():
            self.assertAlmostEqual(shares[name], 100.0 * amount / report.total_open, places=6)
        self.assertAlmostEqual(sum(shares.values()), 100.0, places=6)
        self.assertTrue(any(shares.values()), "the shares are not all zero")
        self.assertAlmostEqual(shares["Not due"], 100.0 * (500.0 - 600.0) / 600.0, places=6)
        self.assertIn(f"{shares['Not due']:.1f}%", report.bucket_summary_html)

    def test_no_share_of_a_credit_total(self):
        self.env["account.payment"].create({
            "payment_type": "inbound", "partner_type": "customer", "partner_id": self.customer.id,
            "amount": 900.0, "date": "2019-03-29", "journal_id": self.company_data["default_journal_bank"].id,
        }).action_post()
        report = self._aging("2019-03-31")
        self.assertEqual(report.total_open, -300.0)
        self.assertEqual({row["share"] for row in report.bucket_summary}, {None})
        self.assertIn("n/a", report.bucket_summary_html)

    def test_days_past_due_never_negative(self):
        report = self._aging("2019-03-31")
        fresh = report.line_ids.filtered(lambda ln: ln.move_id == self.fresh)
        self.assertEqual(fresh.days_due, 0, "not due yet: 0 days past due, not -57")
        self.assertEqual(report.line_ids.filtered(lambda ln: ln.move_id == self.late).days_due, 45)
        self.assertGreaterEqual(min(report.line_ids.mapped("days_due")), 0)

    def test_overdue_is_a_part_of_open_and_no_salesperson_is_labelled(self):
        report = self._aging("2019-03-31")
        for kpi in report.kpi_ids:
            self.assertGreaterEqual(kpi.overdue_amount, 0.0, kpi.label)
            self.assertLessEqual(kpi.overdue_amount, max(kpi.open_amount, 0.0), kpi.label)
        seller = report.kpi_ids.filtered(lambda k: k.user_id == self.seller)
        # 1000 + 500 - 600 open; the credit note goes to the overdue 1000 first: 400 overdue.
        self.assertEqual((seller.open_amount, seller.overdue_amount), (900.0, 400.0))
        nobody = report.kpi_ids.filtered(lambda k: not k.user_id and not k.is_total)
        self.assertEqual((nobody.label, nobody.open_amount, nobody.overdue_amount),
                         ("No salesperson", -300.0, 0.0), "the unapplied payment, labelled")
        total = report.kpi_ids.filtered("is_total")
        self.assertEqual((total.label, total.open_amount, total.overdue_amount), ("Company total", 600.0, 100.0))
        self.assertNotIn("ctrl.aging.report.kpi,", seller.display_name)
        self.assertTrue(seller.display_name.endswith(self.seller.name))


@tagged("post_install", "-at_install")
class TestProvisionRows(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.company.write({"ctrl_recv_exclude_current_year": False, "ctrl_recv_exclude_unmatured": False,
                           "ctrl_recv_exclude_related": False})
        cls.creditor = cls.env["res.partner"].create({"name": "Prepaid Customer", "is_company": True})
        # As of 2024-12-31, all in the 'Under 1 year' bucket (5%).
        cls.invoice = cls._invoice(8000.0, "2024-09-30", due="2024-10-30")
        cls.odd = cls._invoice(333.33, "2024-09-30", due="2024-10-30")
        cls.refund = cls._invoice(18750.0, "2024-10-15", partner=cls.creditor, move_type="out_refund")

    def _prepare(self):
        return self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(
            self.company, self._date("2024-12-31"))

    def _assert_rows_multiply(self, run):
        for line in run.line_ids:
            self.assertEqual(line.required_amount, run.currency_id.round(line.base_amount * line.rate / 100.0),
                             f"{line.partner_id.name}: base x rate = required")
            self.assertGreaterEqual(line.required_amount, 0.0)

    def test_credit_balance_is_not_provided_for(self):
        run = self._prepare()
        credit = run.line_ids.filtered(lambda ln: ln.partner_id == self.creditor)
        self.assertEqual((credit.base_amount, credit.rate, credit.required_amount), (-18750.0, 0.0, 0.0))
        self.assertIn("Credit balance", credit.note)
        self._assert_rows_multiply(run)
        row = next(row for row in run.bucket_summary if row["name"] == "Under 1 year")
        self.assertEqual((row["provided_base"], row["credits"], row["required"]), (8333.33, -18750.0, 416.67))
        self.assertAlmostEqual(row["provided_base"] * row["applied_rate"] / 100.0, row["required"], places=2)
        self.assertIn("Credit balances (not provided for)", run.bucket_summary_html)

    def test_specific_amount_row_multiplies(self):
        specific = self.env["ctrl.provision.specific"].create({
            "partner_id": self.customer.id, "move_id": self.invoice.id, "method": "amount", "amount": 333.33,
            "reason": "Partial settlement agreed", "date": "2024-12-01",
            "attachment_ids": [Command.create({"name": "agreement.pdf", "raw": b"%PDF"})],
        })
        specific.action_submit()
        run = self._prepare()
        line = run.line_ids.filtered(lambda ln: ln.specific_id == specific)
        self.assertEqual(line.required_amount, 333.33)
        self._assert_rows_multiply(run)


@tagged("post_install", "-at_install")
class TestWriteoffAllowance(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.finance.groups_id += cls.env.ref("ctrl_base.group_approver_finance")
        cls.move = cls._invoice(10000.0, "2021-01-10", due="2021-02-10")
        provision = cls.env["account.move"].create({
            "move_type": "entry", "date": "2020-12-31", "journal_id": cls.misc_journal.id,
            "line_ids": [Command.create({"account_id": cls.expense_account.id, "debit": 2400.0}),
                         Command.create({"account_id": cls.allowance_account.id, "credit": 2400.0})],
        })
        provision.action_post()

    def _writeoff(self):
        writeoff = self.env["ctrl.writeoff"].with_user(self.recv_manager).create({
            "partner_id": self.customer.id, "reason": "court", "explanation": "Enforcement failed.",
            "date": self.today,
            "line_ids": [Command.create({"move_id": self.move.id, "amount": 10000.0})],
        })
        self._attach_evidence(writeoff, "writeoff_case_litigation")
        return writeoff

    def _allowance_balance(self):
        lines = self.env["account.move.line"].search([("account_id", "=", self.allowance_account.id),
                                                      ("parent_state", "=", "posted")])
        return sum(lines.mapped("balance"))

    def test_writeoff_uses_at_most_the_allowance(self):
        writeoff = self._writeoff()
        self.assertEqual((writeoff.allowance_available, writeoff.allowance_amount, writeoff.expense_amount),
                         (2400.0, 2400.0, 7600.0))
        writeoff.with_user(self.recv_manager).action_submit()
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(writeoff.state, "posted")
        debits = writeoff.move_id.line_ids.filtered("debit")
        self.assertEqual(sum(debits.filtered(lambda ln: ln.account_id == self.allowance_account).mapped("debit")),
                         2400.0)
        self.assertEqual(sum(debits.filtered(lambda ln: ln.account_id == self.expense_account).mapped("debit")),
                         7600.0)
        self.assertEqual(self._allowance_balance(), 0.0, "the allowance is used up, not turned into a debit")
        self.assertEqual(self.move.payment_state, "paid")
        self.assertEqual((writeoff.allowance_amount, writeoff.expense_amount), (2400.0, 7600.0))

    def test_writeoff_without_expense_account_refuses(self):
        self.company.ctrl_recv_provision_expense_account_id = False
        writeoff = self._writeoff()
        with self.assertRaisesRegex(UserError, "holds .*2,400.00.*7,600.00.*10,000.00"):
            writeoff.with_user(self.recv_manager).action_submit()
        self.assertEqual(writeoff.state, "draft")


POLICY_CODE = r"\b\d{3}/[A-Z]+\d|\bAR\d{2}\b|\bR\d{1,2}\.\d|\bV\d{1,2} \d|\bN\d{2,3}\b|\bD\d{1,2}\b|§"


@tagged("post_install", "-at_install")
class TestPlainScreens(CollectionCase):
    def test_display_names_are_words(self):
        move = self._overdue(65, amount=1000.0)
        self._run()
        promise = self.env["ctrl.collection.promise"].create({
            "move_id": move.id, "date": self.today + timedelta(days=5), "amount": 100.0, "reason": "Cash flow"})
        records = [promise, move.ctrl_recv_event_ids[:1],
                   self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)], limit=1)]
        for record in records:
            self.assertTrue(record, "the collection made the record")
            self.assertNotIn(f"{record._name},", record.display_name)
        self.assertIn(move.name, promise.display_name)

    def test_ladder_form_hides_technical_settings(self):
        action = self.env.ref("ctrl_receivable.ctrl_collection_ladder_action")
        form = action.view_ids.filtered(lambda v: v.view_mode == "form").view_id
        self.assertEqual(form, self.env.ref("ctrl_receivable.ctrl_collection_ladder_view_form"))
        arch = self.env["ctrl.escalation.ladder"].with_user(self.recv_manager).get_view(form.id)["arch"]
        for name in ("domain", "callback", "date_field", "responsible_field"):
            self.assertNotIn(f'name="{name}"', arch, f"{name} is for developer mode only")
        self.assertIn('name="ctrl_recv_deduction"', arch)
        self.assertIn("o_view_nocontent_smiling_face", action.help)

    def test_screens_carry_no_policy_codes(self):
        import re
        views = self.env["ir.ui.view"].search([("model_data_id.module", "=", "ctrl_receivable")]).filtered(
            lambda v: v.type != "qweb")
        for view in views:
            text = re.sub(r"<!--.*?-->", "", view.arch_db, flags=re.S)
            self.assertFalse(re.search(POLICY_CODE, text), f"{view.xml_id}: {re.findall(POLICY_CODE, text)}")
        modules = self.env["ir.model"].search([]).filtered(lambda m: "ctrl_receivable" in m.modules.split(", "))
        for model in modules:
            for field in self.env[model.model]._fields.values():
                for text in (field.string, field.help):
                    self.assertFalse(text and re.search(POLICY_CODE, text), f"{model.model}.{field.name}: {text}")
        actions = self.env["ir.actions.act_window"].search([("res_model", "in", (
            "ctrl.collection.promise", "ctrl.collection.case", "ctrl.writeoff", "ctrl.recv.accountability",
            "ctrl.collection.event", "ctrl.provision.specific"))])
        for action in actions.filtered(lambda a: a.target != "new"):
            self.assertIn("o_view_nocontent_smiling_face", action.help or "", action.name)
