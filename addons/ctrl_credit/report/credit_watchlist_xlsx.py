# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import AccessError

NEAR_LIMIT = 0.9


class CreditWatchlistXlsx(models.AbstractModel):
    """The customers to watch in the current company: near or over their
    credit limit, overdue beyond the grace days, or on credit hold."""

    _name = "report.ctrl_credit.credit_watchlist"
    _inherit = "ctrl.xlsx.report"
    _description = "Credit watchlist (XLSX)"

    def _ctrl_xlsx_check(self, records, data):
        if not self.env.su and not self.env.user.has_group("ctrl_credit.group_credit_user"):
            raise AccessError(_("Only Customer Credit users can export the credit watchlist."))

    def _ctrl_xlsx_filters(self, records, data):
        company = self.env.company
        return [
            (_("Near the limit from"), f"{NEAR_LIMIT:.0%}"),
            (_("Overdue beyond (days)"), company.ctrl_credit_overdue_grace_days),
            (_("Listed"), _("Customers near or over their credit limit, overdue, or on credit hold")),
        ]

    def _fill_workbook(self, workbook, formats, records, data):
        company = self.env.company
        sheet = workbook.add_worksheet(_("Credit watchlist"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [
            (_("Customer"), 36), (_("Grade"), 10), (_("Credit limit"), 16), (_("Exposure"), 16),
            (_("Available"), 16), (_("Used (%)"), 10), (_("Oldest overdue (days)"), 12), (_("On credit hold"), 10),
            (_("Why on hold"), 60),
        ], formats)
        money = formats["money"]
        for partner, limit, exposure, days, reasons in self.env["res.partner"]._ctrl_credit_watchlist(
                company, near=NEAR_LIMIT):
            self._ctrl_xlsx_row(sheet, row, [
                partner.display_name, partner.with_company(company).ctrl_credit_grade_id.code or "",
                limit or None, exposure, limit - exposure if limit else None,
                round(100.0 * exposure / limit, 1) if limit else None, days,
                _("Yes") if reasons else "", "\n".join(reasons),
            ], formats, [None, None, money, money, money, None, None, None, formats["wrap"]])
            row += 1
