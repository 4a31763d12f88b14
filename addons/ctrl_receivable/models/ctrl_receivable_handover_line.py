# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlReceivableHandoverLine(models.Model):
    """One customer or one open invoice on a handover list, with its open
    amount when the list was confirmed."""

    _name = "ctrl.receivable.handover.line"
    _description = "Receivables Handover Item"
    _inherit = ["ctrl.lifecycle.line.mixin"]
    _order = "handover_id, line_type desc, date_due, id"

    handover_id = fields.Many2one("ctrl.receivable.handover", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="handover_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="handover_id.currency_id")
    line_type = fields.Selection([("partner", "Customer"), ("invoice", "Open invoice")], required=True,
                                 readonly=True)
    partner_id = fields.Many2one("res.partner", "Customer", readonly=True, index=True)
    move_id = fields.Many2one("account.move", "Invoice", readonly=True, index=True, ondelete="set null")
    date_due = fields.Date("Due", readonly=True)
    amount = fields.Monetary("Open at handover", readonly=True,
                             help="Open amount in company currency when the list was confirmed (for a customer: "
                             "the total of the listed invoices).")
    residual = fields.Monetary("Open now", compute="_compute_residual")
    guaranteed = fields.Boolean(
        "Customer guarantee", help="The customer gave a payment commitment or guarantee for this invoice.")
    guarantee_note = fields.Char("Guarantee")
    settled = fields.Boolean("Collected or guaranteed", compute="_compute_residual")

    # The list is written by the server (``_ctrl_compute_lines``); the guarantee is recorded by hand.
    _ctrl_parent_field = "handover_id"
    _ctrl_content_fields = ("handover_id", "line_type", "partner_id", "move_id", "date_due", "amount")
    _ctrl_protected_fields = _ctrl_content_fields

    @api.depends("move_id.amount_residual_signed", "guaranteed", "amount")
    def _compute_residual(self):
        for line in self:
            line.residual = line.move_id.amount_residual_signed if line.move_id else line.amount
            line.settled = line.guaranteed or (
                bool(line.move_id) and line.currency_id.is_zero(line.move_id.amount_residual_signed))

    @api.depends("move_id.name", "partner_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = line.move_id.name or line.partner_id.name or ""
