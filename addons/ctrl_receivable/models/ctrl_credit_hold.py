# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models

RECEIVABLE_REASON_MODE_FIELD = {
    "collection": "ctrl_recv_collection_hold_mode",
    "d13_suspension": "ctrl_recv_suspension_mode",
    "confirmation": "ctrl_recv_confirmation_hold_mode",
}


class CtrlCreditHold(models.Model):
    """Receivable reasons on ctrl_credit's holds: one mechanism enforces all."""

    _inherit = "ctrl.credit.hold"

    reason = fields.Selection(
        selection_add=[("collection", "Collection ladder"), ("d13_suspension", "Suspended: under collection"),
                       ("confirmation", "Balance not confirmed")],
        ondelete={"collection": "cascade", "d13_suspension": "cascade", "confirmation": "cascade"})

    @api.model
    def _mode_for(self, reason, partner, company):
        if reason in RECEIVABLE_REASON_MODE_FIELD:
            return company[RECEIVABLE_REASON_MODE_FIELD[reason]]
        return super()._mode_for(reason, partner, company)

    def _ctrl_on_approval_done(self, request):
        result = super()._ctrl_on_approval_done(request)
        guarantor = request.kind == "hold_release" and request.state == "approved" \
            and self.env["res.users"].browse((request.payload or {}).get("guarantor_id")).exists()
        if guarantor:
            self.env["ctrl.recv.accountability"]._ctrl_guarantee(self, guarantor, request)
        return result
