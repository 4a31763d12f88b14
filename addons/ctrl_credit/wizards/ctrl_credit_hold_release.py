# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlCreditHoldRelease(models.TransientModel):
    """Ask for a hold's release: the reason and an optional guarantor (003/D16)."""

    _name = "ctrl.credit.hold.release"
    _description = "Request a Credit Hold Release"

    hold_id = fields.Many2one("ctrl.credit.hold", required=True, ondelete="cascade")
    reason = fields.Text(required=True)
    guarantor_id = fields.Many2one(
        "res.users", "Guarantor", help="A department manager or above whose salary answers for the debt.")

    def action_confirm(self):
        self.ensure_one()
        request = self.hold_id.action_request_release(self.reason, self.guarantor_id)
        return {"type": "ir.actions.act_window", "res_model": request._name, "res_id": request.id,
                "view_mode": "form"}
