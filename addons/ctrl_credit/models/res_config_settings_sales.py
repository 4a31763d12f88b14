# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_duty_approver_not_shipper = fields.Boolean(
        related="company_id.ctrl_duty_approver_not_shipper", readonly=False)
    ctrl_duty_confirmer_not_invoicer = fields.Boolean(
        related="company_id.ctrl_duty_confirmer_not_invoicer", readonly=False)
    ctrl_price_approval = fields.Boolean(related="company_id.ctrl_price_approval", readonly=False)
    ctrl_price_band = fields.Float(related="company_id.ctrl_price_band", readonly=False)
