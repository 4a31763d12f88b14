# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare


class AccountMove(models.Model):
    """003/R1.17-R1.20: a customer credit note (红字发票) from the company's
    threshold is posted only once the finance supervisor has approved it."""

    _name = "account.move"
    _inherit = ["account.move", "ctrl.approval.mixin"]

    def _ctrl_credit_note_needs_approval(self):
        self.ensure_one()
        company = self.company_id
        if self.move_type != "out_refund" or not company.ctrl_credit_note_approval:
            return False
        if float_compare(abs(self.amount_total_signed), company.ctrl_credit_note_threshold,
                         precision_rounding=company.currency_id.rounding) < 0:
            return False
        return not self._ctrl_is_approved("credit_note")

    def _ctrl_approval_amount(self, kind):
        return abs(self.amount_total_signed)

    def _ctrl_approval_preparer(self):
        return self.invoice_user_id or self.create_uid

    def action_post(self):
        waiting = self.filtered(lambda m: m._ctrl_credit_note_needs_approval())
        for move in waiting:
            request = move._ctrl_request_approval(kind="credit_note", reason=move.ref or move.name)
            if not request:
                raise UserError(_("Credit notes need approval, but no approval rule of kind 'credit_note' applies: "
                                  "configure one in Internal Control > Configuration > Approval Rules."))
        result = super(AccountMove, self - waiting).action_post() if self - waiting else False
        if waiting:
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {"type": "warning", "sticky": True, "title": _("Approval requested"),
                           "message": _("The credit note is posted once the finance supervisor approves it."),
                           "next": {"type": "ir.actions.act_window_close"}},
            }
        return result

    def _post(self, soft=True):
        # Every way of posting passes here: a credit note still waiting for approval is refused.
        for move in self:
            if move._ctrl_credit_note_needs_approval():
                raise UserError(_("Credit note %(name)s needs the finance supervisor's approval before posting "
                                  "(003/R1.17). Use Confirm, which sends the approval request.",
                                  name=move.name or move.ref or ""))
        return super()._post(soft=soft)

    def _ctrl_on_approval_done(self, request):
        if request.kind == "credit_note" and request.state == "approved" and self.state == "draft":
            self.with_user(request.requested_by_id).sudo().action_post()
