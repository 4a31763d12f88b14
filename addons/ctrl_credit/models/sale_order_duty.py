# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, fields, models
from odoo.exceptions import UserError

# The approvals that stand for the contract's approval (003/D7 第四条 (1), (2)).
CONTRACT_KINDS = ("order_value", "price_standard", "price_exception")


class SaleOrder(models.Model):
    """Who confirmed the order and who approved it: the actors of the
    incompatible duties checked on its delivery and its invoices."""

    _inherit = "sale.order"

    ctrl_confirmed_by_id = fields.Many2one(
        "res.users", "Confirmed by", readonly=True, copy=False,
        help="The internal user who confirmed the order (the requester, when an approval confirmed it).")

    def _action_confirm(self):
        user = self.env.user
        if not user.share and not user._is_superuser():
            self.sudo().write({"ctrl_confirmed_by_id": user.id})
        return super()._action_confirm()

    def write(self, vals):
        # Set by the server only (as superuser, which no client is).
        if "ctrl_confirmed_by_id" in vals and not self.env.su:
            raise UserError(_("'Confirmed by' is set by the confirmation of the order: it cannot be changed."))
        return super().write(vals)

    def _ctrl_contract_approvers(self):
        """The users who approved a step of an approved request on these orders."""
        if not self.ids:
            return self.env["res.users"]
        requests = self.env["ctrl.approval.request"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "in", CONTRACT_KINDS),
            ("state", "=", "approved")])
        return requests.step_ids.filtered(lambda step: step.state == "approved").user_id
