# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import float_compare


class CtrlProvisionSpecific(models.Model):
    """A specific bad-debt provision for one customer or one invoice (e.g.
    100% for a customer in bankruptcy). It overrides the scheme in the
    provision runs; more than the scheme needs the finance director's
    approval (001/AR02.36).

    Guarded by ``ctrl.lifecycle.mixin``: the state and the amounts found at
    submission are set only by the server; what it provides is locked once
    submitted and bound to the approval by its fingerprint."""

    _name = "ctrl.provision.specific"
    _description = "Specific Bad-debt Provision"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"
    _check_company_auto = True

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True)]")
    move_id = fields.Many2one(
        "account.move", "Invoice", index=True, tracking=True, check_company=True,
        domain="[('move_type', '=', 'out_invoice'), ('state', '=', 'posted'), "
        "('commercial_partner_id', '=', partner_id)]",
        help="Empty: every receivable of the customer.")
    date = fields.Date("Valid from", required=True, default=fields.Date.context_today, tracking=True)
    method = fields.Selection([("rate", "Rate"), ("amount", "Amount")], required=True, default="rate",
                              tracking=True)
    rate = fields.Float("Rate (%)", digits=(16, 2), tracking=True)
    amount = fields.Monetary(tracking=True, help="Provision for the whole invoice or customer, company currency.")
    reason = fields.Text(required=True, tracking=True)
    attachment_ids = fields.Many2many("ir.attachment", string="Evidence",
                                      help="Court notice, bankruptcy filing, correspondence.")
    # A rejection returns to draft (migration 18.0.1.1.0 maps the former 'rejected').
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("active", "Active"), ("cancelled", "Cancelled")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False)
    open_amount = fields.Monetary("Open amount", readonly=True, copy=False, help="Open at submission.")
    scheme_amount = fields.Monetary("Scheme provision", readonly=True, copy=False,
                                    help="What the scheme rates provide for the same items, at submission.")
    specific_amount = fields.Monetary("Specific provision", readonly=True, copy=False)

    _ctrl_approval_kind = "specific_rate"
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "active"
    _ctrl_protected_fields = ("open_amount", "scheme_amount", "specific_amount")
    _ctrl_content_fields = ("company_id", "partner_id", "move_id", "date", "method", "rate", "amount", "reason",
                            "attachment_ids", "open_amount", "scheme_amount", "specific_amount")

    @api.depends("partner_id", "move_id", "method", "rate", "amount")
    def _compute_name(self):
        for record in self:
            target = record.move_id.name or record.partner_id.display_name or ""
            value = f"{record.rate:g}%" if record.method == "rate" else record.currency_id.format(record.amount or 0)
            record.name = f"{target}: {value}"

    @api.constrains("rate", "method")
    def _check_rate(self):
        for record in self:
            if record.method == "rate" and not 0.0 <= record.rate <= 100.0:
                raise ValidationError(_("Specific provision %(name)s: the rate must be between 0 and 100%% "
                                        "(got %(rate)s).", name=record.name, rate=record.rate))

    @api.constrains("amount", "method", "partner_id", "move_id")
    def _check_amount(self):
        for record in self.filtered(lambda r: r.method == "amount"):
            if record.currency_id.compare_amounts(record.amount, 0.0) < 0:
                raise ValidationError(_("Specific provision %(name)s: the amount cannot be negative.",
                                        name=record.name))
            open_amount = record._open_amount()
            if record.currency_id.compare_amounts(record.amount, open_amount) > 0:
                raise ValidationError(_(
                    "Specific provision %(name)s: the amount %(amount)s is above the open amount %(open)s of "
                    "%(target)s. Lower the amount to at most the open amount.", name=record.name,
                    amount=record.currency_id.format(record.amount), open=record.currency_id.format(open_amount),
                    target=record.move_id.name or record.partner_id.display_name))

    @api.onchange("move_id")
    def _onchange_move_id(self):
        if self.move_id:
            self.partner_id = self.move_id.commercial_partner_id

    def _items(self, date=None):
        """(bucket, excluded, amount) of the open items this provision covers."""
        self.ensure_one()
        date = date or fields.Date.context_today(self)
        rows = self.env["ctrl.provision.run"]._provision_items(
            self.company_id, date, partner=self.partner_id.commercial_partner_id, move=self.move_id)
        return rows

    def _open_amount(self):
        return sum(amount for _bucket, _excluded, amount in self._items())

    def _scheme_amount(self, items):
        run_model = self.env["ctrl.provision.run"]
        return sum(max(amount, 0.0) * run_model._scheme_rate(self.company_id, bucket, excluded) / 100.0
                   for bucket, excluded, amount in items)

    def _specific_amount(self, open_amount):
        self.ensure_one()
        if self.method == "amount":
            return min(self.amount, max(open_amount, 0.0))
        return max(open_amount, 0.0) * self.rate / 100.0

    def _ctrl_approval_amount(self, kind):
        """What is provided above the scheme (the rule's band)."""
        self.ensure_one()
        if kind != self._ctrl_approval_kind:
            return super()._ctrl_approval_amount(kind)
        return self.specific_amount - self.scheme_amount

    def action_submit(self):
        self.check_access("write")
        for record in self:
            if record.state != "draft":
                raise UserError(_("Only a draft specific provision can be submitted."))
            if not record.attachment_ids:
                raise ValidationError(_("Specific provision %(name)s: attach the evidence (Evidence field) "
                                        "before submitting it.", name=record.name))
            record._check_no_other_active()
            items = record._items()
            open_amount = sum(amount for _bucket, _excluded, amount in items)
            if record.currency_id.compare_amounts(open_amount, 0.0) <= 0:
                raise ValidationError(_("Specific provision %(name)s: %(target)s has nothing open to provide "
                                        "for.", name=record.name,
                                        target=record.move_id.name or record.partner_id.display_name))
            scheme_amount = record.currency_id.round(record._scheme_amount(items))
            specific_amount = record.currency_id.round(record._specific_amount(open_amount))
            record._ctrl_write_protected({"open_amount": open_amount, "scheme_amount": scheme_amount,
                                          "specific_amount": specific_amount})
            if float_compare(specific_amount, scheme_amount, precision_rounding=record.currency_id.rounding) > 0:
                record._ctrl_submit(
                    amount=specific_amount - scheme_amount,
                    reason=_("Specific provision %(specific)s above the scheme's %(scheme)s: %(reason)s",
                             specific=record.currency_id.format(specific_amount),
                             scheme=record.currency_id.format(scheme_amount), reason=record.reason))
            else:
                # Within the scheme: nothing more is provided than the rates give, no approval needed.
                record._ctrl_set_state("active")
        return True

    def _check_no_other_active(self):
        self.ensure_one()
        other = self.search([
            ("id", "!=", self.id), ("company_id", "=", self.company_id.id),
            ("partner_id", "=", self.partner_id.id), ("move_id", "=", self.move_id.id),
            ("state", "in", ("to_approve", "active")),
        ], limit=1)
        if other:
            raise ValidationError(_("%(target)s already has the specific provision %(other)s: cancel it first.",
                                    target=self.move_id.name or self.partner_id.display_name, other=other.name))

    def action_cancel(self):
        """Cancel; a pending request is cancelled (by its requester, or an
        Internal Control administrator). Nothing was posted: runs simply stop
        applying it."""
        self.check_access("write")
        for record in self.filtered(lambda r: r.state != "cancelled"):
            record._ctrl_approval_requests("specific_rate", ["pending"]).with_env(self.env).action_cancel()
            record._ctrl_set_state("cancelled")
        return True
