# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# 001/AR02.7: the limit of a secured customer (its collateral's value) is approved by the general manager.
COLLATERAL_KIND = "credit_collateral"


class CtrlCreditCollateral(models.Model):
    """Collateral a customer gave for its credit (001/AR02.7, N16): a deposit,
    a guarantee, a mortgage or a pledge. For a customer whose credit grade
    takes its limit from collateral, the credit limit is the sum of its
    active collateral, valid on the day (see
    ``res.partner._ctrl_credit_limits``): collateral counts from its start
    date and stops counting on its expiry date, without a scheduled job.

    Life cycle (``ctrl.lifecycle.mixin``: the state changes only through
    these transitions): a credit manager submits the draft for approval
    (draft → waiting approval); it becomes active only once the general
    manager approves it (001/AR02.7: the limit of a secured customer is
    approved by the general manager or the executive VP; approval rule of
    kind ``credit_collateral``). The approval binds the customer, value,
    currency and dates (the content fields, fingerprinted on the request):
    the content is locked while it waits, and withdrawing the request brings
    it back to draft. Release and expiry (they only lower the limit) stay
    with credit managers: active → released, or expired once its expiry
    date has come."""

    _name = "ctrl.credit.collateral"
    _description = "Credit Collateral"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "company_id, partner_id, date_start desc, id desc"
    _ctrl_content_fields = ("partner_id", "company_id", "collateral_type", "value", "currency_id", "date_start",
                            "date_end", "document", "document_name")
    _ctrl_protected_fields = ("activated_by_id", "date_activated")
    _ctrl_approval_kind = COLLATERAL_KIND
    _ctrl_submitted_state = "to_approve"
    _ctrl_approved_state = "active"

    name = fields.Char("Description", required=True, tracking=True)
    partner_id = fields.Many2one(
        "res.partner", "Customer", required=True, index=True, tracking=True,
        domain="[('is_company', '=', True)]")
    company_id = fields.Many2one("res.company", required=True, index=True, tracking=True,
                                 default=lambda self: self.env.company)
    collateral_type = fields.Selection(
        [("deposit", "Cash deposit"), ("guarantee", "Guarantee"), ("mortgage", "Mortgage"), ("pledge", "Pledge"),
         ("bill", "Bank acceptance bill"), ("other", "Other")],
        "Type", required=True, default="guarantee", tracking=True)
    value = fields.Monetary("Secured value", required=True, tracking=True, aggregator=False,
                            help="The value the collateral secures: for a customer whose grade takes its limit from "
                                 "collateral, the credit limit is the sum of these values.")
    currency_id = fields.Many2one("res.currency", required=True, tracking=True,
                                  default=lambda self: self.env.company.currency_id)
    date_start = fields.Date("Valid from", required=True, tracking=True, default=fields.Date.context_today)
    date_end = fields.Date("Expires on", tracking=True,
                           help="From this day on the collateral no longer counts. Empty: no expiry.")
    document = fields.Binary("Document", attachment=True, copy=False,
                             help="The signed guarantee, the mortgage or pledge contract, the deposit receipt.")
    document_name = fields.Char("Document name", copy=False)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "Waiting approval"), ("active", "Active"), ("released", "Released"),
         ("expired", "Expired")],
        default="draft", required=True, readonly=True, tracking=True, index=True, copy=False)
    activated_by_id = fields.Many2one("res.users", "Activated by", readonly=True, copy=False,
                                      help="Who approved the collateral (the last approval step).")
    date_activated = fields.Datetime("Activated on", readonly=True, copy=False)
    counts = fields.Boolean(
        "Counts today", compute="_compute_counts",
        help="Active, started and not expired: it counts toward the customer's credit limit today.")

    @api.depends("state", "date_start", "date_end")
    @api.depends_context("date")
    def _compute_counts(self):
        today = fields.Date.context_today(self)
        for collateral in self:
            collateral.counts = collateral._ctrl_counts_on(today)

    def _ctrl_counts_on(self, day):
        self.ensure_one()
        return self.state == "active" and self.date_start <= day and (not self.date_end or self.date_end > day)

    @api.model
    def _ctrl_counting_domain(self, day):
        return [("state", "=", "active"), ("date_start", "<=", day), "|", ("date_end", "=", False),
                ("date_end", ">", day)]

    @api.constrains("value", "date_start", "date_end", "partner_id")
    def _check_values(self):
        for collateral in self:
            if collateral.currency_id.compare_amounts(collateral.value, 0) <= 0:
                raise ValidationError(_("Collateral %(name)s: the Secured value must be above zero.",
                                        name=collateral.name))
            if collateral.date_end and collateral.date_end <= collateral.date_start:
                raise ValidationError(_("Collateral %(name)s: 'Expires on' must be after 'Valid from'.",
                                        name=collateral.name))
            if collateral.partner_id.commercial_partner_id != collateral.partner_id:
                raise ValidationError(_(
                    "Collateral %(name)s: choose the customer company (%(company)s), not one of its contacts.",
                    name=collateral.name, company=collateral.partner_id.commercial_partner_id.display_name))

    # ------------------------------------------------------------------
    # Transitions (credit managers)
    # ------------------------------------------------------------------
    def _ctrl_check_manager(self):
        if not self.env.user.has_group("ctrl_credit.group_credit_manager"):
            raise AccessError(_("Only a credit manager can submit, release or expire collateral."))

    def _ctrl_approval_amount(self, kind):
        if kind != COLLATERAL_KIND:
            return super()._ctrl_approval_amount(kind)
        self.ensure_one()
        return self.currency_id._convert(self.value, self.company_id.currency_id, self.company_id, self.date_start)

    def action_submit(self):
        """Send the draft to the general manager: it counts only once approved."""
        self._ctrl_check_manager()
        for collateral in self:
            if collateral.state != "draft":
                raise UserError(_("Collateral %(name)s is not a draft: only a draft is submitted.",
                                  name=collateral.name))
            if not collateral.document:
                raise UserError(_("Collateral %(name)s: attach the signed Document before submitting it.",
                                  name=collateral.name))
            collateral._ctrl_submit(
                reason=_("Collateral %(name)s of %(customer)s: %(value)s, valid from %(start)s to %(end)s",
                         name=collateral.name, customer=collateral.partner_id.display_name,
                         value=collateral.currency_id.format(collateral.value), start=collateral.date_start,
                         end=collateral.date_end or _("no expiry")),
                payload={"partner": collateral.partner_id.id, "value": collateral.value,
                         "currency": collateral.currency_id.name, "date_start": str(collateral.date_start),
                         "date_end": str(collateral.date_end or "")})
        return True

    def _ctrl_on_approved(self, request):
        approver = request.step_ids.filtered(lambda s: s.state == "approved")[-1:].user_id
        self._ctrl_write_protected({"activated_by_id": approver.id, "date_activated": fields.Datetime.now()})

    def action_release(self):
        """Give the collateral back: it no longer counts."""
        self._ctrl_check_manager()
        for collateral in self:
            if collateral.state != "active":
                raise UserError(_("Collateral %(name)s is not active: only active collateral is released.",
                                  name=collateral.name))
            collateral._ctrl_set_state("released")
        return True

    def action_expire(self):
        """Record that the collateral expired (it stopped counting on its expiry date already)."""
        self._ctrl_check_manager()
        today = fields.Date.context_today(self)
        for collateral in self:
            if collateral.state != "active" or not collateral.date_end or collateral.date_end > today:
                raise UserError(_("Collateral %(name)s has not reached its expiry date: it cannot be marked expired.",
                                  name=collateral.name))
            collateral._ctrl_set_state("expired")
        return True
