# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlCreditHold(models.Model):
    _inherit = "ctrl.credit.hold"

    reason = fields.Selection(selection_add=[("confirmation", "Balance not confirmed")],
                              ondelete={"confirmation": "cascade"})

    @api.model
    def _mode_for(self, reason, partner, company):
        if reason == "confirmation":
            return company.ctrl_recv_confirmation_hold_mode
        return super()._mode_for(reason, partner, company)
