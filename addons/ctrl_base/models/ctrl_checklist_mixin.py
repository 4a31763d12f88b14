# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlChecklistMixin(models.AbstractModel):
    """Lets a model carry ctrl checklists (departure handover, ...)."""

    _name = "ctrl.checklist.mixin"
    _description = "Internal Control: checklists"

    ctrl_checklist_ids = fields.One2many(
        "ctrl.checklist", "res_id", string="Checklists",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    ctrl_checklist_count = fields.Integer(compute="_compute_ctrl_checklist_count")

    @api.depends("ctrl_checklist_ids")
    def _compute_ctrl_checklist_count(self):
        for record in self:
            record.ctrl_checklist_count = len(record.ctrl_checklist_ids)

    def _ctrl_checklist_start(self, code, **vals):
        """Start (or return the open) checklist ``code`` for each record."""
        checklists = self.env["ctrl.checklist"]
        for record in self:
            template = self.env["ctrl.checklist.template"]._for(code, getattr(record, "company_id", None))
            if template:
                checklists |= checklists._start(template, record, **vals)
        return checklists

    def _ctrl_checklist_closed(self, code):
        """True when each record's latest checklist ``code`` is done or overridden."""
        for record in self:
            latest = record.ctrl_checklist_ids.filtered(lambda c: c.code == code)[:1]
            if not latest or latest.state == "open":
                return False
        return True

    def action_ctrl_view_checklists(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_base.ctrl_checklist_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
