# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import ValidationError


class ResCompany(models.Model):
    """Sales-side controls of seed 003. Each is off by default: Odoo's own behaviour."""

    _inherit = "res.company"

    # 003/D7 第四条 (2): contract approval vs shipment.
    ctrl_duty_approver_not_shipper = fields.Boolean(
        "Order approver does not ship it",
        help="Who approved an order (its value, price or discount) cannot validate its delivery.")
    # 003/D7 第四条 (5), D17 R17.1: selling vs invoicing.
    ctrl_duty_confirmer_not_invoicer = fields.Boolean(
        "Order confirmer does not invoice it",
        help="Who confirmed an order cannot post its customer invoice or credit note.")
    # 003/R1.18-R1.20, R6.3, R6.4.
    ctrl_price_approval = fields.Boolean(
        "Approve prices and discounts",
        help="An order line priced below the price list, or discounted beyond the customer's credit grade, is "
             "approved before the order is confirmed; price changes on confirmed orders are logged.")
    ctrl_price_band = fields.Float(
        "Sales manager's band (%)", default=5.0,
        help="Deviations from the price list and the customer's discount up to this many percentage points are "
             "approved by the sales manager; larger ones by the sales VP.")

    @api.constrains("ctrl_price_band")
    def _check_ctrl_price_band(self):
        for company in self:
            if not 0 <= company.ctrl_price_band <= 100:
                raise ValidationError(_("Sales manager's band: give a percentage between 0 and 100."))
