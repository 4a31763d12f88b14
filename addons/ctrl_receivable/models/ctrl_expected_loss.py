# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models


class CtrlExpectedLoss(models.AbstractModel):
    """Loss rates per provisioning bucket from the company's own history
    (IFRS 9 / CAS 22 simplified approach, roll rates).

    Placeholder until the history-based computation lands: no rates."""

    _name = "ctrl.expected.loss"
    _description = "Expected-loss matrix"

    @api.model
    def _matrix(self, company, scheme, date):
        return [{"name": b.name, "rate": b.rate, "roll": None, "loss": None} for b in scheme._ordered_buckets()]
