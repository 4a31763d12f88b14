# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlEscalationReset(models.TransientModel):
    """Run escalation levels again on their records, for a logged reason."""

    _name = "ctrl.escalation.reset"
    _description = "Reset Escalation Level"

    step_ids = fields.Many2many("ctrl.escalation.step", string="Levels reached", required=True)
    reason = fields.Text(required=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        if self.env.context.get("active_model") == "ctrl.escalation.step" and "step_ids" in fields_list:
            values["step_ids"] = [fields.Command.set(self.env.context.get("active_ids", []))]
        return values

    def action_confirm(self):
        self.ensure_one()
        self.step_ids._ctrl_reset(self.reason)
        return {"type": "ir.actions.act_window_close"}
