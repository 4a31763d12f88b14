# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


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
    label = fields.Char("For", compute="_compute_label",
                        help="The salesperson of the invoices; 'No salesperson' gathers the receivables of "
                        "invoices without one (payments and entries not linked to an invoice included).")
    open_amount = fields.Monetary("Open receivables",
                                  help="Open receivable items at the report's date, unapplied credits deducted.")
    overdue_amount = fields.Monetary(
        "Overdue", help="The part of the open receivables that is past due: unapplied credits are applied to the "
        "overdue items first, so it is never more than the open amount, nor below zero.")
    overdue_ratio = fields.Float("Overdue ratio (%)", digits=(16, 2), aggregator="avg")
    sales_amount = fields.Monetary("Credit sales (DSO period)")
    dso = fields.Float("DSO (days)", digits=(16, 1), aggregator="avg",
                       help="Open receivables / credit sales of the DSO period x the days of the period.")
    year_sales = fields.Monetary("Credit sales (12 months)")
    written_off = fields.Monetary("Written off (12 months)")
    bad_debt_rate = fields.Float("Bad-debt rate (‰)", digits=(16, 2), aggregator="avg")
    bad_debt_target = fields.Float("Target (‰)", digits=(16, 2), aggregator="avg")
    on_target = fields.Boolean("Within target")

    @api.depends("user_id", "is_total")
    @api.depends_context("lang")
    def _compute_label(self):
        for kpi in self:
            kpi.label = (self.env._("Company total") if kpi.is_total
                         else kpi.user_id.name or self.env._("No salesperson"))

    @api.depends("label", "report_id.name")
    def _compute_display_name(self):
        for kpi in self:
            kpi.display_name = f"{kpi.report_id.name or ''} - {kpi.label}" if kpi.report_id else kpi.label
