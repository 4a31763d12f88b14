# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import models
from odoo.exceptions import UserError


class SixsPayrollXlsx(models.AbstractModel):
    """An approved monthly 6S summary per employee, for payroll (V14 §4.2)."""

    _name = "report.ctrl_sixs.payroll"
    _inherit = "ctrl.xlsx.report"
    _description = "6S payroll summary (XLSX)"

    def _ctrl_xlsx_check(self, records, data):
        if len(records) != 1:
            raise UserError(self.env._("Export one monthly summary at a time: select a single month."))
        records._ctrl_sixs_check_export()

    def _ctrl_xlsx_filters(self, records, data):
        _ = self.env._
        return [(_("Month"), records.month), (_("From"), records.date_start), (_("To"), records.date_end),
                (_("Approved summary"), records.name)]

    def _fill_workbook(self, workbook, formats, records, data):
        _ = self.env._
        payroll = records
        sheet = workbook.add_worksheet(payroll.month)
        row = self._ctrl_xlsx_columns(sheet, workbook.first_row, [
            (_("Employee"), 28), (_("Department"), 24), (_("Points"), 10), (_("Points lost"), 10),
            (_("Points beyond tolerance"), 12), (_("From points"), 14), (_("Fixed fines"), 14), (_("Awards"), 14),
            (_("Net amount"), 14)], formats)
        money = formats["money"]
        cell_formats = [None] * 5 + [money] * 4
        lines = payroll.line_ids.sorted(lambda line: (line.department_id.name or "", line.employee_id.name or ""))
        for line in lines:
            self._ctrl_xlsx_row(sheet, row, [
                line.employee_id.name, line.department_id.name or "", line.points, line.points_lost,
                line.points_beyond, line.points_money, line.fine_amount, line.award_amount, line.total_amount,
            ], formats, cell_formats)
            row += 1
        sheet.write(row, 0, _("Total"), formats["bold"])
        self._ctrl_xlsx_row(sheet, row, [None] * 5 + [payroll.points_money, payroll.fine_amount,
                                                      payroll.award_amount, payroll.total_amount],
                            formats, [None] * 5 + [formats["money_bold"]] * 4)
