# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlAgingReportBill(models.Model):
    """A commercial acceptance bill in hand at the report's date, bucketed by
    its maturity date (001/AR02.6, AR16.8: a commercial acceptance bill is
    managed as a receivable). Written by SQL with the report; apart from the
    receivable items, whose total reconciles with the receivable accounts:
    the invoices a bill paid are settled, so nothing is counted twice."""

    _name = "ctrl.aging.report.bill"
    _description = "Aging: Bill in Hand"
    _order = "partner_id, maturity_date, id"
    _log_access = False

    report_id = fields.Many2one("ctrl.aging.report", required=True, ondelete="cascade", index=True, readonly=True)
    company_id = fields.Many2one("res.company", required=True, index=True, readonly=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    bill_id = fields.Many2one("ctrl.credit.bill", "Bill", readonly=True, ondelete="cascade")
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True)
    currency_id = fields.Many2one("res.currency", "Currency", readonly=True)
    maturity_date = fields.Date("Maturity date", readonly=True)
    days_due = fields.Integer("Days past maturity", readonly=True, aggregator="max")
    bucket_id = fields.Many2one("ctrl.aging.bucket", "Bucket", readonly=True)
    amount = fields.Monetary("Amount", currency_field="company_currency_id", readonly=True)
    amount_currency = fields.Monetary("Amount in currency", currency_field="currency_id", readonly=True,
                                      aggregator=None)

    @api.depends("bill_id.display_name", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.partner_id.name, line.bill_id.display_name]))
