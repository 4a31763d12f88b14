# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

CREDIT_NOTE_KIND = "credit_note"


class AccountMove(models.Model):
    """003/R1.17-R1.20: a customer credit note (红字发票) from the company's
    threshold is posted only once the finance supervisor has approved it."""

    _name = "account.move"
    _inherit = ["account.move", "ctrl.approval.mixin"]

    def _ctrl_credit_note_needs_approval(self):
        self.ensure_one()
        company = self.company_id
        if self.move_type != "out_refund" or not company.ctrl_credit_note_approval or not company.ctrl_live:
            return False
        if float_compare(abs(self.amount_total_signed), company.ctrl_credit_note_threshold,
                         precision_rounding=company.currency_id.rounding) < 0:
            return False
        return not self._ctrl_is_approved(CREDIT_NOTE_KIND)

    def _ctrl_approval_amount(self, kind):
        return abs(self.amount_total_signed)

    def _ctrl_approval_fingerprint(self, kind):
        """The approval covers this credit note as submitted: customer, type,
        currency, total and lines. A credit note changed after the approval
        (even reset to draft once posted) needs a new approval."""
        if kind != CREDIT_NOTE_KIND:
            return super()._ctrl_approval_fingerprint(kind)
        self.ensure_one()
        lines = sorted(
            [line.account_id.id, line.product_id.id, f"{line.quantity:.6f}", f"{line.price_unit:.6f}",
             f"{line.discount:.6f}", sorted(line.tax_ids.ids)]
            for line in self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"))
        content = {"partner": self.commercial_partner_id.id, "type": self.move_type, "currency": self.currency_id.id,
                   "company": self.company_id.id, "amount_total": f"{self.amount_total:.6f}", "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_approval_preparer(self):
        return self.invoice_user_id or self.create_uid

    def action_post(self):
        waiting = self.filtered(lambda m: m._ctrl_credit_note_needs_approval())
        for move in waiting:
            pending = move._ctrl_approval_requests(CREDIT_NOTE_KIND, ["pending"])
            if pending and pending._mismatch():
                # Changed since it was submitted: that request can no longer be approved, ask again.
                pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                pending._finish("cancel", _("Withdrawn: the credit note changed after it was submitted."))
            request = move._ctrl_request_approval(kind=CREDIT_NOTE_KIND, reason=move.ref or move.name)
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
                raise UserError(_("Credit note %(name)s needs the finance supervisor's approval before posting. "
                                  "Use Confirm, which sends the approval request.",
                                  name=move.name or move.ref or ""))
        return super()._post(soft=soft)

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "posted":
            # A direct write of the state (an RPC client can send one) passes the same check as posting.
            for move in self:
                if move._ctrl_credit_note_needs_approval():
                    raise UserError(_("Credit note %(name)s needs the finance supervisor's approval before posting. "
                                      "Use Confirm, which sends the approval request.",
                                      name=move.name or move.ref or ""))
        return result

    def _ctrl_on_approval_done(self, request):
        if request.kind == CREDIT_NOTE_KIND and request.state == "approved" and self.state == "draft":
            self.with_user(request.requested_by_id).sudo().action_post()
