# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlApprovalDecision(models.TransientModel):
    """Approve or reject the current step with a comment."""

    _name = "ctrl.approval.decision"
    _description = "Approval Decision"

    request_id = fields.Many2one("ctrl.approval.request", required=True, ondelete="cascade")
    decision = fields.Selection([("approved", "Approve"), ("rejected", "Reject")], required=True)
    comment = fields.Text()

    def action_confirm(self):
        self.ensure_one()
        if self.decision == "approved":
            self.request_id.action_approve(self.comment)
        else:
            self.request_id.action_reject(self.comment)
        return {"type": "ir.actions.act_window_close"}
