# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, models
from odoo.tools import float_compare

from .sale_order import LINE_VALUE_FIELDS


class SaleOrderLine(models.Model):
    """A line added, changed or removed while the order waits for its
    approval by value withdraws the request (see sale.order).

    Price and discount authority of an order line (003/R1.18-R1.20, R6.3,
    R6.4). The line's reference is what Odoo would price it at: the price
    list's unit price (tax-adjusted as on a new line) and the price list's
    own discount. A line deviates when its unit price is below that price
    (a special price) or its discount exceeds the price list's discount plus
    the maximum discount of the customer's credit grade (no grade: none)."""

    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines.order_id._ctrl_credit_withdraw_changed()
        lines.order_id._ctrl_price_after_change()
        return lines

    def write(self, vals):
        orders = self.order_id if LINE_VALUE_FIELDS & set(vals) else None
        priced = {"price_unit", "discount"} & set(vals)
        logged = self.filtered(lambda line: line.order_id.state == "sale"
                               and line.order_id._ctrl_price_controlled()) if priced else self.browse()
        before = {line.id: (line.price_unit, line.discount) for line in logged}
        result = super().write(vals)
        if orders is not None:
            (orders | self.order_id)._ctrl_credit_withdraw_changed()
        for line in logged:
            line._ctrl_price_log_change(*before[line.id])
        if priced:
            self.order_id._ctrl_price_after_change()
        return result

    def unlink(self):
        orders = self.order_id
        result = super().unlink()
        orders._ctrl_credit_withdraw_changed()
        return result

    # Price and discount authority (003/R1.18-R1.20, R6.3, R6.4) ---------------
    def _ctrl_price_reference(self):
        """(list unit price, price list discount %) of this line, as Odoo would set them."""
        self.ensure_one()
        line = self.with_company(self.company_id)
        price = line._get_display_price()
        list_price = line.product_id._get_tax_included_unit_price_from_price(
            price, product_taxes=line.product_id.taxes_id.filtered(lambda tax: tax.company_id == line.env.company),
            fiscal_position=line.order_id.fiscal_position_id)
        discount = 0.0
        if line.pricelist_item_id._show_discount() \
                and self.env["product.pricelist.item"]._is_discount_feature_enabled():
            base, net = line._get_pricelist_price_before_discount(), line._get_pricelist_price()
            if base > 0 and net < base:
                discount = (base - net) / base * 100
        return list_price, discount

    def _ctrl_price_checked(self):
        return self.filtered(lambda line: line.product_id and not line.display_type and not line.is_downpayment
                             and not line.is_expense and not line.combo_item_id
                             and line.product_type != "combo")

    def _ctrl_price_deviations(self):
        """[(line, price gap %, discount gap %, list price, allowed discount %)] of the deviating lines."""
        result = []
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        discount_digits = self.env["decimal.precision"].precision_get("Discount")
        for line in self._ctrl_price_checked():
            company = line.order_id.company_id
            grade = line.order_id.partner_id.commercial_partner_id.with_company(company).sudo().ctrl_credit_grade_id
            list_price, list_discount = line._ctrl_price_reference()
            if float_compare(list_price, 0.0, precision_digits=price_digits) <= 0:
                continue
            allowed = min(100.0, list_discount + (grade.max_discount or 0.0))
            price_gap = 0.0
            if float_compare(line.price_unit, list_price, precision_digits=price_digits) < 0:
                price_gap = (list_price - line.price_unit) / list_price * 100
            discount_gap = 0.0
            if float_compare(line.discount, allowed, precision_digits=discount_digits) > 0:
                discount_gap = line.discount - allowed
            if price_gap or discount_gap:
                result.append((line, price_gap, discount_gap, list_price, allowed))
        return result

    def _ctrl_price_texts(self):
        """One plain sentence per deviating line."""
        texts = []
        for line, price_gap, discount_gap, list_price, allowed in self._ctrl_price_deviations():
            parts = []
            if price_gap:
                parts.append(_("unit price %(price)s is %(gap).1f%% below the price list's %(list)s",
                               price=line.currency_id.format(line.price_unit), gap=price_gap,
                               list=line.currency_id.format(list_price)))
            if discount_gap:
                parts.append(_("discount %(discount).1f%% is above the %(allowed).1f%% allowed",
                               discount=line.discount, allowed=allowed))
            texts.append(_("%(product)s: %(problems)s", product=line.product_id.display_name,
                           problems="; ".join(parts)))
        return texts

    def _ctrl_price_log_change(self, old_price, old_discount):
        """Log a change of price or discount of a confirmed order's line in the order's chatter."""
        changes = []
        if float_compare(old_price, self.price_unit, precision_digits=self.env["decimal.precision"].precision_get(
                "Product Price")):
            changes.append(_("unit price %(old)s → %(new)s", old=self.currency_id.format(old_price),
                             new=self.currency_id.format(self.price_unit)))
        if float_compare(old_discount, self.discount,
                         precision_digits=self.env["decimal.precision"].precision_get("Discount")):
            changes.append(_("discount %(old).2f%% → %(new).2f%%", old=old_discount, new=self.discount))
        if changes:
            self.order_id._message_log(body=Markup("%s<br/>%s") % (
                _("Price changed on the confirmed order, line %(product)s, by %(user)s:",
                  product=self.product_id.display_name, user=self.env.user.name), "; ".join(changes)))
