# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.tools import SQL

AR_CLASSES = [("normal", "Normal"), ("overdue", "Overdue"), ("sluggish", "Sluggish"), ("bad", "Bad")]


class CtrlAgingReportLine(models.Model):
    """One receivable item open at the report's date (written by SQL).

    A lean table the report owns: no foreign keys (checking eight of them
    per row was most of the time a report over a million open items took;
    the rows are copied from posted journal items in one INSERT ... SELECT)
    and one index, on the report. The report deletes its lines with it."""

    _name = "ctrl.aging.report.line"
    _description = "Receivable Aging Item"
    _order = "partner_id, date_maturity, id"
    _auto = False  # the table is created by init(), without foreign keys

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
    ar_class = fields.Selection(AR_CLASSES, "Class", help="Normal, overdue, sluggish or bad by days past due.")
    amount = fields.Monetary("Open amount", currency_field="company_currency_id")
    amount_currency = fields.Monetary("Open in currency", currency_field="currency_id", aggregator=None)

    def init(self):
        self.env.cr.execute(SQL("""
            CREATE TABLE IF NOT EXISTS ctrl_aging_report_line (
                id serial PRIMARY KEY,
                report_id integer NOT NULL,
                company_id integer NOT NULL,
                move_line_id integer,
                move_id integer,
                partner_id integer,
                user_id integer,
                team_id integer,
                account_id integer,
                currency_id integer,
                date date,
                date_maturity date,
                invoice_date date,
                days_due integer,
                bucket_id integer,
                ar_class varchar,
                amount numeric,
                amount_currency numeric
            );
            CREATE INDEX IF NOT EXISTS ctrl_aging_report_line__report_id_index ON ctrl_aging_report_line (report_id);
            COMMENT ON TABLE ctrl_aging_report_line IS %s
        """, self._description))

    def action_open_document(self):
        self.ensure_one()
        return {"type": "ir.actions.act_window", "res_model": "account.move", "res_id": self.move_id.id,
                "view_mode": "form", "target": "current"}

    @api.depends("move_id.name", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.partner_id.name, line.move_id.name]))
