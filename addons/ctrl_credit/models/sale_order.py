# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json
import weakref

from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL, float_compare

from odoo.addons.ctrl_base.tools.i18n import in_each_lang

# Approvals by value (003/D6 9-01), and what a change of which withdraws a pending one.
VALUE_KIND = "order_value"
VALUE_FIELDS = {"partner_id", "pricelist_id", "currency_id", "company_id", "order_line", "fiscal_position_id"}
# Orders that action_confirm checked and is confirming, per cursor (see _ctrl_credit_confirming).
_CONFIRMING = weakref.WeakKeyDictionary()
# 003/R6.3: within the band, the sales manager; 003/R6.4: exceptions, the sales VP.
PRICE_STANDARD, PRICE_EXCEPTION = "price_standard", "price_exception"
PRICE_KINDS = (PRICE_STANDARD, PRICE_EXCEPTION)
# The approvals that stand for the contract's approval (003/D7 第四条 (1), (2)).
CONTRACT_KINDS = (VALUE_KIND, *PRICE_KINDS)
LINE_VALUE_FIELDS = {"product_id", "product_uom", "product_uom_qty", "price_unit", "discount", "tax_id",
                     "order_id", "display_type"}


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "ctrl.approval.mixin"]

    ctrl_contract_signed = fields.Boolean("Signed contract attached", tracking=True, copy=False)
    ctrl_late_payment_clause = fields.Boolean("Late-payment clause", tracking=True, copy=False)
    # 003/R1.9
    ctrl_guarantee_note = fields.Text("Guarantee or reason", copy=False,
                                      help="The guarantee obtained, or why none is needed.")
    ctrl_credit_problems = fields.Text("Credit holds", compute="_compute_ctrl_credit_problems")
    ctrl_credit_release_pending = fields.Boolean(
        "Credit release requested", compute="_compute_ctrl_credit_problems",
        help="A release of this order's credit hold is waiting for approval.")
    ctrl_credit_release_status = fields.Text("Credit release", compute="_compute_ctrl_credit_problems")
    ctrl_credit_can_request = fields.Boolean("Release can be requested", compute="_compute_ctrl_credit_problems")
    ctrl_confirmed_by_id = fields.Many2one(
        "res.users", "Confirmed by", readonly=True, copy=False,
        help="The internal user who confirmed the order (the requester, when an approval confirmed it).")
    ctrl_price_problems = fields.Text("Prices to approve", compute="_compute_ctrl_price_problems")
    # 003/R1.1-R1.3: only approved price lists are offered (when the company asks for approved price lists).
    pricelist_id = fields.Many2one(
        domain="['|', ('company_id', '=', False), ('company_id', '=', company_id), "
               "('ctrl_pricelist_selectable', '=', True)]")

    @api.depends("partner_id", "amount_total", "state")
    def _compute_ctrl_credit_problems(self):
        for order in self:
            lines, status, can_request = [], [], False
            if order.state in ("draft", "sent") and order.partner_id:
                lines = order._ctrl_credit_lines("confirm")
                pending = self.env["ctrl.credit.hold"].browse(
                    [hold.id for _r, _t, _m, hold in lines if hold])._ctrl_credit_pending_releases()
                can_request = any(not hold or hold.id not in pending for _r, _t, _m, hold in lines)
                for request in pending.values():
                    step = request.current_step_id
                    status.append(_(
                        "Release requested by %(user)s on %(date)s: waiting for approval by %(who)s.",
                        user=request.requested_by_id.name, date=fields.Date.to_string(request.create_date),
                        who=step.approver_label or step.name or _("the approvers")))
            order.ctrl_credit_problems = "\n".join(text for _r, text, _m, _h in lines)
            order.ctrl_credit_release_status = "\n".join(dict.fromkeys(status))
            order.ctrl_credit_release_pending = bool(status)
            order.ctrl_credit_can_request = can_request

    def _ctrl_credit_lines(self, stage, snapshot=None):
        """What holds the order at ``stage``, each once: [(reason, text in plain
        words, mode, hold record or False)]. A computed problem for which a
        hold was placed for this order (an override request) is shown with
        that hold; other active holds of the customer come with their note."""
        self.ensure_one()
        if not self.company_id.ctrl_live:
            return []  # issue #24: Odoo's own behaviour until the internal controls are activated
        snapshot = snapshot or self._ctrl_credit_snapshot()
        problems = self._ctrl_credit_problems(stage, snapshot)
        holds = self._ctrl_credit_record_holds(snapshot)
        own = {hold.reason: hold for hold in holds if hold.res_model == self._name and hold.res_id == self.id}
        lines = []
        for reason, message, mode in problems:
            if reason in own:
                lines.append((reason, message, own[reason].mode, own.pop(reason)))
            else:
                lines.append((reason, message, mode, False))
        listed = {hold.id for _r, _t, _m, hold in lines if hold}
        for hold in holds:
            if hold.id not in listed:
                lines.append((hold.reason, hold._ctrl_credit_label(), hold.mode, hold))
        return lines

    # ------------------------------------------------------------------
    # What holds an order
    # ------------------------------------------------------------------
    def _ctrl_amount_company(self):
        self.ensure_one()
        return self.currency_id._convert(self.amount_total, self.company_id.currency_id, self.company_id,
                                         self.date_order or fields.Date.context_today(self))

    def _ctrl_credit_snapshot(self, lock=False):
        """Everything the credit checks read: exposure and the oldest overdue
        days (only for a credit-controlled customer, from the exposure ledger:
        see res.partner._ctrl_credit_figures), the active hold records that
        bear on this order (with their mode) and the reasons already overridden
        for it (lifted holds tied to it). Company currency. ``lock`` (the check
        of a confirmation) locks the customer's ledger row until the end of the
        transaction: two confirmations for one customer run one after the other,
        so that they cannot both take the last of its credit. A customer of a
        credit group (001/AR16.8) is read with all the group's customers (and
        ``lock`` locks all their rows, in id order): the group's exposure
        comes with it."""
        self.ensure_one()
        company, partner = self.company_id, self.partner_id.commercial_partner_id
        controlled = partner._ctrl_credit_controlled(company)
        group_id, exposure, days, group_exposure = False, 0.0, 0, 0.0
        if partner.sudo().ctrl_credit_group_id:
            figures, group_exposures = partner._ctrl_credit_group_figures(company, lock=lock)
            exposure, days = figures.get(partner.id, (0.0, 0))
            group_id = partner.sudo().ctrl_credit_group_id.id
            group_id = group_id if group_id in group_exposures else False
            group_exposure = group_exposures.get(group_id, 0.0)
        elif controlled:
            exposure, days = partner._ctrl_credit_figures(company, lock=lock).get(partner.id, (0.0, 0))
        self.env["ctrl.credit.hold"].flush_model(["partner_id", "company_id", "state", "res_model", "res_id",
                                                   "mode", "reason"])
        [(hold_ids, overridden)] = self.env.execute_query(SQL(
            """SELECT (SELECT ARRAY_AGG(h.id ORDER BY h.id) FROM ctrl_credit_hold h
                        WHERE h.partner_id = %(partner)s AND h.company_id = %(company)s AND h.state = 'active'
                          AND NOT (h.res_model IS NOT NULL AND h.res_model = %(model)s AND h.res_id != %(order)s)),
                      (SELECT ARRAY_AGG(DISTINCT h.reason) FROM ctrl_credit_hold h
                        WHERE h.res_model = %(model)s AND h.res_id = %(order)s AND h.state = 'lifted')""",
            partner=partner.id, company=company.id, model=self._name, order=self.id or 0))
        return {
            "controlled": controlled,
            "exposure": exposure,
            "group_id": group_id,
            "group_exposure": group_exposure,
            "days": days,
            "hold_ids": hold_ids or [],
            "overridden": set(overridden or ()),
            "amount": self._ctrl_amount_company(),
        }

    def _ctrl_credit_problems(self, stage, snapshot=None):
        """Computed problems for ``stage`` ('confirm' or 'deliver'):
        [(reason, message, mode)], overridden ones excluded."""
        self.ensure_one()
        snapshot = snapshot or self._ctrl_credit_snapshot()
        company, partner = self.company_id, self.partner_id.commercial_partner_id
        Hold = self.env["ctrl.credit.hold"]
        problems = []
        currency = company.currency_id
        # The customer's own limit and its credit group's (001/AR16.8) are one reason, 'over_limit': one
        # override releases the order, and its note says which limit it passes.
        over = []
        if snapshot["controlled"] and stage == "confirm":
            exposure = snapshot["exposure"]
            limit, enforced = partner._ctrl_credit_limits(company)[partner.id]
            total = exposure + snapshot["amount"]
            if enforced and float_compare(total, limit, precision_rounding=currency.rounding) > 0:
                over.append(_(
                    "Over credit limit: exposure %(exposure)s plus this order comes to %(total)s, above the "
                    "limit of %(limit)s.", exposure=currency.format(exposure),
                    total=currency.format(total), limit=currency.format(limit)))
        if snapshot.get("group_id") and stage == "confirm":
            group = self.env["ctrl.credit.group"].sudo().browse(snapshot["group_id"])
            total = snapshot["group_exposure"] + snapshot["amount"]
            if float_compare(total, group.credit_limit, precision_rounding=currency.rounding) > 0:
                over.append(_(
                    "Over the credit limit of the group %(group)s: the group's exposure %(exposure)s plus this "
                    "order comes to %(total)s, above the group's limit of %(limit)s.", group=group.name,
                    exposure=currency.format(snapshot["group_exposure"]), total=currency.format(total),
                    limit=currency.format(group.credit_limit)))
        if over:
            problems.append(("over_limit", "\n".join(over)))
        if snapshot["controlled"]:
            days = snapshot["days"]
            if days > company.ctrl_credit_overdue_grace_days:
                problems.append(("overdue", _(
                    "Overdue: an invoice is %(days)s days past due (grace %(grace)s days).",
                    days=days, grace=company.ctrl_credit_overdue_grace_days)))
        if stage == "deliver" and partner._ctrl_credit_policy(company) in ("cash", "deposit"):
            required, paid = self._ctrl_credit_prepayment()
            if float_compare(paid, required, precision_rounding=company.currency_id.rounding) < 0:
                problems.append(("cash_only", _(
                    "Payment before delivery: %(paid)s received of the %(required)s required.",
                    paid=company.currency_id.format(paid), required=company.currency_id.format(required))))
        result = []
        for reason, message in problems:
            if reason in snapshot["overridden"]:
                continue
            mode = Hold._mode_for(reason, partner, company)
            if mode != "off":
                result.append((reason, message, mode))
        return result

    def _ctrl_credit_prepayment(self):
        """(required, paid) in company currency for cash or deposit customers."""
        self.ensure_one()
        company = self.company_id
        amount = self._ctrl_amount_company()
        grade = self.partner_id.commercial_partner_id.with_company(company).sudo().ctrl_credit_grade_id
        if self.partner_id._ctrl_credit_policy(company) == "cash":
            share = 100.0
        else:
            share = max(grade.deposit_percent, company._ctrl_credit_deposit_percent(amount))
        invoices = self.invoice_ids.filtered(lambda m: m.state == "posted")
        paid = sum(m.amount_total_signed - m.amount_residual_signed for m in invoices)
        return company.currency_id.round(amount * share / 100.0), company.currency_id.round(paid)

    def _ctrl_credit_overridden(self, reason):
        return reason in self._ctrl_credit_snapshot()["overridden"]

    def _ctrl_credit_record_holds(self, snapshot=None):
        """Active blocking or warning hold records on the customer that are not
        tied to another order (those are that order's own overrides)."""
        snapshot = snapshot or self._ctrl_credit_snapshot()
        return self.env["ctrl.credit.hold"].sudo().browse(snapshot["hold_ids"]).with_company(self.company_id)

    def _ctrl_credit_missing_file(self):
        company, partner = self.company_id, self.partner_id.commercial_partner_id
        if not company.ctrl_credit_file_required or partner._ctrl_credit_policy(company) != "credit":
            return False
        return not partner.with_company(company).sudo().ctrl_credit_grade_id

    def _ctrl_credit_enforce(self, stage, snapshots=None):
        """Raise on blocking problems and hold records; log warnings. Orders of
        a company whose internal controls are not active pass (issue #24)."""
        for order in self.filtered(lambda o: o.company_id.ctrl_live):
            snapshot = (snapshots or {}).get(order.id) or order._ctrl_credit_snapshot()
            lines = order._ctrl_credit_lines(stage, snapshot)
            if stage == "confirm" and order._ctrl_credit_missing_file():
                # 000/R15-03
                lines.append(("no_credit_file", _("No approved credit file: approve a credit evaluation of the "
                                                  "customer."), "block", False))
            blocking = [text for _r, text, mode, _h in lines if mode == "block"]
            if blocking:
                blocking_holds = [hold for _r, _t, mode, hold in lines if mode == "block"]
                pending = self.env["ctrl.credit.hold"].browse(
                    [hold.id for hold in blocking_holds if hold])._ctrl_credit_pending_releases()
                if all(hold and hold.id in pending for hold in blocking_holds):
                    hint = _("A release is requested and waiting for approval: the order can be confirmed once it "
                             "is approved.")
                else:
                    hint = _("Use 'Request approval' on the order to ask for an approved release.")
                raise UserError(_(
                    "%(doc)s is on credit hold:\n- %(reasons)s\n\n%(hint)s",
                    doc=order.name, reasons="\n- ".join(blocking), hint=hint))
            warnings = [text for _r, text, mode, _h in lines if mode == "warn"]
            if warnings:
                order._message_log(body=Markup("%s<br/>%s") % (
                    _("Credit warning (not blocking):"), Markup("<br/>").join(warnings)))

    def _ctrl_credit_checklist_missing(self, amount=None):
        """What a large credit order still lacks (003/R1.9, 000/R15-04)."""
        self.ensure_one()
        company = self.company_id
        threshold = company.ctrl_credit_checklist_amount
        if not company.ctrl_credit_checklist_all and (not threshold or float_compare(
                self._ctrl_amount_company() if amount is None else amount, threshold,
                precision_rounding=company.currency_id.rounding) < 0):
            return []
        partner = self.partner_id.commercial_partner_id
        if partner._ctrl_credit_policy(company) != "credit" or not partner._ctrl_credit_controlled(company):
            return []
        missing = []
        if not self.ctrl_contract_signed or not self.message_attachment_count:
            missing.append(_("a signed contract, attached to the order (tick 'Signed contract attached')"))
        if not self.payment_term_id:
            missing.append(_("a payment term"))
        if not (self.ctrl_guarantee_note or "").strip():
            missing.append(_("a guarantee, or the reason for none ('Guarantee or reason')"))
        if not self.ctrl_late_payment_clause:
            missing.append(_("a late-payment clause ('Late-payment clause')"))
        return missing

    def _ctrl_credit_check_confirm(self):
        """The checklist, the holds and the computed problems at confirmation.
        Returns {order id: snapshot} for the approval by value."""
        snapshots = {}
        for order in self:
            if not order.company_id.ctrl_live:
                # Issue #24: no checklist, hold or approval by value before the controls are activated.
                snapshots[order.id] = {"amount": order._ctrl_amount_company()}
                continue
            snapshot = snapshots[order.id] = order._ctrl_credit_snapshot(lock=True)
            missing = order._ctrl_credit_checklist_missing(snapshot["amount"])
            if missing:
                raise UserError(_("%(doc)s is a credit sale of %(amount)s: before confirming it needs:\n- %(items)s",
                                  doc=order.name, amount=order.company_id.currency_id.format(snapshot["amount"]),
                                  items="\n- ".join(missing)))
        self._ctrl_credit_enforce("confirm", snapshots)
        return snapshots

    # ------------------------------------------------------------------
    # Approval by value (003/D6 9-01)
    # ------------------------------------------------------------------
    # An approval by value covers what was submitted: the customer, the currency, the total and each line's
    # product, quantity, price and discount (the fingerprint below, kept on the request). ctrl_base refuses
    # to approve, and _ctrl_is_approved() is False, once the order differs. Chosen behaviour for orders:
    # - a change of that content while a request is pending withdraws the request (logged on the order);
    # - after the approval, a changed order needs a new approval when it is confirmed;
    # - cancelling an order, or resetting a cancelled or confirmed one to draft, voids its approvals.
    def _ctrl_approval_amount(self, kind):
        return self._ctrl_amount_company()

    def _ctrl_approval_preparer(self):
        return self.user_id or self.create_uid

    def _ctrl_approval_fingerprint(self, kind):
        if kind in PRICE_KINDS:
            return self._ctrl_price_fingerprint()
        if kind != VALUE_KIND:
            return super()._ctrl_approval_fingerprint(kind)
        self.ensure_one()
        lines = sorted(
            [line.product_id.id, line.product_uom.id, f"{line.product_uom_qty:.6f}", f"{line.price_unit:.6f}",
             f"{line.discount:.6f}"]
            for line in self.order_line.filtered(lambda ln: not ln.display_type))
        content = {"partner": self.partner_id.id, "currency": self.currency_id.id, "company": self.company_id.id,
                   "amount_total": f"{self.amount_total:.6f}", "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_needs_value_approval(self, amount=None):
        self.ensure_one()
        company = self.company_id
        return company.ctrl_live and company.ctrl_credit_order_approval \
            and self._ctrl_needs_approval(VALUE_KIND, amount)

    def _ctrl_value_requests(self, states):
        return self.env["ctrl.approval.request"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "=", VALUE_KIND),
            ("state", "in", states)]) if self.ids else self.env["ctrl.approval.request"].sudo()

    def _ctrl_credit_void_approvals(self, states, why):
        """Cancel the approvals by value of these orders in ``states`` (as
        superuser: the server decided it), logged on the order and the request."""
        for request in self._ctrl_value_requests(states):
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", why)

    def _ctrl_credit_withdraw_changed(self):
        """Withdraw the pending approvals by value of orders that no longer
        match what was submitted, and refuse to raise a confirmed order into
        a band above the one that approved it."""
        orders = self.exists()
        pending = orders._ctrl_value_requests(["pending"])
        for request in pending.filtered(lambda r: r._mismatch()):
            order = self.browse(request.res_id)
            order._ctrl_credit_void_approvals(["pending"], _(
                "Approval request withdrawn: the order changed while it waited for approval (customer, currency, "
                "lines or total). Confirm it again to ask for the approval of the new order."))
        for request in orders.filtered(lambda o: o.state == "sale")._ctrl_value_requests(["approved"]):
            order = self.browse(request.res_id)
            amount = order._ctrl_amount_company()
            if float_compare(amount, request.amount, precision_rounding=request.currency_id.rounding) > 0 \
                    and order._ctrl_approval_rule(VALUE_KIND, amount) != request.rule_id:
                raise UserError(_(
                    "%(order)s was approved at %(approved)s on %(date)s under '%(rule)s': raising it to %(amount)s "
                    "needs another approval. Cancel the order, then confirm it again to ask for it.",
                    order=order.name, approved=request.currency_id.format(request.amount),
                    date=fields.Date.to_string(request.date_done), rule=request.rule_id.name,
                    amount=request.currency_id.format(amount)))

    def _ctrl_on_approval_done(self, request):
        """Confirm the order once its value is approved. A credit hold that
        appeared meanwhile must not undo the approval: it is logged instead."""
        if request.kind in PRICE_KINDS:
            self._ctrl_price_on_approval_done(request)
            return
        if request.kind != VALUE_KIND or request.state != "approved" or self.state not in ("draft", "sent"):
            return
        try:
            with self.env.cr.savepoint():
                self.with_user(request.requested_by_id).sudo().action_confirm()
        except UserError as error:
            self._message_log(body=_("Approved by value, but not confirmed: %(error)s", error=error.args[0]))

    # ------------------------------------------------------------------
    # Enforcement
    # ------------------------------------------------------------------
    def _ctrl_credit_confirming(self):
        """Ids of the orders action_confirm has checked and is confirming now,
        per database cursor. Server memory only: no client can add to it."""
        return _CONFIRMING.setdefault(self.env.cr, set())

    def action_confirm(self):
        self._ctrl_pricelist_check_confirm()
        # Prices and discounts first (they may send an approval request), then credit and value.
        waiting = self._ctrl_price_request_approvals()
        rest = self - waiting
        result = rest._ctrl_credit_action_confirm() if rest else True
        return self._ctrl_price_waiting_notification(waiting) if waiting else result

    def _ctrl_credit_action_confirm(self):
        snapshots = self._ctrl_credit_check_confirm()
        waiting = self.filtered(lambda o: o._ctrl_needs_value_approval(snapshots[o.id]["amount"]))
        for order in waiting:
            pending = order._ctrl_approval_requests(VALUE_KIND, ["pending"])
            if pending and pending._mismatch():
                order._ctrl_credit_withdraw_changed()
                pending = False
            if not pending:
                order._ctrl_request_approval(
                    kind=VALUE_KIND, reason=_("Order %(name)s of %(amount)s", name=order.name,
                                              amount=order.company_id.currency_id.format(
                                                  order._ctrl_amount_company())))
        result = True
        confirm = self - waiting
        if confirm:
            # The checks above are done: the write of the state inside the native confirmation skips them.
            confirming = self._ctrl_credit_confirming()
            added = set(confirm.ids) - confirming
            confirming |= added
            try:
                result = super(SaleOrder, confirm).action_confirm()
            finally:
                confirming -= added
        if waiting:
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {
                    "type": "warning", "sticky": True,
                    "title": _("Approval requested"),
                    "message": _("%(orders)s exceed the salesperson's authority: an approval request was sent. "
                                 "The order is confirmed when it is approved.",
                                 orders=", ".join(waiting.mapped("name"))),
                    "next": {"type": "ir.actions.act_window_close"},
                },
            }
        return result

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            return super().create(vals_list)
        # A client creating a confirmed order goes through the same checks as a confirmation.
        confirmed = [vals.get("state") == "sale" for vals in vals_list]
        for vals, flag in zip(vals_list, confirmed):
            if flag:
                del vals["state"]
        orders = super().create(vals_list)
        to_confirm = self.browse([order.id for order, flag in zip(orders, confirmed) if flag])
        if to_confirm:
            to_confirm.write({"state": "sale"})
        return orders

    def write(self, vals):
        # Set by the server only (as superuser, which no client is).
        if "ctrl_confirmed_by_id" in vals and not self.env.su:
            raise UserError(_("'Confirmed by' is set by the confirmation of the order: it cannot be changed."))
        if vals.get("state") == "sale":
            self._ctrl_price_check_state_write()
            confirming = self._ctrl_credit_confirming()
            to_check = self.filtered(lambda o: o.state != "sale" and o.id not in confirming)
            if to_check:
                # Any move to 'sale' (an RPC write, from any state) passes the checks of action_confirm, on the
                # order as it will be: the other values first, then the checks, then the state.
                rest = {key: value for key, value in vals.items() if key != "state"}
                if rest:
                    self.write(rest)
                snapshots = to_check._ctrl_credit_check_confirm()
                if any(o._ctrl_needs_value_approval(snapshots[o.id]["amount"]) for o in to_check):
                    raise UserError(_("This order needs approval by value before confirmation: use Confirm, "
                                      "which sends the approval request."))
                return super().write({"state": "sale"})
        elif vals.get("state") in ("cancel", "draft"):
            leaving = self.filtered(lambda o: o.state != vals["state"] and (
                vals["state"] == "cancel" or o.state not in ("draft", "sent")))
            leaving._ctrl_credit_void_approvals(["pending", "approved"], _(
                "Approval by value voided: the order was cancelled or reset to draft. Confirming it again asks "
                "for a new approval."))
        result = super().write(vals)
        if VALUE_FIELDS & set(vals):
            self._ctrl_credit_withdraw_changed()
        return result

    def unlink(self):
        # Nothing is left to approve: the pending requests do not outlive the order.
        self.check_access("unlink")
        self._ctrl_credit_void_approvals(["pending"], _("The order was deleted."))
        return super().unlink()

    def action_ctrl_credit_request_override(self):
        """Ask for the release of what holds the order: its computed problems
        are placed as holds tied to it, and the holds on the customer (placed
        by hand, credit file...) are asked for as they are. Works for a plain
        salesperson on their order: the holds and the request are created by
        the server, and only the approval rule's approvers decide."""
        self.ensure_one()
        self.check_access("read")
        stage = "deliver" if self.state == "sale" else "confirm"
        lines = self._ctrl_credit_lines(stage)
        if not lines:
            raise UserError(_("%(doc)s is not on credit hold: there is nothing to request.", doc=self.name))
        # The holds' notes in every language, for each reader.
        messages = in_each_lang(self.env, lambda env: {
            reason: message for reason, message, _mode, _hold in self.with_env(env)._ctrl_credit_lines(stage)})
        Hold = self.env["ctrl.credit.hold"]
        holds = Hold.browse()
        for reason, message, _mode, hold in lines:
            notes = {lang: by_reason.get(reason, message) for lang, by_reason in messages.items()}
            holds |= hold or Hold._ctrl_place(self.partner_id, reason, source=self, note=notes)
        pending = holds._ctrl_credit_pending_releases()
        holds = Hold.browse([hold.id for hold in holds if hold.id not in pending])
        if not holds:
            step = next(iter(pending.values())).current_step_id
            raise UserError(_("The release of %(doc)s's credit hold is already requested and waiting for approval "
                              "by %(who)s.", doc=self.name, who=step.approver_label or step.name))
        if len(holds) == 1:
            return holds.action_open_release_wizard()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_credit.ctrl_credit_hold_action")
        action["domain"] = [("id", "in", holds.ids)]
        action["context"] = {}
        return action

    # ------------------------------------------------------------------
    # Incompatible duties (003/D7 第四条, D17): who confirmed and who approved the order
    # ------------------------------------------------------------------
    def _action_confirm(self):
        user = self.env.user
        if not user.share and not user._is_superuser():
            self.sudo().write({"ctrl_confirmed_by_id": user.id})
        return super()._action_confirm()

    def _ctrl_contract_approvers(self):
        """The users who approved a step of an approved request on these orders."""
        if not self.ids:
            return self.env["res.users"]
        requests = self.env["ctrl.approval.request"].sudo().search([
            ("res_model", "=", self._name), ("res_id", "in", self.ids), ("kind", "in", CONTRACT_KINDS),
            ("state", "=", "approved")])
        return requests.step_ids.filtered(lambda step: step.state == "approved").user_id

    # ------------------------------------------------------------------
    # Price and discount authority (003/R1.18-R1.20, R6.3, R6.4)
    # ------------------------------------------------------------------
    # An order with a line below the price list or beyond the customer's discount is confirmed only once
    # approved; the approval covers the deviating lines as submitted (the fingerprint): a change of their
    # price or discount needs a new approval, before the confirmation and after it.
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

    def _ctrl_price_fingerprint(self):
        """The price approval covers the deviating lines' prices and discounts as submitted."""
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

    def _ctrl_price_request_approvals(self):
        """Ask for the approval of the orders whose prices need one; return them."""
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
        return waiting

    def _ctrl_price_waiting_notification(self, waiting):
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

    def _ctrl_pricelist_check_confirm(self):
        """003/R1.1-R1.3: an order is confirmed on an approved price list only."""
        for order in self.filtered(lambda o: o.state in ("draft", "sent") and o.pricelist_id):
            if not order.pricelist_id.sudo()._ctrl_pricelist_usable():
                raise UserError(_(
                    "Order %(order)s uses the price list %(pricelist)s, which is not approved as it is now: choose "
                    "an approved Pricelist, or have this one approved (price list form, Submit for Approval: the "
                    "sales supervisor, then the general manager).",
                    order=order.name, pricelist=order.pricelist_id.display_name))

    def _ctrl_price_check_state_write(self):
        """Any move to 'sale' outside action_confirm (an RPC write) passes the same check."""
        confirming = self._ctrl_credit_confirming()
        self.filtered(lambda o: o.id not in confirming)._ctrl_pricelist_check_confirm()
        for order in self.filtered(lambda o: o.state != "sale" and o.id not in confirming):
            if order._ctrl_price_needs_approval():
                raise UserError(_("%(order)s has prices or discounts that need approval before confirmation: "
                                  "use Confirm, which sends the approval request.", order=order.name))

    def _ctrl_price_on_approval_done(self, request):
        if request.state != "approved" or self.state not in ("draft", "sent"):
            return
        try:
            with self.env.cr.savepoint():
                self.with_user(request.requested_by_id).sudo().action_confirm()
        except UserError as error:
            self._message_log(body=_("Prices approved, but the order was not confirmed: %(error)s",
                                     error=error.args[0]))
