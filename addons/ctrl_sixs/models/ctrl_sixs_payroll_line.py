# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlSixsPayrollLine(models.Model):
    _name = "ctrl.sixs.payroll.line"
    _rec_name = "employee_id"
    _description = "6S Monthly Payroll Summary: Employee"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "payroll_id, employee_id"

    # Sums of the ledger, written by the summary's preparation only.
    _ctrl_parent_field = "payroll_id"
    _ctrl_content_fields = ("employee_id", "points", "points_lost", "points_beyond", "points_money", "fine_amount",
                            "award_amount")
    _ctrl_protected_fields = _ctrl_content_fields

    payroll_id = fields.Many2one("ctrl.sixs.payroll", required=True, ondelete="cascade", index=True)
    employee_id = fields.Many2one("hr.employee", required=True, index=True)
    department_id = fields.Many2one(related="employee_id.department_id", store=True)
    points = fields.Float(help="Net points of the month (negative when points were lost).")
    points_lost = fields.Float(help="Points lost in the month, before the tolerance.")
    points_beyond = fields.Float("Beyond tolerance", help="Points lost beyond the monthly tolerance.")
    points_money = fields.Monetary("From points", currency_field="currency_id",
                                   help="Per the money conversion setting: 2 a point beyond the tolerance or "
                                   "5 a point.")
    fine_amount = fields.Monetary("Fixed fines", currency_field="currency_id",
                                  help="Office fines and inspector-leniency fines of the ledger.")
    award_amount = fields.Monetary("Awards", currency_field="currency_id",
                                   help="Approved awards whose period ends in the month (a model area's leader "
                                   "share goes to the process leader) and rewards of the ledger.")
    total_amount = fields.Monetary("Net amount", compute="_compute_total", store=True, currency_field="currency_id")
    currency_id = fields.Many2one(related="payroll_id.currency_id")
    state = fields.Selection(related="payroll_id.state")
    company_id = fields.Many2one(related="payroll_id.company_id", store=True, index=True)

    _sql_constraints = [
        ("payroll_employee_uniq", "unique(payroll_id, employee_id)", "One row per employee in a payroll summary."),
    ]

    @api.depends("points_money", "fine_amount", "award_amount")
    def _compute_total(self):
        for line in self:
            line.total_amount = line.points_money + line.fine_amount + line.award_amount
