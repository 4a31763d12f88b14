# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, models
from odoo.exceptions import UserError


class AccountMove(models.Model):
    """003/D7 第四条 (5), D17 R17.1: who sold (confirmed the order) does not invoice it."""

    _inherit = "account.move"

    def _post(self, soft=True):
        # Every way of posting passes here (Confirm, the sale's invoicing wizard, RPC).
        self._ctrl_duty_check_invoicer()
        return super()._post(soft=soft)

    def _ctrl_duty_check_invoicer(self):
        user = self.env.user
        if user._is_superuser():
            return
        for move in self.sudo().filtered(lambda m: m.is_sale_document(include_receipts=False)):
            company = move.company_id
            if not (company.ctrl_live and company.ctrl_duty_confirmer_not_invoicer):
                continue
            orders = move.invoice_line_ids.sale_line_ids.order_id.filtered(lambda o: o.ctrl_confirmed_by_id == user)
            if orders:
                raise UserError(_(
                    "You confirmed order %(order)s, so you cannot post its invoice %(move)s: selling and invoicing "
                    "are incompatible duties. Ask the billing team to post it.",
                    order=orders[0].name, move=move.name or move.ref or ""))
