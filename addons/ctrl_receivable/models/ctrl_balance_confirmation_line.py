# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlBalanceConfirmationLine(models.Model):
    """One open receivable item of a customer at the as-of date of its
    balance confirmation (a snapshot, so the letter reprints the same)."""

    _name = "ctrl.balance.confirmation.line"
    _description = "Balance Confirmation Item"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "confirmation_id, date, id"

    confirmation_id = fields.Many2one("ctrl.balance.confirmation", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="confirmation_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="confirmation_id.currency_id")
    move_line_id = fields.Many2one("account.move.line", "Journal item", readonly=True, ondelete="set null")
    move_id = fields.Many2one("account.move", "Document", readonly=True, ondelete="set null")
    ref = fields.Char(related="move_id.ref")
    date = fields.Date(readonly=True)
    date_maturity = fields.Date("Due", readonly=True)
    amount = fields.Monetary("Open amount", readonly=True, help="Company currency, at the as-of date.")
    line_currency_id = fields.Many2one("res.currency", "Document currency", readonly=True)
    amount_currency = fields.Monetary("Open in document currency", currency_field="line_currency_id",
                                      readonly=True)

    # The snapshot is written by the server only (``_ctrl_compute_balance``).
    _ctrl_parent_field = "confirmation_id"
    _ctrl_protected_fields = ("confirmation_id", "move_line_id", "move_id", "date", "date_maturity", "amount",
                              "line_currency_id", "amount_currency")

    @api.depends("move_id.name", "confirmation_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.confirmation_id.name, line.move_id.name]))
