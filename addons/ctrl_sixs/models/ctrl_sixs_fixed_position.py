# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError


class CtrlSixsFixedPosition(models.Model):
    """The fixed-position register (定置): a location with its item, maximum quantity and label (V09, V11)."""

    _name = "ctrl.sixs.fixed.position"
    _description = "6S Fixed Position"
    _inherit = ["mail.thread"]
    _order = "area_id, location_code"

    location_code = fields.Char(required=True, tracking=True)
    name = fields.Char("Item", required=True, tracking=True)
    area_id = fields.Many2one("ctrl.sixs.area", required=True, index=True)
    max_quantity = fields.Float(tracking=True, help="The most that may be stored here.")
    container = fields.Char()
    label = fields.Char(tracking=True)
    label_updated = fields.Boolean(default=True, tracking=True,
                                   help="A change needs the label updated at once.")
    status = fields.Selection([("in_use", "In use"), ("idle", "Out of use"),
                               ("repair", "Under repair")], default="in_use", tracking=True)
    company_id = fields.Many2one(related="area_id.company_id", store=True, index=True)

    _sql_constraints = [("code_area_uniq", "unique(area_id, location_code)", "A location code is unique per area.")]

    @api.constrains("max_quantity")
    def _check_max_quantity(self):
        for position in self:
            if position.max_quantity < 0:
                raise ValidationError(self.env._("Fixed position %(code)s: the maximum quantity cannot be negative.",
                                                 code=position.location_code))

    def write(self, vals):
        if {"name", "max_quantity", "location_code"} & set(vals) and "label_updated" not in vals:
            vals = dict(vals, label_updated=False)
        return super().write(vals)
