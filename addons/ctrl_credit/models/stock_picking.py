# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class StockPicking(models.Model):
    _inherit = "stock.picking"

    ctrl_credit_problems = fields.Text("Credit holds", compute="_compute_ctrl_credit_problems")

    @api.depends("sale_id", "state")
    def _compute_ctrl_credit_problems(self):
        for picking in self:
            problems = []
            order = picking.sudo()._ctrl_credit_orders()
            if order and picking.state not in ("done", "cancel"):
                problems = [text for _reason, text, _mode, _hold in order._ctrl_credit_lines("deliver")]
            picking.ctrl_credit_problems = "\n".join(problems)

    def _ctrl_credit_orders(self):
        return self.filtered(lambda p: p.picking_type_code == "outgoing" and p.sale_id).sale_id

    def _action_done(self):
        # Every caller of a delivery's validation passes here (button_validate, RPC, wizards).
        # Warehouse users may not read the order: the check itself runs as superuser.
        self.sudo()._ctrl_credit_orders()._ctrl_credit_enforce("deliver")
        self._ctrl_duty_check_shipper()
        return super()._action_done()

    # 003/D7 第四条 (2): who approved an order's contract does not ship it.
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
