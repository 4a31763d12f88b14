# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlChecklistOverride(models.TransientModel):
    """Close a checklist with open items, for a logged reason."""

    _name = "ctrl.checklist.override"
    _description = "Checklist Override"

    checklist_id = fields.Many2one("ctrl.checklist", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_confirm(self):
        self.ensure_one()
        self.checklist_id._override(self.reason)
        return {"type": "ir.actions.act_window_close"}
