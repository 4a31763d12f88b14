# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

# Context key that lets an approved change (an approved evaluation or an
# approved limit-change request) write the limit fields. It is honoured only
# together with superuser mode, which no RPC call can reach.
APPROVED_KEY = "ctrl_credit_limit_approved"
LIMIT_FIELDS = ("credit_limit", "use_partner_credit_limit", "ctrl_credit_grade_id", "ctrl_credit_term_days")


class CtrlCreditLimitChange(models.Model):
    """A requested change of a customer's credit limit, grade or term outside
    an approved evaluation (issue 3, section 4). It is approved through the
    ctrl_base rules of kind 'limit_change' (the credit committee: sales
    manager then finance; a new customer raised above the new-customer share
    of the grade then also goes to the general manager) and applied when
    approved.

    Guarded by ``ctrl.lifecycle.mixin``: the server records the change and
    submits it at once; every field is set by that workflow only, so no client
    write changes what is asked or its state. A rejection returns it to draft
    (it can be submitted again, or cancelled); an approval applies exactly the
    values that were submitted."""

    _name = "ctrl.credit.limit.change"
    _description = "Credit Limit Change"
    _inherit = ["mail.thread", "ctrl.lifecycle.mixin"]
    _order = "id desc"
    _ctrl_sequence_code = "ctrl.credit.limit.change"
    _ctrl_content_fields = ("partner_id", "company_id", "change_limit", "new_limit", "change_grade", "new_grade_id",
                            "change_term", "new_term_days", "new_customer", "gm_required")
    _ctrl_protected_fields = _ctrl_content_fields + ("requested_by_id", "old_limit", "old_grade_id",
                                                     "old_term_days")
    _ctrl_approval_kind = "limit_change"
    _ctrl_submitted_state = "pending"
    _ctrl_approved_state = "approved"

    name = fields.Char(required=True, readonly=True, default="/", copy=False)
    partner_id = fields.Many2one("res.partner", required=True, readonly=True, index=True, ondelete="cascade")
    company_id = fields.Many2one("res.company", required=True, readonly=True, index=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    # A rejection returns to draft ('rejected' was migrated to 'draft' in 18.0.1.1.0).
    state = fields.Selection(
        [("draft", "Not submitted"), ("pending", "Waiting for approval"), ("approved", "Applied"),
         ("cancel", "Cancelled")], default="draft", required=True, readonly=True, tracking=True, index=True)
    requested_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user)
    change_limit = fields.Boolean(readonly=True)
    change_grade = fields.Boolean(readonly=True)
    change_term = fields.Boolean(readonly=True)
    old_limit = fields.Monetary("Current limit", readonly=True, aggregator=False)
    new_limit = fields.Monetary("New limit", readonly=True, aggregator=False)
    old_grade_id = fields.Many2one("ctrl.credit.grade", "Current grade", readonly=True)
    new_grade_id = fields.Many2one("ctrl.credit.grade", "New grade", readonly=True)
    old_term_days = fields.Integer("Current term (days)", readonly=True, aggregator=False)
    new_term_days = fields.Integer("New term (days)", readonly=True, aggregator=False)
    new_customer = fields.Boolean(
        readonly=True, help="No approved credit evaluation as an established customer.")  # 001, AR03 family
    gm_required = fields.Boolean(
        "General manager required", readonly=True, index=True,
        help="A new customer raised above the company's new-customer share of the grade's limit or term: "
        "the credit committee and then the general manager approve.")  # 001, AR03 family
    summary = fields.Char(compute="_compute_summary")

    @api.depends("change_limit", "change_grade", "change_term", "new_limit", "new_grade_id", "new_term_days")
    def _compute_summary(self):
        for change in self:
            parts = []
            if change.change_limit:
                parts.append(_("limit %(old)s → %(new)s", old=change.currency_id.format(change.old_limit),
                               new=change.currency_id.format(change.new_limit)))
            if change.change_grade:
                parts.append(_("grade %(old)s → %(new)s", old=change.old_grade_id.code or "-",
                               new=change.new_grade_id.code or "-"))
            if change.change_term:
                parts.append(_("term %(old)s → %(new)s days", old=change.old_term_days, new=change.new_term_days))
            change.summary = ", ".join(parts)

    # ------------------------------------------------------------------
    # Requests from res.partner.write
    # ------------------------------------------------------------------
    @api.model
    def _ctrl_new_values(self, partner, vals):
        """{field: (old, new)} of the limit fields ``vals`` really changes on
        ``partner`` (company-dependent values in the environment's company)."""
        company = self.env.company
        partner = partner.with_company(company).sudo()
        changes = {}
        if "credit_limit" in vals or "use_partner_credit_limit" in vals:
            if "credit_limit" in vals:
                new_limit = vals["credit_limit"] or 0.0
            elif not vals["use_partner_credit_limit"]:
                new_limit = partner._fields["credit_limit"].get_company_dependent_fallback(partner) or 0.0
            else:
                new_limit = partner.credit_limit
            if float_compare(new_limit, partner.credit_limit or 0.0,
                             precision_rounding=company.currency_id.rounding):
                changes["credit_limit"] = (partner.credit_limit or 0.0, new_limit)
        if "ctrl_credit_grade_id" in vals:
            new_grade = vals["ctrl_credit_grade_id"]
            new_grade = new_grade.id if isinstance(new_grade, models.BaseModel) else (new_grade or False)
            if new_grade != partner.ctrl_credit_grade_id.id:
                changes["ctrl_credit_grade_id"] = (partner.ctrl_credit_grade_id.id, new_grade)
        if "ctrl_credit_term_days" in vals and (vals["ctrl_credit_term_days"] or 0) != partner.ctrl_credit_term_days:
            changes["ctrl_credit_term_days"] = (partner.ctrl_credit_term_days, vals["ctrl_credit_term_days"] or 0)
        return changes

    @api.model
    def _ctrl_is_new_customer(self, partner, company):
        """New until an approved evaluation rated the customer as established."""
        current = self.env["ctrl.credit.evaluation"].sudo().search([
            ("partner_id", "=", partner.id), ("company_id", "=", company.id), ("state", "=", "approved"),
            ("is_current", "=", True)], limit=1)
        return not current or current.new_customer

    @api.model
    def _ctrl_request(self, partner, changes, reason=None):
        """Record the change and ask for its approval. Returns the change."""
        company = self.env.company
        partner = partner.with_company(company).sudo()
        pending = self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id),
                                      ("state", "=", "pending")], limit=1)
        if pending:
            raise UserError(_(
                "A change of the credit limit, grade or term of %(partner)s (%(name)s) is already waiting for "
                "approval. Wait for the decision, or cancel that request, before asking for another one.",
                partner=partner.display_name, name=pending.name))
        old_grade = partner.ctrl_credit_grade_id
        vals = {
            "partner_id": partner.id, "company_id": company.id, "requested_by_id": self.env.uid,
            "old_limit": partner.credit_limit or 0.0, "new_limit": partner.credit_limit or 0.0,
            "old_grade_id": old_grade.id, "new_grade_id": old_grade.id,
            "old_term_days": partner.ctrl_credit_term_days, "new_term_days": partner.ctrl_credit_term_days,
        }
        if "credit_limit" in changes:
            if changes["credit_limit"][1] < 0:
                raise UserError(_("The credit limit of %(partner)s cannot be negative (field Credit Limit).",
                                  partner=partner.display_name))
            vals.update(change_limit=True, new_limit=changes["credit_limit"][1])
        if "ctrl_credit_grade_id" in changes:
            vals.update(change_grade=True, new_grade_id=changes["ctrl_credit_grade_id"][1])
        if "ctrl_credit_term_days" in changes:
            if changes["ctrl_credit_term_days"][1] < 0:
                raise UserError(_("The credit term of %(partner)s cannot be negative (field Credit term).",
                                  partner=partner.display_name))
            vals.update(change_term=True, new_term_days=changes["ctrl_credit_term_days"][1])
        new_customer = self._ctrl_is_new_customer(partner, company)
        grade = self.env["ctrl.credit.grade"].sudo().browse(vals["new_grade_id"])
        share = company.ctrl_credit_new_customer_share / 100.0
        rounding = company.currency_id.rounding
        raised = vals.get("change_limit") and float_compare(
            vals["new_limit"], grade.default_limit * share, precision_rounding=rounding) > 0
        raised = raised or (vals.get("change_term") and vals["new_term_days"] > round(grade.term_days * share))
        vals.update(new_customer=new_customer, gm_required=bool(new_customer and raised))
        # Superseded: a rejected change of this customer that was neither submitted again nor cancelled.
        self.sudo().search([("partner_id", "=", partner.id), ("company_id", "=", company.id),
                            ("state", "=", "draft")])._ctrl_cancel(_("Superseded by a new request."))
        change = self.sudo().create(vals)
        change._ctrl_submit_change(reason)
        partner.message_post(body=_(
            "Credit change requested by %(user)s (%(name)s): %(summary)s. It applies once approved.",
            user=self.env.user.name, name=change.name, summary=change.summary))
        return change.with_env(self.env)

    def _ctrl_submit_change(self, reason=None):
        for change in self:
            if not change._ctrl_approval_rule(change._ctrl_approval_kind, change.new_limit):
                raise UserError(_(
                    "Changing the credit limit, grade or term needs approval, but no approval rule for credit limit "
                    "changes applies: configure one in Internal Control > Configuration > Approval Rules, "
                    "or switch off 'Approve limit and grade changes' in the settings."))
            change._ctrl_submit(amount=change.new_limit, reason=reason or change.summary)

    def action_submit(self):
        """Submit a rejected change again (its requester or a credit manager)."""
        for change in self:
            change._ctrl_check_requester()
            if change.state != "draft":
                raise UserError(_("%(name)s was already submitted.", name=change.name))
        self.sudo()._ctrl_submit_change()
        return True

    def _ctrl_check_requester(self):
        self.ensure_one()
        if self.env.user != self.requested_by_id and not self.env.user.has_group(
                "ctrl_credit.group_credit_manager") and not self.env.user.has_group("ctrl_base.group_ctrl_manager"):
            raise AccessError(_("Only the requester of %(name)s or a credit manager can submit or cancel it.",
                                name=self.name))

    def _ctrl_approval_amount(self, kind):
        return self.new_limit

    def _ctrl_approval_preparer(self):
        return self.requested_by_id

    def _ctrl_on_approved(self, request):
        """Apply the approved values (ctrl_base approved them only while the
        change still matched what was submitted)."""
        for change in self:
            vals = {}
            if change.change_limit:
                vals["credit_limit"] = change.new_limit
            if change.change_grade:
                vals["ctrl_credit_grade_id"] = change.new_grade_id.id
            if change.change_term:
                vals["ctrl_credit_term_days"] = change.new_term_days
            partner = change.partner_id.with_company(change.company_id).sudo().with_context(**{APPROVED_KEY: True})
            partner.write(vals)
            partner.message_post(body=_("Credit change %(name)s approved and applied: %(summary)s.",
                                        name=change.name, summary=change.summary))

    def _ctrl_on_rejected(self, request):
        for change in self:
            change.partner_id.message_post(body=_(
                "Credit change %(name)s rejected: %(summary)s. It is back to draft: submit it again or cancel it.",
                name=change.name, summary=change.summary))

    def action_cancel(self):
        """Withdraw and cancel the change (its requester, a credit manager or
        an Internal Control administrator)."""
        for change in self.filtered(lambda c: c.state in ("draft", "pending")):
            change._ctrl_check_requester()
        self._ctrl_cancel(_("Cancelled by %(user)s.", user=self.env.user.name))
        return True

    def _ctrl_cancel(self, note):
        """Cancel the changes and their pending requests (after the caller's checks)."""
        for change in self.filtered(lambda c: c.state in ("draft", "pending")):
            for request in change._ctrl_approval_requests(change._ctrl_approval_kind, ["pending"]):
                request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
                request._finish("cancel", note)
            change._ctrl_set_state("cancel")
            change._message_log(body=note)
