# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin

from .common import CtrlReceivableCase

AGING = "ctrl_receivable.report_aging_xlsx"
PAYROLL = "ctrl_receivable.report_accountability_payroll_xlsx"


@tagged("post_install", "-at_install")
class TestReceivableXlsx(CtrlXlsxMixin, CtrlReceivableCase, HttpCase):
    """Issue #21: the aging table and the accountability export for payroll
    are XLSX reports, printed as a receivables user with their record rules."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.outsider = new_test_user(cls.env, "recv_outsider", groups="base.group_user",
                                     company_id=cls.company.id, company_ids=company_ids)
        cls.seller = new_test_user(cls.env, "recv_seller", groups="ctrl_receivable.group_receivable_user",
                                   company_id=cls.company.id, company_ids=company_ids)
        cls.team = cls.env["crm.team"].create({"name": "North team", "company_id": cls.company.id})
        cls.other = cls.env["res.partner"].create({"name": "Other Customer", "is_company": True})
        cls.old = cls._invoice(100.0, "2019-01-01")
        cls.recent = cls._invoice(250.0, "2019-01-25", partner=cls.other)
        cls.recent.team_id = cls.team
        cls.report = cls.env["ctrl.aging.report"].create({
            "date": "2019-01-31", "company_id": cls.company.id, "scheme_id": cls.collection.id})
        cls.report.action_compute()

    # Aging table -----------------------------------------------------------------------------
    def _check_aging(self, book, team=None):
        filters = {"As of": date(2019, 1, 31), "Buckets": self.collection.display_name,
                   "Currency": self.company.currency_id.name}
        if team:
            filters["Sales team"] = team.name
        self.assertEqual(book.sheetnames, ["Summary", "Detail"])
        self.assertXlsxHeader(book, self.recv_user, self.company, filters)
        return self.xlsx_table(book["Summary"]), self.xlsx_table(book["Detail"])

    def test_aging_as_a_receivables_user(self):
        summary, detail = self._check_aging(self.render_xlsx(AGING, self.report.ids, self.recv_user))
        self.assertEqual(summary[0][:2], ("Customer", "Salesperson"))
        total_column = summary[0].index("Total")
        self.assertEqual(summary[0][total_column + 1:], ("Overdue reason", "Collection plan"))
        totals = {row[0]: row[total_column] for row in summary[1:] if len(row) > total_column}
        self.assertEqual((totals["Aging Customer"], totals["Other Customer"], totals["Total"]), (100.0, 250.0, 350.0))
        self.assertIn(("Reconciles",), summary)
        self.assertEqual(detail[0][:3], ("Customer", "Document", "Date"))
        documents = {row[1]: row for row in detail[1:]}
        self.assertEqual(set(documents), {self.old.name, self.recent.name})
        self.assertEqual(documents[self.old.name][2], datetime(2019, 1, 1))
        self.assertEqual(documents[self.old.name][8], 100.0)

    def test_aging_shows_the_overdue_reason_and_plan(self):
        """001/AR01.20, 000/R11-08: the salesperson's remarks in the monthly table."""
        self.env["ctrl.recv.overdue.note"].with_user(self.recv_manager).create({
            "partner_id": self.customer.id, "reason": "dispute", "reason_note": "Quantity short",
            "plan": "Credit note then payment", "planned_date": "2019-02-28", "planned_amount": 100.0})
        summary, _detail = self._check_aging(self.render_xlsx(AGING, self.report.ids, self.recv_user))
        rows = {row[0]: row for row in summary[1:] if row}
        self.assertEqual(rows["Aging Customer"][-2], "Dispute over goods, price or quantity - Quantity short")
        self.assertTrue(rows["Aging Customer"][-1].startswith("Credit note then payment - "))
        self.assertIn("2019-02-28", rows["Aging Customer"][-1])
        self.assertEqual(len(rows["Other Customer"]), summary[0].index("Total") + 1)

    def test_aging_of_one_sales_team(self):
        """The month-end detail of a sales manager: the items of their team only."""
        book = self.render_xlsx(AGING, self.report.ids, self.recv_user, data={"team_id": self.team.id})
        summary, detail = self._check_aging(book, team=self.team)
        self.assertEqual([row[1] for row in detail[1:]], [self.recent.name])
        self.assertEqual([row[0] for row in summary[1:] if row][:2], ["Other Customer", "Total"])
        attachment = self.report._xlsx_attachment(self.team)
        self.assertEqual(attachment.name, f"aging-{self.company.name}-2019-01-31-North team.xlsx")

    def test_aging_download(self):
        book, filename = self.downloaded_xlsx(AGING, self.report.ids, "recv_user")
        self._check_aging(book)
        self.assertEqual(filename, f"aging-{self.company.name}-2019-01-31.xlsx")
        action = self.report.with_user(self.recv_user).action_export_xlsx()
        self.assertEqual((action["report_type"], action["context"]["active_ids"]), ("xlsx", self.report.ids))

    def test_aging_refused(self):
        with self.assertRaises(AccessError):
            self.render_xlsx(AGING, self.report.ids, self.outsider)
        self.assertXlsxRefused(self.download_xlsx(AGING, self.report.ids, "recv_outsider"))
        draft = self.env["ctrl.aging.report"].create({"date": "2019-02-28", "company_id": self.company.id,
                                                      "scheme_id": self.collection.id})
        with self.assertRaisesRegex(UserError, "Compute the aging report before exporting it"):
            self.render_xlsx(AGING, draft.ids, self.recv_user)
        self.assertXlsxRefused(self.download_xlsx(AGING, draft.ids, "recv_user"), "odoo.exceptions.UserError", 400)
        with self.assertRaisesRegex(UserError, "one aging report at a time"):
            self.render_xlsx(AGING, (self.report | draft).ids, self.recv_user)

    # Accountability for payroll --------------------------------------------------------------
    def _entries(self):
        Entry = self.env["ctrl.recv.accountability"].sudo()
        values = {"company_id": self.company.id, "partner_id": self.customer.id}
        return Entry.create([
            {"kind": "deduction", "user_id": self.seller.id, "date": "2027-01-15", "amount": 120.0, **values},
            {"kind": "refund", "user_id": self.seller.id, "date": "2027-01-20", "amount": -20.0, **values},
            {"kind": "guarantee", "measure": "money", "user_id": self.seller.id, "date": "2027-01-21",
             "amount": 900.0, **values},
            {"kind": "deduction", "user_id": self.recv_user.id, "date": "2027-02-10", "amount": 50.0, **values},
        ]).with_user(self.env.user)

    def _check_payroll(self, book, user, entries):
        self.assertXlsxHeader(book, user, self.company,
                              {"Months": ", ".join(sorted(set(entries.mapped("period")))),
                               "Entries selected": len(entries)})
        return self.xlsx_table(book["Payroll"])

    def test_payroll_as_a_receivables_manager(self):
        entries = self._entries()
        table = self._check_payroll(self.render_xlsx(PAYROLL, entries.ids, self.recv_manager), self.recv_manager,
                                    entries)
        self.assertEqual(table, [
            ("Month", "Company", "Salesperson", "Login", "Performance deducted", "Money deducted"),
            ("2027-01", self.company.name, self.seller.name, "recv_seller", 100.0, 0.0),  # the guarantee is not payroll
            ("2027-02", self.company.name, self.recv_user.name, "recv_user", 50.0, 0.0),
        ])

    def test_payroll_download_and_own_entries(self):
        entries = self._entries()
        book, filename = self.downloaded_xlsx(PAYROLL, entries.ids, "recv_mgr")
        self.assertEqual(filename, "salesperson-accountability.xlsx")
        self.assertEqual(len(self._check_payroll(book, self.recv_manager, entries)), 3)
        # A receivables user reads only their own entries: printing others' is refused.
        own = entries.filtered(lambda entry: entry.user_id == self.seller)
        table = self._check_payroll(self.render_xlsx(PAYROLL, own.ids, self.seller), self.seller, own)
        self.assertEqual(table[1:], [("2027-01", self.company.name, self.seller.name, "recv_seller", 100.0, 0.0)])
        with self.assertRaises(AccessError):
            self.render_xlsx(PAYROLL, entries.ids, self.seller)
        self.assertXlsxRefused(self.download_xlsx(PAYROLL, entries.ids, "recv_seller"))
        action = own.with_user(self.seller).action_export_payroll()
        self.assertEqual((action["report_type"], action["context"]["active_ids"]), ("xlsx", own.ids))

    def test_payroll_refused(self):
        entries = self._entries()
        with self.assertRaises(AccessError):
            self.render_xlsx(PAYROLL, entries.ids, self.outsider)
        self.assertXlsxRefused(self.download_xlsx(PAYROLL, entries.ids, "recv_outsider"))
        with self.assertRaisesRegex(UserError, "Select the accountability entries"):
            self.render_xlsx(PAYROLL, [], self.recv_manager)
