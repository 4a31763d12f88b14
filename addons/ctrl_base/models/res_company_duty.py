# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    # 003/D7 第四条, D17 R17.1: off by default (Odoo lets one user hold any groups).
    ctrl_duty_refuse_conflicts = fields.Boolean(
        "Refuse incompatible duties",
        help="Refuse to give a user of this company both duties of an incompatible pair (see Incompatible "
             "duties), in the user form and in the group form.")
