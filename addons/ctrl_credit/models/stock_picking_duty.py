# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    """003/D7 第四条 (2): who approved an order's contract does not ship it."""

    _inherit = "stock.picking"

    def _action_done(self):
        # Every way of validating a delivery passes here (button_validate, the backorder wizard, RPC).
        self._ctrl_duty_check_shipper()
        return super()._action_done()

    def _ctrl_duty_check_shipper(self):
        user = self.env.user
        if user._is_superuser():
            return
        for picking in self.sudo().filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id):
            company = picking.company_id
            if not (company.ctrl_live and company.ctrl_duty_approver_not_shipper):
                continue
            if user in picking.sale_id._ctrl_contract_approvers():
                raise UserError(_(
                    "You approved order %(order)s, so you cannot validate its delivery %(picking)s: approving a "
                    "contract and shipping it are incompatible duties. Ask another warehouse user to validate it.",
                    order=picking.sale_id.name, picking=picking.name))
