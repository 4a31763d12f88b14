# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

# 003/R6.3: within the band, the sales manager; 003/R6.4: exceptions, the sales VP.
PRICE_STANDARD, PRICE_EXCEPTION = "price_standard", "price_exception"
PRICE_KINDS = (PRICE_STANDARD, PRICE_EXCEPTION)


class SaleOrder(models.Model):
    """Price and discount authority (003/R1.18-R1.20, R6.3, R6.4): an order
    with a line below the price list or beyond the customer's discount is
    confirmed only once approved through ctrl_base's approvals. The approval
    covers the deviating lines as they were submitted (the fingerprint):
    a change of their price or discount needs a new approval, before the
    confirmation and after it."""

    _inherit = "sale.order"

    ctrl_price_problems = fields.Text("Prices to approve", compute="_compute_ctrl_price_problems")

    @api.depends("order_line.price_unit", "order_line.discount", "state")
    def _compute_ctrl_price_problems(self):
        for order in self:
            texts = []
            if order._ctrl_price_controlled() and order.state in ("draft", "sent"):
                kind = order._ctrl_price_kind()
                if kind and not order._ctrl_is_approved(kind):
                    texts = order.order_line._ctrl_price_texts()
            order.ctrl_price_problems = "\n".join(texts)

    def _ctrl_price_controlled(self):
        self.ensure_one()
        return bool(self.company_id.ctrl_live and self.company_id.ctrl_price_approval)

    def _ctrl_price_kind(self):
        """Which approval the order's deviations need: False, the sales manager's or the sales VP's."""
        self.ensure_one()
        deviations = self.order_line._ctrl_price_deviations()
        if not deviations:
            return False
        largest = max(price_gap + discount_gap for _line, price_gap, discount_gap, _p, _a in deviations)
        within = float_compare(largest, self.company_id.ctrl_price_band, precision_digits=2) <= 0
        return PRICE_STANDARD if within else PRICE_EXCEPTION

    def _ctrl_price_needs_approval(self):
        self.ensure_one()
        if not self._ctrl_price_controlled():
            return False
        kind = self._ctrl_price_kind()
        return bool(kind) and not self._ctrl_is_approved(kind)

    def _ctrl_approval_fingerprint(self, kind):
        if kind not in PRICE_KINDS:
            return super()._ctrl_approval_fingerprint(kind)
        self.ensure_one()
        lines = sorted(
            [line.id, line.product_id.id, line.product_uom.id, f"{line.price_unit:.6f}", f"{line.discount:.6f}"]
            for line, *_gaps in self.order_line._ctrl_price_deviations())
        content = {"partner": self.partner_id.id, "pricelist": self.pricelist_id.id, "currency": self.currency_id.id,
                   "company": self.company_id.id, "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_price_requests(self, states):
        return self.env["ctrl.approval.request"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "in", PRICE_KINDS),
            ("state", "in", states)]) if self.ids else self.env["ctrl.approval.request"].sudo()

    def _ctrl_price_withdraw(self, requests, why):
        for request in requests:
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", why)

    def _ctrl_price_after_change(self):
        """After a line changed: withdraw a pending request that no longer
        matches, and refuse a confirmed order's deviation nobody approved."""
        for order in self.exists().filtered(lambda o: o._ctrl_price_controlled()):
            kind = order._ctrl_price_kind()
            stale = order._ctrl_price_requests(["pending"]).filtered(lambda r, k=kind: r.kind != k or r._mismatch())
            order._ctrl_price_withdraw(stale, _(
                "Price approval request withdrawn: a price or discount changed while it waited. Confirm the order "
                "again to ask for the approval of the new prices."))
            if order.state == "sale" and kind and not order._ctrl_is_approved(kind):
                raise UserError(_(
                    "%(order)s is confirmed: this price or discount needs approval.\n- %(lines)s\n\nCancel the "
                    "order, reset it to draft and confirm it again to ask for the approval.",
                    order=order.name, lines="\n- ".join(order.order_line._ctrl_price_texts())))

    def action_confirm(self):
        waiting = self.filtered(lambda o: o.state in ("draft", "sent") and o._ctrl_price_needs_approval())
        for order in waiting:
            kind = order._ctrl_price_kind()
            order._ctrl_price_withdraw(order._ctrl_price_requests(["pending"]).filtered(
                lambda r, k=kind: r.kind != k or r._mismatch()), _("Withdrawn: the prices changed."))
            request = order._ctrl_request_approval(kind=kind, reason="\n".join(order.order_line._ctrl_price_texts()))
            if not request:
                raise UserError(_(
                    "Prices and discounts need approval, but no approval rule applies to this order: configure "
                    "one in Internal Control > Configuration > Approval Rules."))
        rest = self - waiting
        result = super(SaleOrder, rest).action_confirm() if rest else True
        if waiting:
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {
                    "type": "warning", "sticky": True, "title": _("Price approval requested"),
                    "message": _("%(orders)s have prices or discounts beyond the salesperson's authority: an "
                                 "approval request was sent. The order is confirmed when it is approved.",
                                 orders=", ".join(waiting.mapped("name"))),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return result

    def write(self, vals):
        if vals.get("state") == "sale":
            # Any move to 'sale' outside action_confirm (an RPC write) passes the same check.
            confirming = self._ctrl_credit_confirming()
            for order in self.filtered(lambda o: o.state != "sale" and o.id not in confirming):
                if order._ctrl_price_needs_approval():
                    raise UserError(_("%(order)s has prices or discounts that need approval before confirmation: "
                                      "use Confirm, which sends the approval request.", order=order.name))
        return super().write(vals)

    def _ctrl_on_approval_done(self, request):
        if request.kind not in PRICE_KINDS:
            return super()._ctrl_on_approval_done(request)
        if request.state != "approved" or self.state not in ("draft", "sent"):
            return None
        try:
            with self.env.cr.savepoint():
                self.with_user(request.requested_by_id).sudo().action_confirm()
        except UserError as error:
            self._message_log(body=_("Prices approved, but the order was not confirmed: %(error)s",
                                     error=error.args[0]))
        return None
