# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_duty_refuse_conflicts = fields.Boolean(related="company_id.ctrl_duty_refuse_conflicts", readonly=False)
