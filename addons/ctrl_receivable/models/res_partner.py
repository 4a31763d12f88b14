# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models


class ResPartner(models.Model):
    _inherit = "res.partner"

    ctrl_recv_related_party = fields.Boolean(
        "Related party", tracking=True,
        help="关联方: receivables from this partner are not provided in full unless approved (001/AR02.33). "
        "The partners of the companies in this database count as related parties too.")
