# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlAgingReportKpi(models.Model):
    """Receivable KPIs of one aging report, per salesperson and in total."""

    _name = "ctrl.aging.report.kpi"
    _description = "Receivable KPIs"
    _order = "date desc, is_total desc, user_id"

    report_id = fields.Many2one("ctrl.aging.report", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="report_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="report_id.currency_id")
    date = fields.Date(related="report_id.date", store=True, string="As of")
    kind = fields.Selection(related="report_id.kind", store=True)
    user_id = fields.Many2one("res.users", "Salesperson")
    is_total = fields.Boolean("Company total")
    open_amount = fields.Monetary("Open receivables")
    overdue_amount = fields.Monetary("Overdue")
    overdue_ratio = fields.Float("Overdue ratio (%)", digits=(16, 2), aggregator="avg")
    sales_amount = fields.Monetary("Credit sales (DSO period)")
    dso = fields.Float("DSO (days)", digits=(16, 1), aggregator="avg",
                       help="Open receivables / credit sales of the DSO period x the days of the period.")
    year_sales = fields.Monetary("Credit sales (12 months)")
    written_off = fields.Monetary("Written off (12 months)")
    bad_debt_rate = fields.Float("Bad-debt rate (‰)", digits=(16, 2), aggregator="avg")
    bad_debt_target = fields.Float("Target (‰)", digits=(16, 2), aggregator="avg")
    on_target = fields.Boolean("Within target")
