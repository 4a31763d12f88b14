# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError


class AccountabilityPayrollXlsx(models.AbstractModel):
    """Monthly totals per salesperson of the selected accountability entries
    (deductions less refunds; guarantees are not payroll items), for payroll."""

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
                                     ["period", "company_id", "user_id"], ["amount:sum"])
        sheet = workbook.add_worksheet(_("Payroll"))
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [
            (_("Month"), 10), (_("Company"), 24), (_("Salesperson"), 24), (_("Login"), 24), (_("Net deduction"), 16),
        ], formats)
        for period, company, user, amount in sorted(groups, key=lambda group: (group[0], group[2].name)):
            self._ctrl_xlsx_row(sheet, row, [period, company.name, user.name, user.login, amount], formats,
                                [None, None, None, None, formats["money"]])
            row += 1
