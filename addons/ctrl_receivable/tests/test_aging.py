# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io

import openpyxl

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.sql import index_exists

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestAging(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.eur = cls.setup_other_currency("EUR", rates=[("2019-01-01", 2.0), ("2019-06-01", 4.0)])

    def _bucket(self, report, move):
        return report.line_ids.filtered(lambda line: line.move_id == move).bucket_id.name

    def test_default_schemes(self):
        self.assertEqual(self.collection.bucket_ids.sorted("age_from").mapped("name")[:1], ["Not due"])
        self.assertEqual(len(self.collection.bucket_ids), 8)
        self.assertEqual(self.provision._ordered_buckets().mapped("rate"), [5.0, 10.0, 20.0, 30.0, 50.0, 100.0])
        self.assertEqual((self.provision.basis, self.provision.unit), ("invoice", "year"))

    def test_partial_payments_and_payments_after_the_date(self):
        invoice = self._invoice(1000.0, "2019-01-01", due="2019-03-01")
        self._pay(invoice, 400.0, "2019-02-15")
        self._pay(invoice, 100.0, "2019-05-10")
        self.assertEqual(self._open(self._aging("2019-01-31"), invoice), 1000.0)
        as_of_april = self._aging("2019-03-31")
        self.assertEqual(self._open(as_of_april, invoice), 600.0, "the payment after the date is added back")
        self.assertEqual(self._bucket(as_of_april, invoice), "11-30 days")
        self.assertEqual(as_of_april.line_ids.filtered(lambda ln: ln.move_id == invoice).ar_class, "overdue")
        as_of_june = self._aging("2019-06-30")
        self.assertEqual(self._open(as_of_june, invoice), 500.0)
        self.assertEqual(self._bucket(as_of_june, invoice), "91-180 days")
        self.assertEqual(as_of_june.line_ids.filtered(lambda ln: ln.move_id == invoice).ar_class, "sluggish")
        for report in (as_of_april, as_of_june):
            self.assertTrue(report.reconciled)
            self.assertEqual(report.total_open, report.account_balance)
        # Not due yet and within 20 days late: normal (AR06).
        report = self._aging("2019-02-10")
        self.assertEqual(self._bucket(report, invoice), "Not due")
        self.assertEqual(report.line_ids.filtered(lambda ln: ln.move_id == invoice).ar_class, "normal")

    def test_fully_paid_after_the_date(self):
        invoice = self._invoice(300.0, "2019-01-10", due="2019-01-31")
        self._pay(invoice, 300.0, "2019-04-01")
        self.assertTrue(invoice.line_ids.filtered(lambda ln: ln.account_id == self.receivable).reconciled)
        self.assertEqual(self._open(self._aging("2019-03-31"), invoice), 300.0)
        self.assertFalse(self._aging("2019-04-01").line_ids.filtered(lambda ln: ln.move_id == invoice))
        engine = self.env["ctrl.aging.engine"]
        rows = engine._aggregate("2019-03-31", self.company, self.collection)
        self.assertIn((invoice.partner_id.id, 300.0, 1), [(row[0], row[2], row[3]) for row in rows],
                      "grouped aging: the unfilled partial's lines looked up")
        # The partial keeps both lines' dates: as of March only the invoice's side is looked up.
        partial = invoice.line_ids.filtered(lambda ln: ln.account_id == self.receivable).matched_credit_ids
        self.assertEqual((str(partial.ctrl_debit_date), str(partial.ctrl_credit_date)), ("2019-01-10", "2019-04-01"))
        self.assertEqual((partial.ctrl_account_id, partial.ctrl_debit_partner_id, str(partial.ctrl_debit_maturity),
                          partial.ctrl_debit_reconciled), (self.receivable, invoice.partner_id, "2019-01-31", True))
        self.assertIn((invoice.partner_id.id, 300.0, 1), [
            (row[0], row[2], row[3]) for row in engine._aggregate("2019-03-31", self.company, self.collection)],
            "grouped aging: the filled partial read alone")
        engine = self.env["ctrl.aging.engine"]
        totals = {row[0]: row[2] for row in engine._aggregate("2019-03-31", self.company, self.collection)}
        self.assertEqual(totals.get(self.customer.id), 300.0, "the grouped aging adds the later payment back too")

    def test_line_dates_of_older_partials_filled_after_install(self):
        """The partials that existed at install get their line dates from a scheduled action, a range of
        ids per call, then the aging's index; until then the aging looks their lines up: same amounts."""
        invoice = self._invoice(300.0, "2019-01-10", due="2019-01-31")
        self._pay(invoice, 300.0, "2019-04-01")
        partial = invoice.line_ids.filtered(lambda ln: ln.account_id == self.receivable).matched_credit_ids
        Partial = self.env["account.partial.reconcile"]
        cr = self.env.cr
        self.env.flush_all()
        cr.execute("DROP INDEX IF EXISTS ctrl_account_partial_reconcile_later_sides_idx")  # as right after the install
        cr.execute("UPDATE account_partial_reconcile SET ctrl_debit_date = NULL, ctrl_credit_date = NULL, "
                   "ctrl_account_id = NULL, ctrl_debit_partner_id = NULL, ctrl_debit_maturity = NULL "
                   "WHERE id = %s", [partial.id])
        partial.invalidate_recordset()
        self.assertEqual(self._open(self._aging("2019-03-31"), invoice), 300.0, "empty dates: lines looked up")
        self.assertFalse(self._aging("2019-04-01").line_ids.filtered(lambda ln: ln.move_id == invoice))
        engine = self.env["ctrl.aging.engine"]
        rows = engine._aggregate("2019-03-31", self.company, self.collection)
        self.assertIn((invoice.partner_id.id, 300.0, 1), [(row[0], row[2], row[3]) for row in rows],
                      "grouped aging: the unfilled partial's lines looked up")
        cr.execute("SELECT MAX(id) FROM account_partial_reconcile")
        batch = cr.fetchone()[0] // 2 + 1  # the ranges [0, batch) and [batch, 2 * batch) hold every partial
        calls = 0
        while not index_exists(cr, "ctrl_account_partial_reconcile_later_sides_idx") and calls < 5:
            Partial._cron_ctrl_fill_line_dates(batch_size=batch)
            calls += 1
        self.assertEqual(calls, 3, "two ranges, then the index")
        self.assertEqual((str(partial.ctrl_debit_date), str(partial.ctrl_credit_date)), ("2019-01-10", "2019-04-01"))
        self.assertEqual((partial.ctrl_account_id, partial.ctrl_debit_partner_id, str(partial.ctrl_debit_maturity),
                          partial.ctrl_debit_reconciled), (self.receivable, invoice.partner_id, "2019-01-31", True))
        self.assertIn((invoice.partner_id.id, 300.0, 1), [
            (row[0], row[2], row[3]) for row in engine._aggregate("2019-03-31", self.company, self.collection)],
            "grouped aging: the filled partial read alone")
        self.assertFalse(self.env["ir.config_parameter"].get_param("ctrl_receivable.partial_dates_from_id"))
        Partial._cron_ctrl_fill_line_dates(batch_size=batch)
        self.assertEqual(self._open(self._aging("2019-03-31"), invoice), 300.0)

    def test_grouped_aging_matches_the_items(self):
        """The grouped aggregate (bulk plus per-side corrections) gives the
        same amounts and open-item counts per customer and bucket as the
        per-line items, before, between and after the payments."""
        other = self.customer.copy({"name": "Second customer"})
        twice_later = self._invoice(1000.0, "2019-01-01", due="2019-02-01")
        self._pay(twice_later, 300.0, "2019-04-10")
        self._pay(twice_later, 700.0, "2019-05-20")  # closed by the second of two later partials
        partly = self._invoice(500.0, "2019-02-01", due="2019-03-15", partner=other)
        self._pay(partly, 200.0, "2019-01-20")  # payment dated before its invoice
        self._pay(partly, 100.0, "2019-04-15")
        refund = self._invoice(150.0, "2019-02-20", partner=other, move_type="out_refund")
        (partly | refund).line_ids.filtered(lambda ln: ln.account_id == self.receivable).reconcile()
        self._invoice(80.0, "2019-03-01")  # never paid
        engine = self.env["ctrl.aging.engine"]
        for date in ("2019-01-31", "2019-02-28", "2019-03-31", "2019-04-30", "2019-05-31"):
            grouped = {(partner, bucket): (amount, count)
                       for partner, bucket, amount, count in engine._aggregate(date, self.company, self.collection)}
            self.env.cr.execute(engine._open_items_sql(date, self.company, self.collection))
            expected = {}
            for item in self.env.cr.dictfetchall():
                if self.company.currency_id.is_zero(item["amount"]):
                    continue
                amount, count = expected.get((item["partner_id"], item["bucket_id"]), (0.0, 0))
                expected[(item["partner_id"], item["bucket_id"])] = (amount + item["amount"], count + 1)
            self.assertEqual(grouped, expected, f"as of {date}")
        rows = engine._aggregate("2019-04-30", self.company, self.collection)
        self.assertEqual(sorted(row[2:] for row in rows if row[0] == self.customer.id), [(80.0, 1), (700.0, 1)],
                         "700 of the invoice paid twice later, and the unpaid 80, each in its bucket")

    def _assert_grouped_equals_items(self, date, message=""):
        engine = self.env["ctrl.aging.engine"]
        grouped = {(partner, bucket): (amount, count)
                   for partner, bucket, amount, count in engine._aggregate(date, self.company, self.collection)}
        self.env.cr.execute(engine._open_items_sql(date, self.company, self.collection))
        expected = {}
        for item in self.env.cr.dictfetchall():
            if not self.company.currency_id.is_zero(item["amount"]):
                amount, count = expected.get((item["partner_id"], item["bucket_id"]), (0.0, 0))
                expected[(item["partner_id"], item["bucket_id"])] = (amount + item["amount"], count + 1)
        self.assertEqual(grouped, expected, message or f"as of {date}")

    def test_grouped_aging_by_a_computed_key(self):
        """A key of the grouped aging may be an SQL expression over the items (the preview's not-due
        debits); without a salesperson key it is summed with the lines' own columns."""
        self._invoice(700.0, "2019-01-01", due="2019-01-31")
        self._invoice(300.0, "2019-03-20", due="2019-04-19")
        self._invoice(50.0, "2019-03-25", move_type="out_refund")
        not_due = SQL("items.amount > 0 AND COALESCE(items.date_maturity, items.date) >= %s", "2019-03-31")
        rows = self.env["ctrl.aging.engine"]._aggregate(
            "2019-03-31", self.company, self.collection, groupby=(("not_due", not_due),), exact=True)
        totals = {}
        for is_not_due, _bucket, amount, count in rows:
            totals[is_not_due] = (totals.get(is_not_due, (0.0, 0))[0] + amount,
                                  totals.get(is_not_due, (0.0, 0))[1] + count)
        self.assertEqual(totals, {True: (300.0, 1), False: (650.0, 2)})

    def test_grouped_aging_follows_changed_lines(self):
        """The line values a partial keeps for the grouped aging follow the
        line: a due date moved after the payment, a partner changed on the
        entry's line, a payment unreconciled (the line open again)."""
        invoice = self._invoice(1000.0, "2019-01-01", due="2019-02-01")
        first = self._pay(invoice, 400.0, "2019-04-10")
        self._pay(invoice, 600.0, "2019-05-20")
        line = invoice.line_ids.filtered(lambda ln: ln.account_id == self.receivable)
        self._assert_grouped_equals_items("2019-03-31", "paid in full after the date")
        line.date_maturity = "2019-03-30"  # another bucket as of 2019-03-31
        partial = line.matched_credit_ids[:1]
        self.assertEqual(str(partial.ctrl_debit_maturity), "2019-03-30")
        self._assert_grouped_equals_items("2019-03-31", "due date moved")
        first.move_id.line_ids.filtered(lambda ln: ln.account_id == self.receivable).remove_move_reconcile()
        self.assertFalse(line.reconciled)
        self.assertFalse(line.matched_credit_ids.ctrl_debit_reconciled, "the remaining partial: line open again")
        self._assert_grouped_equals_items("2019-03-31", "a payment unreconciled")
        self._assert_grouped_equals_items("2019-05-01", "between the payments")

    def test_grouped_aging_sums_cents_to_the_currency(self):
        """The grouped aging sums in float8: cents add up to the amount the
        currency shows, and a later partial paid in cents is added back."""
        for amount in (0.10, 0.20, 100.07):
            self._invoice(amount, "2019-01-01", due="2019-01-31")
        paid = self._invoice(19.99, "2019-01-01", due="2019-01-31")
        self._pay(paid, 19.99, "2019-05-01")
        engine = self.env["ctrl.aging.engine"]
        rows = [row for row in engine._aggregate("2019-03-31", self.company, self.collection)
                if row[0] == self.customer.id]
        self.assertEqual(len(rows), 1, "one bucket: all four invoices were due on the same day")
        currency = self.company.currency_id
        self.assertEqual(currency.compare_amounts(rows[0][2], 120.36), 0)
        self.assertEqual(rows[0][3], 4)

    def test_foreign_currency(self):
        # 1000 EUR at 2 EUR per company unit = 500; paid 400 EUR when the rate is 4 (= 100).
        invoice = self._invoice(1000.0, "2019-02-01", due="2019-02-28", currency=self.eur)
        self._pay(invoice, 400.0, "2019-07-01")
        before = self._aging("2019-06-30")
        line = before.line_ids.filtered(lambda ln: ln.move_id == invoice)
        self.assertEqual((line.amount, line.amount_currency, line.currency_id), (500.0, 1000.0, self.eur))
        after = self._aging("2019-07-31")
        line = after.line_ids.filtered(lambda ln: ln.move_id == invoice)
        self.assertEqual(line.amount_currency, 600.0)
        self.assertEqual(line.amount, 300.0, "open EUR at the invoice's rate; the exchange difference is booked")
        self.assertTrue(before.reconciled)
        self.assertTrue(after.reconciled)
        self.assertEqual(after.total_open, after.account_balance)

    def test_credit_notes(self):
        invoice = self._invoice(800.0, "2019-02-01", due="2019-02-01")
        refund = self._invoice(200.0, "2019-03-15", move_type="out_refund")
        report = self._aging("2019-03-31")
        self.assertEqual(self._open(report, refund), -200.0, "an open credit note lowers the balance")
        self.assertEqual(report.total_open, 600.0)
        (invoice | refund).line_ids.filtered(lambda ln: ln.account_id == self.receivable).reconcile()
        # Matched on the credit note's date (the partial's max_date): before it the
        # invoice is open in full; after it only the invoice's remainder is open.
        before = self._aging("2019-03-14")
        self.assertEqual(self._open(before, invoice), 800.0)
        self.assertFalse(before.line_ids.filtered(lambda ln: ln.move_id == refund))
        later = self._aging("2019-03-31")
        self.assertEqual(self._open(later, invoice), 600.0)
        self.assertFalse(later.line_ids.filtered(lambda ln: ln.move_id == refund))
        self.assertTrue(later.reconciled)

    def test_reconciliation_to_account_balance(self):
        invoice = self._invoice(1000.0, "2019-01-01")
        self._invoice(250.0, "2019-02-01")
        self._pay(invoice, 1000.0, "2019-02-10")
        # A manual receivable entry without partner still counts (the check would catch its absence).
        self.env["account.move"].create({
            "move_type": "entry", "date": "2019-02-20", "journal_id": self.misc_journal.id,
            "line_ids": [
                Command.create({"account_id": self.receivable.id, "debit": 75.0}),
                Command.create({"account_id": self.company_data["default_account_revenue"].id, "credit": 75.0}),
            ],
        }).action_post()
        report = self._aging("2019-02-28")
        self.assertEqual(report.total_open, 325.0)
        self.assertEqual(report.account_balance, 325.0)
        self.assertEqual(report.difference, 0.0)
        self.assertTrue(report.reconciled)
        self.assertEqual(sum(row["amount"] for row in report.bucket_summary), 325.0)
        # An entry posted after the computation makes the stored check stale, and computing again restores it.
        self._invoice(10.0, "2019-02-01")
        self.assertEqual(self.env["ctrl.aging.engine"]._account_balance("2019-02-28", self.company), 335.0)
        report.action_compute()
        self.assertTrue(report.reconciled)
        self.assertEqual(report.total_open, 335.0)

    def test_groupings(self):
        other_user = self.recv_manager
        team = self.env["crm.team"].create({"name": "East", "user_id": self.recv_manager.id})
        first = self._invoice(100.0, "2019-01-01", user=other_user)
        first.team_id = team
        self._invoice(50.0, "2019-01-01")
        engine = self.env["ctrl.aging.engine"]
        rows = engine._aggregate("2019-01-31", self.company, self.collection, groupby=("user_id", "team_id"))
        by_user = {row[0]: row[3] for row in rows}
        self.assertEqual(by_user[other_user.id], 100.0)
        self.assertEqual(by_user[self.env.user.id], 50.0)
        report = self._aging("2019-01-31")
        self.assertEqual(report.line_ids.filtered(lambda ln: ln.move_id == first).team_id, team)
        self.assertEqual(engine._aggregate("2019-01-31", self.company, self.collection,
                                           groupby=("company_id",))[0][2], 150.0)

    def test_lines_stored_lean_and_deleted_with_their_report(self):
        invoice = self._invoice(100.0, "2019-01-01")
        report = self._aging("2019-01-31")
        line = report.line_ids.filtered(lambda ln: ln.move_id == invoice)
        self.assertEqual((line.partner_id, line.amount), (invoice.partner_id, 100.0))
        self.env.cr.execute("""SELECT count(*) FROM pg_constraint
                                WHERE conrelid = 'ctrl_aging_report_line'::regclass AND contype = 'f'""")
        self.assertEqual(self.env.cr.fetchone()[0], 0, "no foreign-key check per stored line")
        with self.assertRaises(AccessError), self.cr.savepoint():
            report.with_user(self.recv_user).unlink()
        self.assertTrue(line.exists(), "a refused deletion keeps the lines")
        report.unlink()
        self.env.cr.execute("SELECT count(*) FROM ctrl_aging_report_line WHERE report_id = %s", (report.id,))
        self.assertEqual(self.env.cr.fetchone()[0], 0, "the report takes its lines with it")

    def test_ar06_classes_on_default_settings(self):
        """001/AR06.19 on the company's default settings: normal within the term or under 20 days past it,
        overdue from 20 to 90 days, sluggish from 90 to 360 days, bad above 360 days."""
        company = self.company
        self.assertEqual((company.ctrl_recv_class_overdue_days, company.ctrl_recv_class_sluggish_days,
                          company.ctrl_recv_class_bad_days), (20, 90, 360))
        invoice = self._invoice(100.0, "2018-12-01", due="2019-01-01")
        classes = {}
        for day in ("2019-01-20", "2019-01-21", "2019-04-01", "2019-04-02", "2019-12-27", "2019-12-28"):
            line = self._aging(day).line_ids.filtered(lambda ln: ln.move_id == invoice)
            classes[line.days_due] = line.ar_class
        self.assertEqual(classes, {19: "normal", 20: "overdue", 90: "overdue", 91: "sluggish", 360: "sluggish",
                                   361: "bad"})
        with self.assertRaisesRegex(ValidationError, "Bad after"):
            company.ctrl_recv_class_bad_days = 89

    def test_provisioning_scheme_by_invoice_age(self):
        old = self._invoice(100.0, "2016-06-30", due="2016-07-30")
        recent = self._invoice(100.0, "2019-01-01", due="2019-12-31")
        report = self._aging("2019-06-30", scheme=self.provision)
        self.assertEqual(self._bucket(report, old), "3-4 years")
        self.assertEqual(self._bucket(report, recent), "Under 1 year")
        self.assertEqual(self._bucket(self._aging("2019-06-29", scheme=self.provision), old), "2-3 years")

    def test_xlsx_export(self):
        self._invoice(100.0, "2019-01-01")
        report = self._aging("2019-01-31")
        attachment = report._xlsx_attachment()
        workbook = openpyxl.load_workbook(io.BytesIO(attachment.raw))
        self.assertEqual(workbook.sheetnames, ["Summary", "Detail"])
        summary = [[cell for cell in row if cell is not None]
                   for row in workbook["Summary"].iter_rows(values_only=True)]
        self.assertIn(["Reconciles"], summary)
        detail = list(workbook["Detail"].iter_rows(values_only=True))
        self.assertEqual([row[0] for row in detail if row[0] == "Aging Customer"], ["Aging Customer"])

    def test_bucket_overlap_and_gap(self):
        buckets = self.collection._ordered_buckets()
        with self.assertRaisesRegex(ValidationError, "overlap"):
            buckets[2].age_from = 10
        with self.assertRaisesRegex(ValidationError, "gap"):
            buckets[2].age_from = 12
        with self.assertRaisesRegex(ValidationError, "gap above"):
            buckets[-1].write({"no_upper": False, "age_to": 999})
        with self.assertRaisesRegex(ValidationError, "gap below"):
            buckets[0].no_lower = False
        with self.assertRaisesRegex(ValidationError, "gap"):
            buckets[3].unlink()
        with self.assertRaisesRegex(ValidationError, "overlap"):
            self.env["ctrl.aging.scheme"].create({
                "name": "Bad", "bucket_ids": [
                    Command.create({"name": "a", "no_lower": True, "age_to": 10}),
                    Command.create({"name": "b", "age_from": 5, "no_upper": True}),
                ],
            })
        self.assertEqual(buckets[2].age_from, 11, "nothing was written")

    def test_bucket_rate_out_of_range(self):
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.provision.bucket_ids[0].rate = 120.0
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.provision.bucket_ids[0].rate = -1.0
