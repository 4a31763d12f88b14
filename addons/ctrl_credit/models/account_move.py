# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare

CREDIT_NOTE_KIND = "credit_note"
# 003/R1.30: a credit note that no return covers (an allowance), approved by the sales supervisor first.
ALLOWANCE_KIND = "allowance"
# 003/R1.17-R1.20: an invoice that differs from its order, held for finance.
INVOICE_CHECK_KIND = "invoice_check"


class AccountMove(models.Model):
    """003/R1.17-R1.20: a customer credit note (红字发票) from the company's
    threshold is posted only once the finance supervisor has approved it."""

    _name = "account.move"
    _inherit = ["account.move", "ctrl.approval.mixin"]

    ctrl_invoice_mismatch = fields.Text("Differs from the order", compute="_compute_ctrl_invoice_mismatch")
    ctrl_credit_bill_id = fields.Many2one("ctrl.credit.bill", "Commercial acceptance bill", readonly=True,
                                          copy=False, index="btree_not_null")

    def button_draft(self):
        # A bill's entries are reversed by cancelling the bill, never reset and edited.
        bills = self.ctrl_credit_bill_id
        if bills:
            raise UserError(_("%(entries)s belong to the commercial acceptance bill %(bill)s: they cannot be "
                              "reset to draft; cancel the bill instead (its receipt is then reversed).",
                              entries=", ".join(self.filtered("ctrl_credit_bill_id").mapped("name")),
                              bill=bills[0].display_name))
        return super().button_draft()

    def _ctrl_credit_note_needs_approval(self):
        """The approval kind this customer credit note still waits for, in the order they are asked:
        an allowance by the sales supervisor (003/R1.30), then the credit note by the finance
        supervisor (003/R1.33); False when none is missing."""
        self.ensure_one()
        company = self.company_id
        if self.move_type != "out_refund" or not company.ctrl_live:
            return False
        if company.ctrl_return_approval and self._ctrl_is_allowance() and not self._ctrl_is_approved(ALLOWANCE_KIND):
            return ALLOWANCE_KIND
        if not company.ctrl_credit_note_approval:
            return False
        if float_compare(abs(self.amount_total_signed), company.ctrl_credit_note_threshold,
                         precision_rounding=company.currency_id.rounding) < 0:
            return False
        return not self._ctrl_is_approved(CREDIT_NOTE_KIND) and CREDIT_NOTE_KIND

    def _ctrl_is_allowance(self):
        """003/R1.30: a customer credit note is an allowance unless returned goods cover each of its lines:
        the line comes from an order line (Odoo's invoicing of returned quantities), at no more than the
        order's price, and the order line's goods received back from the customer are at least everything
        credited on it so far."""
        self.ensure_one()
        lines = self.sudo().invoice_line_ids.filtered(lambda ln: ln.display_type == "product")
        if not lines:
            return True
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        for order_line in lines.sale_line_ids:
            if order_line.is_downpayment:
                return True
            uom = order_line.product_uom
            returned = sum(move.product_uom._compute_quantity(move.quantity, uom) for move in order_line.move_ids
                           if move.state == "done" and move.to_refund and move.location_id.usage == "customer"
                           and move.location_dest_id.usage != "customer")
            credit_lines = order_line.invoice_lines.filtered(
                lambda ln: ln.move_id.move_type == "out_refund" and ln.move_id.state != "cancel") | \
                lines.filtered(lambda ln, ol=order_line: ol in ln.sale_line_ids)
            credited = sum(ln.product_uom_id._compute_quantity(ln.quantity, uom) for ln in credit_lines)
            if float_compare(credited, returned, precision_rounding=uom.rounding) > 0:
                return True
        for line in lines:
            order_line = line.sale_line_ids[:1]
            if not order_line or len(line.sale_line_ids) > 1:
                return True
            price = order_line.price_unit * (1 - order_line.discount / 100.0)
            if line.product_uom_id and order_line.product_uom and line.product_uom_id != order_line.product_uom:
                price = order_line.product_uom._compute_price(price, line.product_uom_id)
            if float_compare(line.price_unit * (1 - line.discount / 100.0), price, precision_digits=price_digits) > 0:
                return True
        return False

    def _ctrl_approval_amount(self, kind):
        return abs(self.amount_total_signed)

    def _ctrl_approval_fingerprint(self, kind):
        """The approval covers this credit note as submitted: customer, type,
        currency, total and lines. A credit note changed after the approval
        (even reset to draft once posted) needs a new approval. The invoice
        check: see _ctrl_invoice_fingerprint."""
        if kind == INVOICE_CHECK_KIND:
            return self._ctrl_invoice_fingerprint()
        if kind not in (CREDIT_NOTE_KIND, ALLOWANCE_KIND):
            return super()._ctrl_approval_fingerprint(kind)
        self.ensure_one()
        lines = sorted(
            [line.account_id.id, line.product_id.id, f"{line.quantity:.6f}", f"{line.price_unit:.6f}",
             f"{line.discount:.6f}", sorted(line.tax_ids.ids)]
            for line in self.invoice_line_ids.filtered(lambda ln: ln.display_type == "product"))
        content = {"partner": self.commercial_partner_id.id, "type": self.move_type, "currency": self.currency_id.id,
                   "company": self.company_id.id, "amount_total": f"{self.amount_total:.6f}", "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_approval_preparer(self):
        return self.invoice_user_id or self.create_uid

    def action_post(self):
        held = self._ctrl_invoice_request_approvals()
        rest = self - held
        result = rest._ctrl_credit_note_action_post() if rest else False
        return self._ctrl_invoice_held_notification(held) if held else result

    def _ctrl_credit_note_action_post(self):
        waiting = self.filtered(lambda m: m._ctrl_credit_note_needs_approval())
        kinds = set()
        for move in waiting:
            kind = move._ctrl_credit_note_needs_approval()
            kinds.add(kind)
            pending = move._ctrl_approval_requests(kind, ["pending"])
            if pending and pending._mismatch():
                # Changed since it was submitted: that request can no longer be approved, ask again.
                pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                pending._finish("cancel", _("Withdrawn: the credit note changed after it was submitted."))
            request = move._ctrl_request_approval(kind=kind, reason=move.ref or move.name)
            if not request:
                raise UserError(_("Credit notes need approval, but no approval rule of kind '%(kind)s' applies: "
                                  "configure one in Internal Control > Configuration > Approval Rules.", kind=kind))
        result = super(AccountMove, self - waiting).action_post() if self - waiting else False
        if waiting:
            message = _("The credit note is posted once the sales supervisor approves the allowance (and the "
                        "finance supervisor the credit note, when required).") if ALLOWANCE_KIND in kinds \
                else _("The credit note is posted once the finance supervisor approves it.")
            return {
                "type": "ir.actions.client", "tag": "display_notification",
                "params": {"type": "warning", "sticky": True, "title": _("Approval requested"),
                           "message": message,
                           "next": {"type": "ir.actions.act_window_close"}},
            }
        return result

    def _post(self, soft=True):
        # Every way of posting passes here: a credit note still waiting for approval is refused, so is an invoice
        # held for finance and one posted by who confirmed its order (when the settings say so).
        self._ctrl_duty_check_invoicer()
        self._ctrl_invoice_check_post()
        self._ctrl_credit_note_check_post()
        return super()._post(soft=soft)

    def _ctrl_credit_note_check_post(self):
        for move in self:
            kind = move._ctrl_credit_note_needs_approval()
            if kind == ALLOWANCE_KIND:
                raise UserError(_("Credit note %(name)s is an allowance (no returned goods cover it): it needs the "
                                  "sales supervisor's approval before posting. Use Confirm, which sends the "
                                  "approval request.", name=move.name or move.ref or ""))
            if kind:
                raise UserError(_("Credit note %(name)s needs the finance supervisor's approval before posting. "
                                  "Use Confirm, which sends the approval request.",
                                  name=move.name or move.ref or ""))

    def write(self, vals):
        result = super().write(vals)
        if vals.get("state") == "posted":
            # A direct write of the state (an RPC client can send one) passes the same check as posting.
            self._ctrl_credit_note_check_post()
        return result

    def _ctrl_on_approval_done(self, request):
        if request.kind == INVOICE_CHECK_KIND:
            self._ctrl_invoice_on_approval_done(request)
        elif request.kind in (CREDIT_NOTE_KIND, ALLOWANCE_KIND) and request.state == "approved" \
                and self.state == "draft":
            # An approved allowance goes on to the finance supervisor's approval when it is needed.
            self.with_user(request.requested_by_id).sudo().action_post()

    # ------------------------------------------------------------------
    # 003/D7 第四条 (5), D17 R17.1: who sold (confirmed the order) does not invoice it
    # ------------------------------------------------------------------
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

    # ------------------------------------------------------------------
    # 003/R1.17-R1.20: a customer invoice is checked against its order's prices and discounts. A mismatch
    # holds the invoice for finance as credit notes are held: an approval request names the lines and gives
    # finance an activity; its approval is the logged override and binds the differences it saw.
    # ------------------------------------------------------------------
    def _compute_ctrl_invoice_mismatch(self):
        for move in self:
            held = move.state == "draft" and move._ctrl_invoice_checked() and move._ctrl_invoice_held()
            move.ctrl_invoice_mismatch = "\n".join(move._ctrl_invoice_mismatches()) if held else False

    def _ctrl_invoice_checked(self):
        self.ensure_one()
        company = self.company_id
        return self.move_type == "out_invoice" and company.ctrl_live and company.ctrl_invoice_price_check

    def _ctrl_invoice_differences(self):
        """[(invoice line, order line, order's price in the invoice line's unit)] that differ."""
        self.ensure_one()
        price_digits = self.env["decimal.precision"].precision_get("Product Price")
        discount_digits = self.env["decimal.precision"].precision_get("Discount")
        result = []
        for line in self.sudo().invoice_line_ids.filtered(lambda ln: ln.display_type == "product"):
            order_line = line.sale_line_ids.filtered(lambda sl: not sl.is_downpayment)[:1]
            if not order_line or order_line.currency_id != line.currency_id:
                continue
            price = order_line.price_unit
            if line.product_uom_id and order_line.product_uom and line.product_uom_id != order_line.product_uom:
                price = order_line.product_uom._compute_price(price, line.product_uom_id)
            if float_compare(line.price_unit, price, precision_digits=price_digits) \
                    or float_compare(line.discount, order_line.discount, precision_digits=discount_digits):
                result.append((line, order_line, price))
        return result

    def _ctrl_invoice_mismatches(self):
        """One sentence per invoice line whose unit price or discount differs from its order line's."""
        texts = []
        for line, order_line, price in self._ctrl_invoice_differences():
            texts.append(_(
                "%(product)s (order %(order)s): unit price %(price)s and discount %(discount).2f%%, the order's "
                "%(ordered)s and %(ordered_discount).2f%%", product=line.product_id.display_name,
                order=order_line.order_id.name, price=line.currency_id.format(line.price_unit),
                discount=line.discount, ordered=line.currency_id.format(price),
                ordered_discount=order_line.discount))
        return texts

    def _ctrl_invoice_held(self):
        """True when the invoice differs from its order and finance has not approved these differences."""
        self.ensure_one()
        return bool(self._ctrl_invoice_differences()) and not self._ctrl_is_approved(INVOICE_CHECK_KIND)

    def _ctrl_invoice_fingerprint(self):
        """The approval of the differences covers the differing lines as finance saw them."""
        self.ensure_one()
        lines = sorted([line.id, order_line.id, f"{line.price_unit:.6f}", f"{line.discount:.6f}",
                        f"{line.quantity:.6f}"] for line, order_line, _price in self._ctrl_invoice_differences())
        content = {"partner": self.commercial_partner_id.id, "currency": self.currency_id.id, "lines": lines}
        return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()

    def _ctrl_invoice_request_approvals(self):
        """Ask finance to approve the differences of the held invoices; return them."""
        held = self.filtered(lambda move: move._ctrl_invoice_checked() and move._ctrl_invoice_held())
        for move in held:
            pending = move._ctrl_approval_requests(INVOICE_CHECK_KIND, ["pending"])
            if pending and pending._mismatch():
                pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                pending._finish("cancel", _("Withdrawn: the invoice changed after it was held."))
            request = move._ctrl_request_approval(kind=INVOICE_CHECK_KIND,
                                                  reason="\n".join(move._ctrl_invoice_mismatches()))
            if not request:
                raise UserError(_("Invoices that differ from their orders are held for finance, but no approval "
                                  "rule applies: configure one in Internal Control > Configuration > Approval "
                                  "Rules."))
        return held

    def _ctrl_invoice_held_notification(self, held):
        return {
            "type": "ir.actions.client", "tag": "display_notification",
            "params": {"type": "warning", "sticky": True, "title": _("Invoice held for finance"),
                       "message": _("%(moves)s differ from their orders' prices or discounts: the invoice is "
                                    "posted once finance approves the differences.",
                                    moves=", ".join(move.name or move.ref or "" for move in held)),
                       "next": {"type": "ir.actions.act_window_close"}},
        }

    def _ctrl_invoice_check_post(self):
        for move in self:
            if move._ctrl_invoice_checked() and move._ctrl_invoice_held():
                raise UserError(_(
                    "Invoice %(move)s differs from its order and is held for finance:\n- %(lines)s\n"
                    "Correct the invoice, or use Confirm, which asks finance to approve the differences.",
                    move=move.name or move.ref or "", lines="\n- ".join(move._ctrl_invoice_mismatches())))

    def _ctrl_invoice_on_approval_done(self, request):
        if request.state == "approved" and self.state == "draft":
            try:
                with self.env.cr.savepoint():
                    self.with_user(request.requested_by_id).sudo().action_post()
            except UserError as error:
                self._message_log(body=_("Differences approved, but the invoice was not posted: %(error)s",
                                         error=error.args[0]))
