# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models
from odoo.exceptions import ValidationError

ZONE_TYPES = [
    ("personal_desk", "Personal desk"),
    ("public", "Public zone"),
    ("workshop", "Workshop"),
    ("warehouse", "Warehouse"),
    ("canteen", "Canteen"),
    ("equipment", "Equipment"),
]


class CtrlSixsItem(models.Model):
    """A check item of the library (seed-001 §11), or a local item an area adds
    (追加要求项目) when ``area_id`` is set."""

    _name = "ctrl.sixs.item"
    _description = "6S Check Item"
    _order = "sequence, code, id"

    code = fields.Char(index=True)
    name = fields.Char("Check item", required=True, translate=True)
    sequence = fields.Integer(default=10)
    category_id = fields.Many2one("ctrl.sixs.category", "S", required=True, ondelete="restrict")
    area_types = fields.Char(
        "Zone type codes",
        help="The zone types the item applies to, as codes separated by commas; empty or 'any': every zone.")
    area_type_labels = fields.Char("Zone types", compute="_compute_area_type_labels",
                                   help="The zone types the item applies to.")
    serious = fields.Boolean(help="A serious finding notifies the area head the same day.")
    deduction = fields.Integer(default=2, help="Default points per finding, within the company range.")
    source = fields.Char(help="Seed variants the item comes from.")
    area_id = fields.Many2one("ctrl.sixs.area", "Local to area", ondelete="cascade", index=True,
                              help="A local item that only this area (and its sub-areas) checks.")
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by all companies.")
    active = fields.Boolean(default=True)

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "A check item code is unique.")]

    @api.depends("area_types")
    @api.depends_context("lang")
    def _compute_area_type_labels(self):
        labels = dict(self.env["ctrl.sixs.area"]._fields["zone_type"]._description_selection(self.env))
        for item in self:
            codes = [code.strip() for code in (item.area_types or "").split(",") if code.strip()]
            item.area_type_labels = ", ".join(labels.get(code, code) for code in codes
                                              if code != "any") or self.env._("Every zone type")

    @api.constrains("deduction", "company_id")
    def _check_deduction(self):
        for item in self:
            company = item.company_id or self.env.company
            low, high = company.ctrl_sixs_deduction_min, company.ctrl_sixs_deduction_max
            if not low <= item.deduction <= high:
                raise ValidationError(self.env._(
                    "Check item %(item)s: the deduction %(value)s is outside the range %(low)s-%(high)s. "
                    "Enter a deduction between %(low)s and %(high)s points, or change the range "
                    "in the 6S settings.", item=item.display_name, value=item.deduction, low=low, high=high))

    def _applies_to(self, zone_type):
        self.ensure_one()
        types = {t.strip() for t in (self.area_types or "any").split(",")}
        return "any" in types or zone_type in types

    def _compute_display_name(self):
        for item in self:
            item.display_name = f"[{item.code}] {item.name}" if item.code else item.name
