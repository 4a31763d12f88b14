# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin

from .common import CtrlCreditCase

REPORT = "ctrl_credit.report_credit_watchlist_xlsx"


@tagged("post_install", "-at_install")
class TestCreditWatchlistXlsx(CtrlXlsxMixin, CtrlCreditCase, HttpCase):
    """Issue #21: the credit watchlist is an XLSX report printed as a Customer
    Credit user; it lists the customers on hold and the overdue ones."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        # Only the group the watchlist needs.
        cls.watcher = new_test_user(cls.env, "cc_watcher", groups="base.group_user,ctrl_credit.group_credit_user",
                                    **company_vals)
        cls.outsider = new_test_user(cls.env, "cc_outsider", groups="sales_team.group_sale_salesman",
                                     **company_vals)
        cls.held = cls.env["res.partner"].create({"name": "Held Customer", "is_company": True})
        cls.env["ctrl.credit.hold"]._ctrl_place(cls.held, "manual", note="Cheque returned unpaid")
        cls.late = cls.env["res.partner"].create({"name": "Late Customer", "is_company": True})
        cls._grade(cls.late, "B", limit=50000)
        cls._due_invoice(cls.late, 300.0, cls.company.ctrl_credit_overdue_grace_days + 20)
        cls.fine = cls.env["res.partner"].create({"name": "Comfortable Customer", "is_company": True})
        cls._grade(cls.fine, "A", limit=100000)
        cls._due_invoice(cls.fine, 100.0, -10)  # due in ten days

    @classmethod
    def _due_invoice(cls, partner, amount, days_overdue):
        due = fields.Date.context_today(cls.env.user) - timedelta(days=days_overdue)
        invoice = cls.init_invoice("out_invoice", partner=partner, amounts=[amount],
                                   invoice_date=min(due, fields.Date.context_today(cls.env.user)), post=False)
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = due
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").date_maturity = due
        invoice.action_post()
        return invoice

    def _check_watchlist(self, book):
        grace = self.company.ctrl_credit_overdue_grace_days
        self.assertEqual(book.sheetnames, ["Credit watchlist"])
        self.assertXlsxHeader(book, self.watcher, self.company,
                              {"Near the limit from": "90%", "Overdue beyond (days)": grace})
        table = self.xlsx_table(book["Credit watchlist"])
        self.assertEqual(table[0][:4], ("Customer", "Grade", "Credit limit", "Exposure"))
        rows = {row[0]: row for row in table[1:]}
        self.assertIn("Held Customer", rows)
        self.assertIn("Late Customer", rows)
        self.assertNotIn("Comfortable Customer", rows)
        held, late = rows["Held Customer"], rows["Late Customer"]
        self.assertEqual(held[7], "Yes")
        self.assertIn("Cheque returned unpaid", held[8])
        self.assertEqual(late[1:4], ("B", 50000.0, 300.0))
        self.assertGreater(late[6], grace)

    def test_render_as_a_credit_user(self):
        self._check_watchlist(self.render_xlsx(REPORT, [], self.watcher))

    def test_download_as_a_credit_user(self):
        book, filename = self.downloaded_xlsx(REPORT, [], "cc_watcher")
        self._check_watchlist(book)
        today = fields.Date.context_today(self.env["res.users"].with_user(self.watcher))
        self.assertEqual(filename, f"credit-watchlist-{today}.xlsx")

    def test_menu_action_downloads_the_report(self):
        action = self.env["res.partner"].with_user(self.watcher).action_ctrl_credit_export_xlsx()
        self.assertEqual((action["type"], action["report_type"], action["context"]["active_ids"]),
                         ("ir.actions.report", "xlsx", []))
        self.assertEqual(action["report_name"], "ctrl_credit.credit_watchlist")

    def test_refused_without_the_credit_group(self):
        with self.assertRaises(AccessError):
            self.render_xlsx(REPORT, [], self.outsider)
        with self.assertRaisesRegex(AccessError, "Only Customer Credit users"):
            self.env["res.partner"].with_user(self.outsider).action_ctrl_credit_export_xlsx()
        self.assertXlsxRefused(self.download_xlsx(REPORT, [], "cc_outsider"))
