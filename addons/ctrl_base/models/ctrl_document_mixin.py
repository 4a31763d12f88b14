# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlDocumentMixin(models.AbstractModel):
    """A record about another record (``res_model``, ``res_id``), shown as a
    clickable Reference: approval requests, escalation steps, checklists,
    credit holds."""

    _name = "ctrl.document.mixin"
    _description = "Internal Control: link to a document"

    res_ref = fields.Reference(selection="_selection_res_ref", compute="_compute_res_ref", string="Document")

    @api.model
    def _selection_res_ref(self):
        return [(model.model, model.name) for model in self.env["ir.model"].sudo().search([])]

    @api.depends("res_model", "res_id")
    def _compute_res_ref(self):
        for record in self:
            linked = record.res_model in self.env and record.res_id
            record.res_ref = f"{record.res_model},{record.res_id}" if linked else False
