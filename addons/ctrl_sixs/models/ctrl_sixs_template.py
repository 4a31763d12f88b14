# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models

from .ctrl_sixs_item import ZONE_TYPES


class CtrlSixsTemplate(models.Model):
    """The check items an audit of a zone type starts with."""

    _name = "ctrl.sixs.template"
    _description = "6S Audit Template"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    zone_type = fields.Selection(ZONE_TYPES, required=True, index=True)
    item_ids = fields.Many2many("ctrl.sixs.item", string="Check items", domain=[("area_id", "=", False)])
    item_count = fields.Integer(compute="_compute_item_count")
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by all companies.")
    active = fields.Boolean(default=True)

    def _compute_item_count(self):
        for template in self:
            template.item_count = len(template.item_ids)
