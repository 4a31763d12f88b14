# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import _, api, fields, models
from odoo.exceptions import UserError


class CtrlApprovalMixin(models.AbstractModel):
    """Gives a model approvals through ``ctrl.approval.rule``.

    The reviewed model calls ``_ctrl_request_approval(kind)`` and reacts in
    ``_ctrl_on_approval_done(request)`` (called as superuser once the last
    step is approved, or on rejection).
    """

    _name = "ctrl.approval.mixin"
    _description = "Internal Control: approvals"

    ctrl_approval_ids = fields.One2many(
        "ctrl.approval.request", "res_id", string="Approval requests",
        domain=lambda self: [("res_model", "=", self._name)],
    )
    ctrl_approval_count = fields.Integer(compute="_compute_ctrl_approval_count")
    ctrl_approval_pending = fields.Boolean(
        "Approval pending", compute="_compute_ctrl_approval_count",
    )
    ctrl_approval_can_withdraw = fields.Boolean(
        "Can withdraw the approval request", compute="_compute_ctrl_approval_user_rights",
        help="The current user may withdraw the pending approval request (its requester, the document's "
             "preparer or an Internal Control administrator).",
    )
    ctrl_approval_can_decide = fields.Boolean(
        "Can decide the approval request", compute="_compute_ctrl_approval_user_rights",
        help="The current user may approve or refuse the pending approval request (the current step's "
             "approver, not its preparer or requester).",
    )

    @api.depends("ctrl_approval_ids.state")
    def _compute_ctrl_approval_count(self):
        for record in self:
            requests = record.ctrl_approval_ids
            record.ctrl_approval_count = len(requests)
            record.ctrl_approval_pending = any(r.state == "pending" for r in requests)

    @api.depends_context("uid")
    @api.depends("ctrl_approval_ids.state")
    def _compute_ctrl_approval_user_rights(self):
        for record in self:
            pending = record.ctrl_approval_ids.filtered(lambda request: request.state == "pending")
            record.ctrl_approval_can_withdraw = any(pending.mapped("can_withdraw"))
            record.ctrl_approval_can_decide = any(pending.mapped("can_decide"))

    # Hooks a model may override -------------------------------------------
    def _ctrl_approval_amount(self, rule_model_kind):
        """Amount, in company currency, that picks the rule. Defaults to
        ``amount_total`` converted from the record's currency."""
        self.ensure_one()
        amount = self["amount_total"] if "amount_total" in self else 0.0
        company = self.company_id if "company_id" in self and self.company_id else self.env.company
        currency = self.currency_id if "currency_id" in self and self.currency_id else company.currency_id
        date = fields.Date.context_today(self)
        return currency._convert(amount, company.currency_id, company, date)

    def _ctrl_approval_preparer(self):
        """User who prepared the record: they may not approve it."""
        self.ensure_one()
        return self.create_uid

    def _ctrl_on_approval_done(self, request):
        """Called (as superuser) when ``request`` is approved or rejected."""

    def _ctrl_approval_fingerprint(self, kind):
        """A digest of what an approval of ``kind`` covers (False: the amount
        only). The request keeps it; the approval holds only while the
        record still matches it."""
        return False

    # API ---------------------------------------------------------------------
    def _ctrl_approval_rule(self, kind="default", amount=None):
        self.ensure_one()
        if amount is None:
            amount = self._ctrl_approval_amount(kind)
        return self.env["ctrl.approval.rule"]._find_for(self, kind, amount)

    def _ctrl_approval_requests(self, kind="default", states=None):
        self.ensure_one()
        domain = [("res_model", "=", self._name), ("res_id", "=", self.id), ("kind", "=", kind)]
        if states:
            domain.append(("state", "in", states))
        return self.env["ctrl.approval.request"].sudo().search(domain)

    def _ctrl_is_approved(self, kind="default"):
        """True when the latest request of ``kind`` was approved and the
        record still is what was approved: same fingerprint, and an amount
        that the approving rule still covers."""
        latest = self._ctrl_approval_requests(kind, ["pending", "approved", "rejected"])[:1]
        return latest.state == "approved" and not latest._mismatch()

    def _ctrl_needs_approval(self, kind="default", amount=None):
        """True when a rule applies and no approved request exists yet."""
        return bool(self._ctrl_approval_rule(kind, amount)) and not self._ctrl_is_approved(kind)

    def _ctrl_request_approval(self, kind="default", reason=None, amount=None, payload=None):
        """Open an approval request for this record, or return the pending one.

        Returns an empty recordset when no rule applies (nothing to approve).
        """
        self.ensure_one()
        pending = self._ctrl_approval_requests(kind, ["pending"])
        if pending:
            return pending[:1]
        if amount is None:
            amount = self._ctrl_approval_amount(kind)
        rule = self._ctrl_approval_rule(kind, amount)
        if not rule:
            return self.env["ctrl.approval.request"]
        if not rule.step_ids:
            raise UserError(_("Approval rule %(rule)s has no steps: add at least one "
                              "approver step.", rule=rule.name))
        company = self.company_id if "company_id" in self and self.company_id else self.env.company
        request = self.env["ctrl.approval.request"].sudo().create({
            "rule_id": rule.id,
            "res_model": self._name,
            "res_id": self.id,
            "res_name": self.display_name,
            "company_id": company.id,
            "amount": amount,
            "reason": reason,
            "payload": payload,
            "fingerprint": self._ctrl_approval_fingerprint(kind),
            "requested_by_id": self.env.uid,
            "prepared_by_id": self._ctrl_approval_preparer().id,
            "step_ids": [
                fields.Command.create({"rule_step_id": step.id, "sequence": step.sequence})
                for step in rule.step_ids
            ],
        })
        request._start()
        return request.with_env(self.env)

    def action_ctrl_view_approvals(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_base.ctrl_approval_request_action")
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {}
        return action
