# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_escalation_batch_size = fields.Integer(
        "Escalation batch size", default=1000,
        config_parameter="ctrl_base.escalation_batch_size",
        help="Records an escalation run handles before it commits and reports progress.",
    )
    # Read-only here: only the Activate / Deactivate buttons change it.
    ctrl_live = fields.Boolean(related="company_id.ctrl_live")
    ctrl_go_live_date = fields.Date(related="company_id.ctrl_go_live_date", readonly=False)
    ctrl_backlog_policy = fields.Selection(related="company_id.ctrl_backlog_policy", readonly=False)
    ctrl_policy = fields.Selection(related="company_id.ctrl_policy", readonly=False, required=True)

    @api.onchange("ctrl_policy")
    def _onchange_ctrl_policy(self):
        """Show on the form what the switch sets; saving writes the policy on the company,
        which sets the same settings on the server."""
        vals = self.company_id._ctrl_policy_vals({"ctrl_policy": self.ctrl_policy})
        for name, value in vals.items():
            if name != "ctrl_policy" and name in self._fields:
                self[name] = value

    def action_ctrl_activate(self):
        self.ensure_one()
        self.company_id.action_ctrl_activate()
        return {"type": "ir.actions.client", "tag": "reload"}

    def action_ctrl_preview(self):
        self.ensure_one()
        return self.company_id.action_ctrl_preview()

    def action_ctrl_deactivate(self):
        self.ensure_one()
        self.company_id.action_ctrl_deactivate()
        return {"type": "ir.actions.client", "tag": "reload"}

    ctrl_duty_refuse_conflicts = fields.Boolean(related="company_id.ctrl_duty_refuse_conflicts", readonly=False)
