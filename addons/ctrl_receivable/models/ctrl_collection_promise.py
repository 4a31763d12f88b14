# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date


class CtrlCollectionPromise(models.Model):
    """A customer's promise to pay an invoice by a date. The collection
    ladder pauses until then; a broken promise escalates at once.

    It is the only way to pause the ladder: the invoice's promised date is
    set from it by the server. Its state, who recorded it and the open
    amount at the promise are set by the server only; what was promised is
    not edited afterwards (a new promise replaces a pending one), and a
    promise is never deleted."""

    _name = "ctrl.collection.promise"
    _description = "Promise to Pay"
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    move_id = fields.Many2one("account.move", "Invoice", required=True, index=True, check_company=True,
                              domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
                              "('payment_state', 'in', ('not_paid', 'partial'))]")
    partner_id = fields.Many2one(related="move_id.commercial_partner_id", store=True, string="Customer")
    company_id = fields.Many2one(related="move_id.company_id", store=True, index=True)
    currency_id = fields.Many2one(related="move_id.company_currency_id")
    user_id = fields.Many2one("res.users", "Recorded by", default=lambda self: self.env.user, readonly=True)
    date = fields.Date("Promised date", required=True, tracking=True)
    amount = fields.Monetary("Promised amount", required=True, tracking=True)
    residual_at_promise = fields.Monetary(readonly=True, help="Open amount of the invoice when promised.")
    reason = fields.Text("Reason for the delay", help="Why it is not paid and the measures taken.")
    state = fields.Selection([("pending", "Pending"), ("kept", "Kept"), ("broken", "Broken")],
                             default="pending", required=True, readonly=True, tracking=True, index=True, copy=False)

    _ctrl_protected_fields = ("user_id", "residual_at_promise")
    # What was promised: fixed once recorded (a new promise replaces this one).
    _ctrl_promised_fields = ("move_id", "date", "amount")
    # No draft: a promise is evidence of the collection, never deleted.
    _ctrl_draft_states = ()

    def _ctrl_check_write(self, vals):
        result = super()._ctrl_check_write(vals)
        changed = set(self._ctrl_promised_fields) & set(vals)
        if changed and self:
            raise UserError(_("%(fields)s of a promise to pay cannot change once it is recorded: record a new "
                              "promise, which replaces the pending one.", fields=self._ctrl_field_label(changed)))
        return result

    @api.constrains("date", "amount")
    def _check_promise(self):
        today = fields.Date.context_today(self)
        for promise in self.filtered(lambda p: p.state == "pending"):
            if promise.date < today:
                raise ValidationError(_("Promised date %(date)s is in the past: a promise to pay needs a date from "
                                        "today on.", date=promise.date))
            if promise.currency_id.compare_amounts(promise.amount, 0.0) <= 0:
                raise ValidationError(_("The promised amount must be positive."))
            if promise.currency_id.compare_amounts(promise.amount, promise.move_id.amount_residual_signed) > 0:
                raise ValidationError(_(
                    "The promised amount %(amount)s is above what is open on %(invoice)s (%(open)s).",
                    amount=promise.currency_id.format(promise.amount), invoice=promise.move_id.name,
                    open=promise.currency_id.format(promise.move_id.amount_residual_signed)))

    @api.model_create_multi
    def create(self, vals_list):
        promises = super().create(vals_list)
        for promise in promises:
            # A new promise replaces the pending one of the same invoice.
            promise.move_id.ctrl_recv_promise_ids.filtered(
                lambda p, new=promise: p.state == "pending" and p != new)._ctrl_set_state("broken")
            promise._ctrl_write_protected({"residual_at_promise": promise.move_id.amount_residual_signed})
            promise.move_id.sudo().ctrl_recv_promise_date = promise.date
            Event = self.env["ctrl.collection.event"].sudo()
            Event.create(Event._vals(promise.move_id, "promise", amount=promise.amount,
                                     note=_("Promised for %(date)s", date=promise.date)))
            promise.move_id._message_log(body=_("Promise to pay %(amount)s by %(date)s.",
                                                amount=promise.currency_id.format(promise.amount), date=promise.date))
        return promises

    @api.model
    def _ctrl_settle_due(self, today):
        """Promises whose date has passed are kept (the promised amount was
        paid) or broken, which escalates the invoice to its next level now.
        Only for the companies whose internal controls are active (issue #24)."""
        live = self.env["res.company"]._ctrl_live_companies()
        due = self.sudo().search([("state", "=", "pending"), ("date", "<", today), ("company_id", "in", live.ids)])
        Event = self.env["ctrl.collection.event"].sudo()
        for promise in due:
            move = promise.move_id
            paid = promise.residual_at_promise - move.amount_residual_signed
            kept = promise.currency_id.compare_amounts(paid, promise.amount) >= 0
            promise.state = "kept" if kept else "broken"
            move.ctrl_recv_promise_date = False
            Event.create(Event._vals(move, "promise_kept" if kept else "promise_broken", amount=paid))
            if not kept and move.payment_state in ("not_paid", "partial"):
                move._ctrl_escalation_advance("collection", _("Promise of %(date)s broken", date=promise.date))

    @api.depends("move_id.name", "date", "amount")
    @api.depends_context("lang")
    def _compute_display_name(self):
        for promise in self:
            promise.display_name = self.env._(
                "Promise on %(invoice)s: %(amount)s by %(date)s", invoice=promise.move_id.name or "",
                amount=promise.currency_id.format(promise.amount) if promise.currency_id else promise.amount,
                date=format_date(self.env, promise.date) if promise.date else "")
