# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError


class AccountabilityPayrollXlsx(models.AbstractModel):
    """Monthly totals per salesperson of the selected accountability entries
    (deductions less refunds, by what they are deducted from; guarantees are not
    payroll items), for payroll."""

    _name = "report.ctrl_receivable.accountability_payroll"
    _inherit = "ctrl.xlsx.report"
    _description = "Salesperson accountability for payroll (XLSX)"

    def _ctrl_xlsx_check(self, records, data):
        if not records:
            raise UserError(_("Select the accountability entries to export for payroll."))

    def _ctrl_xlsx_filters(self, records, data):
        return [(_("Months"), ", ".join(sorted(set(records.mapped("period"))))),
                (_("Entries selected"), len(records))]

    def _fill_workbook(self, workbook, formats, records, data):
        groups = records._read_group([("id", "in", records.ids), ("payroll", "=", True)],
                                     ["period", "company_id", "user_id", "measure"], ["amount:sum"])
        # One row per month and salesperson: the collection ladder's deductions come off the bonus-counted
        # performance (001/AR03.16), not the pay; money deductions, if any, in their own column.
        totals = {}
        for period, company, user, measure, amount in groups:
            totals.setdefault((period, company, user), {})[measure] = amount
        sheet = workbook.add_worksheet(_("Payroll"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [
            (_("Month"), 10), (_("Company"), 24), (_("Salesperson"), 24), (_("Login"), 24),
            (_("Performance deducted"), 20), (_("Money deducted"), 16),
        ], formats)
        for (period, company, user), amounts in sorted(totals.items(), key=lambda item: (item[0][0], item[0][2].name)):
            self._ctrl_xlsx_row(sheet, row, [period, company.name, user.name, user.login,
                                             amounts.get("performance", 0.0), amounts.get("money", 0.0)], formats,
                                [None, None, None, None, formats["money"], formats["money"]])
            row += 1
