# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class CtrlSixsCategory(models.Model):
    """One S. Data, not a selection: V08 uses eight headings, V09 five."""

    _name = "ctrl.sixs.category"
    _description = "6S Category"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short code, e.g. S1.")
    sequence = fields.Integer(default=10)
    description = fields.Text(translate=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", index=True, help="Empty: shared by all companies.")

    _sql_constraints = [("code_company_uniq", "unique(code, company_id)", "A 6S category code is unique.")]
