# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, models

from .sale_order import LINE_VALUE_FIELDS


class SaleOrderLine(models.Model):
    """A line added, changed or removed while the order waits for its
    approval by value withdraws the request (see sale.order)."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._ctrl_credit_withdraw_changed()
        return lines

    def write(self, vals):
        orders = self.order_id if LINE_VALUE_FIELDS & set(vals) else None
        result = super().write(vals)
        if orders is not None:
            (orders | self.order_id)._ctrl_credit_withdraw_changed()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders._ctrl_credit_withdraw_changed()
        return result
