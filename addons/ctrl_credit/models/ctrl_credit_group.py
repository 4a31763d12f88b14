# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import json

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

# 001/AR02.7, AR16.8: a customer's limit (here the group's aggregate cap) is approved by the general manager.
GROUP_KIND = "credit_group"


class CtrlCreditGroup(models.Model):
    """A credit group: the customers under one controlling person, with an
    aggregate credit limit (001/AR16.8: related customers must not each
    obtain a full limit of their own).

    The group belongs to one company: its cap is in that company's currency
    and holds orders of that company only. Membership is the plain
    Many2one ``res.partner.ctrl_credit_group_id`` (not company-dependent: a
    customer has one controlling person, whatever the company; see
    readme/CONFIGURE.md). Only credit managers create groups, change the cap
    or the members; every change is tracked.

    Raising the cap needs the general manager's approval (rule of kind
    ``credit_group``): the credit manager enters the Proposed credit limit and
    submits it; the cap takes that value when the request is approved, and
    a change of the proposal while it waits withdraws the request. Lowering
    the cap applies at once (it only tightens). Membership changes are not
    approved (yet)."""

    _name = "ctrl.credit.group"
    _description = "Credit Group"
    _inherit = ["mail.thread", "ctrl.approval.mixin"]
    _order = "company_id, name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True, tracking=True)
    controller_id = fields.Many2one(
        "res.partner", "Controlling person", required=True, tracking=True,
        help="The person or company that controls every customer of the group.")
    company_id = fields.Many2one("res.company", required=True, index=True, tracking=True,
                                 default=lambda self: self.env.company)
    currency_id = fields.Many2one(related="company_id.currency_id")
    credit_limit = fields.Monetary(
        "Group credit limit", required=True, tracking=True, aggregator=False,
        help="The most the customers of the group may owe together in this company: open receivables, orders "
             "not yet invoiced and draft invoices of all of them.")
    credit_limit_proposed = fields.Monetary(
        "Proposed credit limit", tracking=True, copy=False, aggregator=False,
        help="A higher group credit limit, waiting for the general manager's approval: it replaces the Group "
             "credit limit once approved.")
    member_ids = fields.One2many("res.partner", "ctrl_credit_group_id", "Customers")
    member_count = fields.Integer("Number of customers", compute="_compute_figures")
    exposure = fields.Monetary("Group credit exposure", compute="_compute_figures")
    available = fields.Monetary("Group available credit", compute="_compute_figures")
    note = fields.Text("Notes")

    @api.constrains("credit_limit")
    def _check_credit_limit(self):
        for group in self:
            if group.currency_id.compare_amounts(group.credit_limit, 0) <= 0:
                raise ValidationError(_(
                    "Credit group %(group)s: the Group credit limit must be above zero.", group=group.name))

    @api.depends("credit_limit", "member_ids")
    def _compute_figures(self):
        for group in self:
            members = group._ctrl_members()
            figures = members._ctrl_credit_figures(group.company_id) if members else {}
            exposure = group.currency_id.round(sum(value for value, _days in figures.values()))
            group.member_count = len(members)
            group.exposure = exposure
            group.available = group.credit_limit - exposure

    def _ctrl_members(self):
        """The group's customers, archived ones included (what they owe still counts). One query."""
        self.ensure_one()
        return self.env["res.partner"].sudo().with_context(active_test=False).search(
            [("ctrl_credit_group_id", "=", self.id)], order="id")

    @api.ondelete(at_uninstall=False)
    def _unlink_except_with_customers(self):
        for group in self:
            members = group._ctrl_members()
            if members:
                raise UserError(_(
                    "Credit group %(group)s still has customers (%(names)s). Remove them from the group first, "
                    "or archive the group.", group=group.name,
                    names=", ".join(members[:5].mapped("display_name")) + (", ..." if len(members) > 5 else "")))

    def write(self, vals):
        if "credit_limit" in vals and not self.env.su:
            self.check_access("write")
            for group in self:
                if group.currency_id.compare_amounts(vals["credit_limit"] or 0.0, group.credit_limit) > 0:
                    raise UserError(_(
                        "Credit group %(group)s: a higher Group credit limit needs the general manager's approval. "
                        "Enter it as the Proposed credit limit and submit it for approval.", group=group.name))
        if "credit_limit_proposed" in vals and not self.env.su:
            # A changed proposal is not what was submitted: its request is withdrawn.
            for group in self:
                pending = group._ctrl_approval_requests(GROUP_KIND, ["pending"])
                if pending and group.currency_id.compare_amounts(
                        vals["credit_limit_proposed"] or 0.0, group.credit_limit_proposed) != 0:
                    pending.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write(
                        {"state": "cancel"})
                    pending._finish("cancel", _("Withdrawn: the proposed credit limit changed after it was "
                                                "submitted."))
        before = {group.id: group.member_ids for group in self} if "member_ids" in vals else {}
        result = super().write(vals)
        for group in self.filtered(lambda g: g.id in before):
            added, removed = group.member_ids - before[group.id], before[group.id] - group.member_ids
            if added or removed:
                group._ctrl_log_members(added, removed)
        return result

    def _ctrl_log_members(self, added, removed):
        parts = []
        if added:
            parts.append(_("added %(names)s", names=", ".join(added.mapped("display_name"))))
        if removed:
            parts.append(_("removed %(names)s", names=", ".join(removed.mapped("display_name"))))
        self.message_post(body=_("Customers changed by %(user)s: %(changes)s.", user=self.env.user.name,
                                 changes="; ".join(parts)))

    # ------------------------------------------------------------------
    # Raising the cap: the general manager's approval
    # ------------------------------------------------------------------
    def _ctrl_approval_amount(self, kind):
        if kind != GROUP_KIND:
            return super()._ctrl_approval_amount(kind)
        return self.credit_limit_proposed

    def _ctrl_approval_fingerprint(self, kind):
        if kind != GROUP_KIND:
            return super()._ctrl_approval_fingerprint(kind)
        self.ensure_one()
        content = json.dumps({"group": self.id, "company": self.company_id.id, "currency": self.currency_id.id,
                              "proposed": f"{self.credit_limit_proposed:.6f}"}, sort_keys=True)
        return hashlib.sha256(content.encode()).hexdigest()

    def action_submit_limit(self):
        """Send the Proposed credit limit to the general manager."""
        if not self.env.user.has_group("ctrl_credit.group_credit_manager"):
            raise AccessError(_("Only a credit manager can submit a group credit limit."))
        self.check_access("write")
        for group in self:
            if group.currency_id.compare_amounts(group.credit_limit_proposed, group.credit_limit) <= 0:
                raise UserError(_(
                    "Credit group %(group)s: the Proposed credit limit must be above the Group credit limit "
                    "(%(limit)s). To lower the limit, change the Group credit limit directly.",
                    group=group.name, limit=group.currency_id.format(group.credit_limit)))
            request = group._ctrl_request_approval(
                kind=GROUP_KIND, reason=_("Credit group %(group)s: limit from %(old)s to %(new)s",
                                          group=group.name, old=group.currency_id.format(group.credit_limit),
                                          new=group.currency_id.format(group.credit_limit_proposed)),
                payload={"limit": group.credit_limit, "proposed": group.credit_limit_proposed,
                         "currency": group.currency_id.name})
            if not request:
                raise UserError(_("A higher group credit limit needs approval, but no approval rule of kind "
                                  "'credit_group' applies: configure one in Internal Control > Configuration > "
                                  "Approval Rules."))
        return True

    def _ctrl_on_approval_done(self, request):
        if request.kind != GROUP_KIND:
            return super()._ctrl_on_approval_done(request)
        if request.state == "approved":
            self.write({"credit_limit": self.credit_limit_proposed, "credit_limit_proposed": 0.0})
        else:
            self.write({"credit_limit_proposed": 0.0})
        return None
