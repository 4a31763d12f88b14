# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    ctrl_escalation_batch_size = fields.Integer(
        "Escalation batch size", default=1000,
        config_parameter="ctrl_base.escalation_batch_size",
        help="Records an escalation run handles before it commits and reports progress.",
    )
