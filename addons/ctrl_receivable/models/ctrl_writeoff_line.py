# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class CtrlWriteoffLine(models.Model):
    _name = "ctrl.writeoff.line"
    _description = "Bad-debt Write-off Invoice"
    _inherit = ["ctrl.lifecycle.line.mixin"]

    # Added, changed or removed only while the write-off is a draft.
    _ctrl_parent_field = "writeoff_id"
    _ctrl_content_fields = ("writeoff_id", "move_id", "amount")

    writeoff_id = fields.Many2one("ctrl.writeoff", required=True, ondelete="cascade", index=True)
    company_id = fields.Many2one(related="writeoff_id.company_id", store=True)
    currency_id = fields.Many2one(related="writeoff_id.currency_id")
    move_id = fields.Many2one(
        "account.move", "Invoice", required=True, index=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('payment_state', 'in', ('not_paid', 'partial')), ('company_id', '=', company_id)]")
    receivable_line_id = fields.Many2one("account.move.line", compute="_compute_receivable_line")
    open_amount = fields.Monetary(compute="_compute_receivable_line")
    amount = fields.Monetary(required=True)

    @api.depends("move_id")
    def _compute_receivable_line(self):
        for line in self:
            receivable = line.move_id.line_ids.filtered(
                lambda ln: ln.account_id.account_type == "asset_receivable" and not ln.reconciled)[:1]
            line.receivable_line_id = receivable
            line.open_amount = receivable.amount_residual

    @api.onchange("move_id")
    def _onchange_move_id(self):
        self.amount = self.open_amount

    @api.constrains("amount", "move_id")
    def _check_open_amount(self):
        for line in self:
            if line.currency_id.compare_amounts(line.amount, 0.0) <= 0:
                raise ValidationError(_("Write-off of %(invoice)s: the amount must be positive.",
                                        invoice=line.move_id.name))
            if line.writeoff_id.state in ("draft", "to_approve"):
                line._check_within_open_amount()
            if line.move_id.commercial_partner_id != line.writeoff_id.partner_id.commercial_partner_id:
                raise ValidationError(_("Write-off: invoice %(invoice)s is not of customer %(partner)s.",
                                        invoice=line.move_id.name, partner=line.writeoff_id.partner_id.name))

    def _check_within_open_amount(self):
        """At most what is open on the invoice (at submission and at posting)."""
        for line in self:
            if line.currency_id.compare_amounts(line.amount, line.open_amount) > 0:
                raise ValidationError(_(
                    "Write-off of %(invoice)s: %(amount)s is above its open amount %(open)s. Lower the amount.",
                    invoice=line.move_id.name, amount=line.currency_id.format(line.amount),
                    open=line.currency_id.format(line.open_amount)))

    @api.depends("writeoff_id.name", "move_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(filter(None, [line.writeoff_id.name, line.move_id.name]))
