# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

AR_CLASSES = [("normal", "Normal"), ("overdue", "Overdue"), ("sluggish", "Sluggish")]


class CtrlAgingReportLine(models.Model):
    """One receivable item open at the report's date (written by SQL)."""

    _name = "ctrl.aging.report.line"
    _description = "Receivable Aging Item"
    _order = "partner_id, date_maturity, id"

    report_id = fields.Many2one("ctrl.aging.report", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one("res.company", required=True, index=True)
    company_currency_id = fields.Many2one(related="company_id.currency_id", string="Company currency")
    move_line_id = fields.Many2one("account.move.line", "Journal item", index=True)
    move_id = fields.Many2one("account.move", "Document")
    partner_id = fields.Many2one("res.partner", "Customer", index=True)
    user_id = fields.Many2one("res.users", "Salesperson")
    team_id = fields.Many2one("crm.team", "Sales team")
    account_id = fields.Many2one("account.account", "Account")
    currency_id = fields.Many2one("res.currency", "Currency")
    date = fields.Date()
    date_maturity = fields.Date("Due date")
    invoice_date = fields.Date()
    days_due = fields.Integer("Days past due", aggregator="max")
    bucket_id = fields.Many2one("ctrl.aging.bucket", "Bucket", index=True)
    ar_class = fields.Selection(AR_CLASSES, "Class", help="Normal, overdue or sluggish by days past due.")
    amount = fields.Monetary("Open amount", currency_field="company_currency_id")
    amount_currency = fields.Monetary("Open in currency", currency_field="currency_id", aggregator=None)

    def action_open_document(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": self.move_id.id,
                "view_mode": "form", "target": "current"}

    @api.depends("move_id.name", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.partner_id.name, line.move_id.name]))
