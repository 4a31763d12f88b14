# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestProvision(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        Partner = cls.env["res.partner"]
        cls.related = Partner.create({"name": "Sister Company", "is_company": True, "ctrl_recv_related_party": True})
        cls.future = Partner.create({"name": "Long Terms Ltd", "is_company": True})
        # As of 2024-12-31 (fiscal year 2024):
        cls.inv_current = cls._invoice(1000.0, "2024-06-30", due="2024-07-30")  # current year, < 1 y: 5%
        cls.inv_two = cls._invoice(2000.0, "2022-12-31", due="2023-01-30")  # 2-3 y: 20% = 400
        cls.inv_old = cls._invoice(500.0, "2019-01-01", due="2019-01-31")  # >= 5 y: 100% = 500
        cls.inv_related = cls._invoice(800.0, "2018-06-30", partner=cls.related)  # >= 5 y, related: capped 50%
        cls.inv_unmatured = cls._invoice(1000.0, "2023-06-30", due="2025-06-30", partner=cls.future)  # 1-2 y: 10%

    def _prepare(self, date="2024-12-31", user=None):
        Run = self.env["ctrl.provision.run"].with_user(user or self.recv_manager)
        return Run._prepare(self.company, self._date(date))

    def _post(self, run):
        run.with_user(self.recv_manager).action_submit()
        run.with_user(self.finance).action_approve()
        return run

    def _line(self, run, move_partner, bucket_name):
        return run.line_ids.filtered(lambda ln: ln.partner_id == move_partner and ln.bucket_id.name == bucket_name)

    def test_required_allowance_per_bucket_and_exclusions(self):
        run = self._prepare()
        self.assertEqual(run.state, "draft")
        self.assertEqual(run.base_amount, 5300.0)
        current = self._line(run, self.customer, "Under 1 year")
        self.assertTrue(current.excluded, "current-year item (AR02.33)")
        self.assertEqual((current.rate, current.required_amount), (5.0, 50.0))
        self.assertEqual(self._line(run, self.customer, "2-3 years").required_amount, 400.0)
        self.assertEqual(self._line(run, self.customer, "5 years or more").required_amount, 500.0)
        related = self._line(run, self.related, "5 years or more")
        self.assertTrue(related.excluded)
        self.assertEqual((related.rate, related.required_amount), (50.0, 400.0),
                         "a related party is not provided in full")
        unmatured = self._line(run, self.future, "1-2 years")
        self.assertTrue(unmatured.excluded)
        self.assertEqual(unmatured.required_amount, 100.0)
        self.assertEqual(run.required_amount, 1450.0)
        self.assertEqual(run.allowance_balance, 0.0)
        self.assertEqual(run.adjustment_amount, 1450.0)
        summary = {row["name"]: row["required"] for row in run.bucket_summary}
        self.assertEqual(summary["5 years or more"], 900.0)

    def test_exclusions_are_settings(self):
        self.company.ctrl_recv_exclude_related = False
        run = self._prepare()
        related = self._line(run, self.related, "5 years or more")
        self.assertFalse(related.excluded)
        self.assertEqual(related.required_amount, 800.0)

    def test_increase_then_release(self):
        run = self._post(self._prepare())
        self.assertEqual(run.state, "posted")
        move = run.move_id
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.date, self._date("2024-12-31"))
        expense = move.line_ids.filtered(lambda ln: ln.account_id == self.expense_account)
        allowance = move.line_ids.filtered(lambda ln: ln.account_id == self.allowance_account)
        self.assertEqual((expense.debit, allowance.credit), (1450.0, 1450.0))
        self.assertEqual(run.approved_by_id, self.finance)
        # January: the 5-year-old invoice is paid, the allowance is released in part.
        self._pay(self.inv_old, 500.0, "2025-01-15")
        january = self._prepare("2025-01-31")
        self.assertEqual(january.allowance_balance, 1450.0)
        self.assertEqual(january.required_amount, 950.0)
        self.assertEqual(january.adjustment_amount, -500.0)
        self._post(january)
        release = january.move_id
        self.assertEqual(release.line_ids.filtered(lambda ln: ln.account_id == self.allowance_account).debit, 500.0)
        self.assertEqual(release.line_ids.filtered(lambda ln: ln.account_id == self.expense_account).credit, 500.0)
        # Nothing changed: February needs no entry.
        february = self._post(self._prepare("2025-02-28"))
        self.assertEqual(february.adjustment_amount, 0.0)
        self.assertEqual(february.state, "posted")
        self.assertFalse(february.move_id)

    def test_specific_provision_with_approval(self):
        attachment = self.env["ir.attachment"].create({"name": "bankruptcy.pdf", "raw": b"%PDF court notice"})
        specific = self.env["ctrl.provision.specific"].with_user(self.recv_manager).create({
            "partner_id": self.customer.id, "rate": 100.0, "reason": "Bankruptcy filing",
            "date": "2024-12-01",
        })
        with self.assertRaisesRegex(ValidationError, "attach the evidence"):
            specific.action_submit()
        specific.attachment_ids = attachment
        specific.action_submit()
        self.assertEqual(specific.state, "to_approve", "100% is above the scheme: the finance director approves")
        request = specific._ctrl_approval_requests("specific_rate", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.recv_manager).action_approve()
        request.with_user(self.finance).action_approve()
        self.assertEqual(specific.state, "active")
        run = self._prepare()
        lines = run.line_ids.filtered(lambda ln: ln.partner_id == self.customer)
        self.assertEqual(lines.specific_id, specific)
        self.assertEqual(sum(lines.mapped("required_amount")), 3500.0, "100% of the customer's 3,500")
        self.assertEqual(run.required_amount, 3500.0 + 400.0 + 100.0)

    def test_specific_provision_by_amount_on_an_invoice(self):
        specific = self.env["ctrl.provision.specific"].create({
            "partner_id": self.customer.id, "move_id": self.inv_two.id, "method": "amount", "amount": 300.0,
            "reason": "Partial settlement agreed", "date": "2024-12-01",
            "attachment_ids": [Command.create({"name": "agreement.pdf", "raw": b"%PDF"})],
        })
        specific.action_submit()
        self.assertEqual(specific.state, "active", "300 is below the scheme's 400: no approval needed")
        run = self._prepare()
        line = run.line_ids.filtered(lambda ln: ln.specific_id == specific)
        self.assertEqual(line.required_amount, 300.0)
        self.assertEqual(run.required_amount, 1450.0 - 100.0)

    def test_specific_provision_above_open_amount(self):
        with self.assertRaisesRegex(ValidationError, "above the open amount"):
            self.env["ctrl.provision.specific"].create({
                "partner_id": self.customer.id, "move_id": self.inv_two.id, "method": "amount",
                "amount": 2500.0, "reason": "Too much",
            })
        self.assertFalse(self.env["ctrl.provision.specific"].search([("move_id", "=", self.inv_two.id)]))

    def test_specific_rate_out_of_range(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.env["ctrl.provision.specific"].create({
                "partner_id": self.customer.id, "rate": 150.0, "reason": "Typo"})
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.env["ctrl.provision.specific"].create({
                "partner_id": self.customer.id, "rate": -5.0, "reason": "Typo"})

    def test_self_approval_refused(self):
        run = self._prepare()
        run.with_user(self.recv_manager).action_submit()
        self.assertEqual(run.state, "to_approve")
        with self.assertRaisesRegex(ValidationError, "incompatible duties"):
            run.with_user(self.recv_manager).action_approve()
        request = run._pending_request()
        with self.assertRaisesRegex(AccessError, "segregation of duties"):
            request.with_user(self.recv_manager).action_approve()
        self.assertEqual(run.state, "to_approve")
        self.assertFalse(run.move_id, "nothing is posted")
        run.with_user(self.finance).action_approve()
        self.assertEqual(run.state, "posted")

    def test_rejection_returns_to_draft(self):
        run = self._prepare()
        run.with_user(self.recv_manager).action_submit()
        run._pending_request().with_user(self.finance).action_reject("Check the related party first")
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.move_id)

    def test_rerun_and_cancel(self):
        draft = self._prepare()
        self._invoice(100.0, "2024-12-15")
        again = self._prepare()
        self.assertEqual(again, draft, "preparing again replaces the draft")
        self.assertEqual(again.base_amount, 5400.0)
        self._post(again)
        with self.assertRaisesRegex(UserError, "is posted"):
            self._prepare()
        move = again.move_id
        again.with_user(self.recv_manager).action_cancel()
        self.assertEqual(again.state, "cancelled")
        self.assertTrue(again.reversal_move_id)
        self.assertEqual(again.reversal_move_id.reversed_entry_id, move)
        self.assertEqual(move.state, "posted", "a posted entry is reversed, never deleted")
        self.assertEqual(again._allowance_balance(), 0.0)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            again.unlink()
        fresh = self._prepare()
        self.assertNotEqual(fresh, again)
        self.assertEqual(fresh.allowance_balance, 0.0)
        self.assertEqual(self.env["ctrl.provision.run"].search_count(
            [("company_id", "=", self.company.id), ("period", "=", "2024-12")]), 2)

    def test_lock_dates(self):
        run = self._prepare()
        self.company.fiscalyear_lock_date = "2024-12-31"
        with self.assertRaisesRegex(ValidationError, "locked period"):
            run.with_user(self.recv_manager).action_submit()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run.ctrl_approval_ids)
        self.company.fiscalyear_lock_date = False
        self._post(run)
        self.company.fiscalyear_lock_date = "2024-12-31"
        with self.assertRaisesRegex(ValidationError, "locked period"):
            run.with_user(self.recv_manager).action_cancel()
        self.assertEqual(run.state, "posted")
        self.assertFalse(run.reversal_move_id)

    def test_lock_date_set_while_waiting_for_approval(self):
        run = self._prepare()
        run.with_user(self.recv_manager).action_submit()
        self.company.fiscalyear_lock_date = "2024-12-31"
        with self.assertRaisesRegex(ValidationError, "locked period"):
            run.with_user(self.finance).action_approve()
        self.assertEqual(run.state, "to_approve")
        self.assertFalse(run.move_id)

    def test_missing_account_or_journal(self):
        for field in ("ctrl_recv_allowance_account_id", "ctrl_recv_provision_expense_account_id",
                      "ctrl_recv_provision_journal_id"):
            with self.subTest(field=field):
                saved = self.company[field]
                self.company[field] = False
                run = self._prepare()
                label = run._fields[{"ctrl_recv_allowance_account_id": "allowance_account_id",
                                     "ctrl_recv_provision_expense_account_id": "expense_account_id",
                                     "ctrl_recv_provision_journal_id": "journal_id"}[field]].string
                with self.assertRaisesRegex(ValidationError, label):
                    run.with_user(self.recv_manager).action_submit()
                self.assertEqual(run.state, "draft")
                run.unlink()
                self.company[field] = saved

    def test_access_rights(self):
        run = self._prepare()
        with self.assertRaises(AccessError):
            self.env["ctrl.provision.run"].with_user(self.recv_user)._prepare(self.company, self._date("2024-11-30"))
        with self.assertRaises(AccessError):
            run.with_user(self.recv_user).action_submit()
        with self.assertRaises(AccessError):
            run.with_user(self.recv_user).action_cancel()
        self.assertEqual(run.with_user(self.recv_user).required_amount, 1450.0, "users read the runs")
        with self.assertRaises(AccessError):
            self.provision.bucket_ids[0].with_user(self.recv_user).rate = 1.0
        report = self.env["ctrl.aging.report"].with_user(self.recv_user).create({"date": "2024-12-31"})
        report.action_compute()
        self.assertTrue(report.reconciled)
        with self.assertRaises(AccessError):
            report.kpi_ids.with_user(self.recv_user).write({"dso": 1.0})
        other = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["ctrl.aging.report"].sudo().create({
            "company_id": other.id, "date": "2024-12-31", "scheme_id": other._ctrl_recv_scheme("collection").id})
        self.assertFalse(self.env["ctrl.aging.report"].with_user(self.recv_user).search([("id", "=", foreign.id)]),
                         "another company's reports are not visible")

    def test_cron_prepares_once(self):
        # As the scheduled action runs: by the superuser, for every company (the demo data's one too).
        Run = self.env["ctrl.provision.run"].sudo()
        Run._cron_prepare()
        Run._cron_prepare()
        runs = Run.search([("company_id", "=", self.company.id)])
        self.assertEqual(len(runs), 1)
        self.assertEqual(runs.state, "draft")
        self.assertEqual(runs.date, fields.Date.context_today(Run).replace(day=1) - timedelta(days=1))
        # A run the accountants are working on is theirs: the next call neither recomputes nor logs it.
        messages = len(runs.message_ids)
        Run._cron_prepare()
        self.assertEqual((runs.state, len(runs.message_ids)), ("draft", messages))

    def test_wizard(self):
        wizard = self.env["ctrl.provision.prepare"].with_user(self.recv_manager).create({"date": "2024-12-31"})
        action = wizard.action_prepare()
        run = self.env["ctrl.provision.run"].browse(action["res_id"])
        self.assertEqual(run.required_amount, 1450.0)
