# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import float_compare

from ..tools.i18n import installed_langs


class CtrlApprovalRequest(models.Model):
    """An approval asked for one record, following one rule's steps.

    Segregation of duties is enforced here, on the server: the approver must
    hold the step's group (or be the user the step names), and may be neither
    the requester nor the record's preparer.
    """

    _name = "ctrl.approval.request"
    _description = "Approval Request"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.document.mixin"]
    _order = "id desc"

    name = fields.Char(required=True, readonly=True, copy=False, default="/")
    rule_id = fields.Many2one("ctrl.approval.rule", required=True, readonly=True, ondelete="restrict")
    kind = fields.Char(related="rule_id.kind", store=True)
    res_model = fields.Char("Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference("Record", required=True, readonly=True, model_field="res_model", index=True)
    res_name = fields.Char("Document name", readonly=True)
    document_type = fields.Selection(selection="_selection_document_type", string="Document type",
                                     compute="_compute_document_type", store=True)
    company_id = fields.Many2one("res.company", readonly=True, default=lambda self: self.env.company, index=True)
    currency_id = fields.Many2one(related="company_id.currency_id")
    amount = fields.Monetary(readonly=True, help="Amount the rule was chosen on, in company currency.")
    reason = fields.Text(readonly=True)
    requested_by_id = fields.Many2one("res.users", readonly=True, default=lambda self: self.env.user, tracking=True)
    prepared_by_id = fields.Many2one(
        "res.users", readonly=True,
        help="Who prepared the reviewed record. They cannot approve it.",
    )
    state = fields.Selection(
        [("pending", "Pending"), ("approved", "Approved"), ("rejected", "Rejected"), ("cancel", "Cancelled")],
        default="pending", required=True, readonly=True, tracking=True, index=True,
    )
    step_ids = fields.One2many("ctrl.approval.request.step", "request_id", readonly=True)
    current_step_id = fields.Many2one(
        "ctrl.approval.request.step", compute="_compute_current_step", store=True
    )
    current_step_name = fields.Char(related="current_step_id.name", string="Waiting for")
    can_decide = fields.Boolean(compute="_compute_can_decide")
    can_withdraw = fields.Boolean(compute="_compute_can_withdraw")
    payload = fields.Json(readonly=True, help="Extra data the requesting addon keeps with the request.")
    fingerprint = fields.Char(readonly=True, copy=False,
                              help="Digest of what was submitted: the approval holds only while the document "
                                   "still matches it.")
    date_done = fields.Datetime(readonly=True)

    @api.depends("step_ids.state")
    def _compute_current_step(self):
        for request in self:
            request.current_step_id = request.step_ids.filtered(lambda s: s.state == "pending")[:1]

    @api.depends_context("uid")
    @api.depends("current_step_id", "state")
    def _compute_can_decide(self):
        for request in self:
            request.can_decide = request.state == "pending" and not request._decision_error(self.env.user)

    @api.model
    def _selection_document_type(self):
        # What a user reads instead of the technical model name (for grouping requests), in their language.
        models = self.env["ir.model"].sudo()
        return [(name, models._get(name).name or name) for name, model in self.env.registry.items()
                if "ctrl_approval_ids" in model._fields and not model._fields["ctrl_approval_ids"].inherited
                and not model._abstract]

    @api.depends("res_model")
    def _compute_document_type(self):
        for request in self:
            request.document_type = request.res_model

    @api.depends_context("uid")
    @api.depends("state", "requested_by_id", "prepared_by_id")
    def _compute_can_withdraw(self):
        for request in self:
            request.can_withdraw = request.state == "pending" and request._may_cancel(self.env.user)

    def _may_cancel(self, user):
        """The requester, the record's preparer or an Internal Control administrator
        withdraws a request (what ``action_cancel`` checks)."""
        self.ensure_one()
        return user in self.requested_by_id | self.prepared_by_id or user.has_group("ctrl_base.group_ctrl_manager")

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = self.env["ir.sequence"].next_by_code("ctrl.approval.request") or "/"
        return super().create(vals_list)

    def _record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    # ------------------------------------------------------------------
    # Decisions
    # ------------------------------------------------------------------
    def _decision_error(self, user):
        """Why ``user`` may not decide the current step, or '' when they may."""
        self.ensure_one()
        step = self.current_step_id
        if self.state != "pending" or not step:
            return _("Request %(name)s is not waiting for a decision.", name=self.name)
        if user == self.requested_by_id:
            return _("You requested %(name)s: someone else must approve it "
                     "(segregation of duties).", name=self.name)
        if user == self.prepared_by_id:
            return _("You prepared %(doc)s: someone else must approve it "
                     "(segregation of duties).", doc=self.res_name)
        if user not in step.rule_step_id._allowed_users(self._record()):
            return _("Step '%(step)s' of %(name)s must be decided by %(who)s.",
                     step=step.name, name=self.name, who=step.approver_label)
        if user in self._deciders() and not self.rule_id.allow_same_approver:
            return _("You already approved a step of %(name)s: step '%(step)s' needs another person "
                     "(segregation of duties).", name=self.name, step=step.name)
        return ""

    def _deciders(self):
        """Who approved a step of this request so far."""
        return self.step_ids.filtered(lambda s: s.state == "approved").user_id

    def _mismatch(self):
        """Why the record no longer matches what was submitted, or ''."""
        self.ensure_one()
        record = self._record().sudo()
        if not record.exists():
            return _("the document was deleted")
        if self.fingerprint and record._ctrl_approval_fingerprint(self.kind) != self.fingerprint:
            return _("its content changed after it was submitted")
        amount = record._ctrl_approval_amount(self.kind)
        rounding = self.currency_id.rounding or 0.01
        if self.rule_id and (float_compare(amount, self.amount, precision_rounding=rounding)
                             and record._ctrl_approval_rule(self.kind, amount) != self.rule_id):
            return _("its amount is now %(amount)s, which needs another approval band",
                     amount=self.currency_id.format(amount))
        return ""

    def _check_still_matches(self):
        for request in self:
            why = request._mismatch()
            if why:
                raise UserError(_("%(doc)s cannot be approved under %(name)s: %(why)s. The requester must "
                                  "withdraw the request and submit again.", doc=request.res_name,
                                  name=request.name, why=why))

    def _check_can_decide(self):
        for request in self:
            error = request._decision_error(self.env.user)
            if error:
                raise AccessError(error)

    # Users only read requests (see ir.model.access.csv): every change below
    # runs as superuser, after the checks, so no RPC write can skip them.
    def action_approve(self, comment=None):
        self._check_can_decide()
        self._check_still_matches()
        for request in self.sudo():
            request.current_step_id._decide("approved", comment)
            if request.current_step_id:
                request._notify_current_step()
            else:
                request._finish("approved", comment)
        return True

    def action_reject(self, comment=None):
        self._check_can_decide()
        if not comment:
            raise UserError(_("Give the reason for the rejection in the comment."))
        for request in self.sudo():
            request.current_step_id._decide("rejected", comment)
            request._finish("rejected", comment)
        return True

    def action_cancel(self):
        for request in self.filtered(lambda r: r.state == "pending"):
            if not request._may_cancel(self.env.user):
                raise AccessError(_("Only the requester or an Internal Control administrator "
                                    "can cancel %(name)s.", name=request.name))
            request = request.sudo()
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", None)
        return True

    def _open_decision_wizard(self, decision):
        self.ensure_one()
        self._check_can_decide()
        return {
            "type": "ir.actions.act_window",
            "name": _("Approve %(name)s", name=self.name) if decision == "approved"
            else _("Reject %(name)s", name=self.name),
            "res_model": "ctrl.approval.decision",
            "view_mode": "form",
            "target": "new",
            "context": {"default_request_id": self.id, "default_decision": decision},
        }

    def action_open_approve(self):
        return self._open_decision_wizard("approved")

    def action_open_reject(self):
        return self._open_decision_wizard("rejected")

    def action_open_document(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # Life cycle
    # ------------------------------------------------------------------
    def _start(self):
        """Open the first step and tell both documents."""
        for request in self:
            request.step_ids[:1].write({"state": "pending", "date_start": fields.Datetime.now()})
            body = Markup("%s<br/>%s") % (
                _("Approval %(name)s requested under rule '%(rule)s'.", name=request.name, rule=request.rule_id.name),
                request.reason or "",
            )
            request._record()._message_log(body=body)
            request.message_post(body=body, subtype_xmlid="mail.mt_note")
            request._notify_current_step()

    def _activities(self):
        """Every activity on the requests, searched: activity_ids read by an approver (their own only) may
        be in the cache, and would leave the other approvers' to-dos behind."""
        return self.env["mail.activity"].sudo().search([("res_model", "=", self._name), ("res_id", "in", self.ids)])

    def _notify_current_step(self):
        """An activity for each user who may decide the current step."""
        for request in self.sudo():
            step = request.current_step_id
            request._activities().filtered(
                lambda a: a.activity_type_id == self.env.ref("ctrl_base.mail_activity_type_approval")
            ).unlink()
            excluded = request.requested_by_id | request.prepared_by_id
            if not request.rule_id.allow_same_approver:
                excluded |= request._deciders()
            users = step.rule_step_id._allowed_users(request._record()) - excluded
            langs = installed_langs(self.env)
            for user in users:
                # In the approver's language, the step's name too.
                env = step.with_context(lang=user.lang if user.lang in langs else self.env.lang).env
                request.activity_schedule(
                    "ctrl_base.mail_activity_type_approval",
                    user_id=user.id,
                    summary=env._("Approve %(doc)s (%(step)s)", doc=request.res_name,
                                  step=step.rule_step_id.with_env(env).name),
                )
            # The activities were read above: forget them, or callers see the list from before.
            request.invalidate_recordset(["activity_ids"])

    def _finish(self, state, comment):
        self.ensure_one()
        self._activities().unlink()
        self.write({"state": state, "date_done": fields.Datetime.now()})
        labels = dict(self._fields["state"]._description_selection(self.env))
        body = _("Approval %(name)s: %(state)s by %(user)s.",
                 name=self.name, state=labels[state], user=self.env.user.name)
        if comment:
            body = Markup("%s<br/>%s") % (body, comment)
        record = self._record()
        record._message_log(body=body)
        self.message_post(body=body, subtype_xmlid="mail.mt_note")
        if state != "cancel" and hasattr(record, "_ctrl_on_approval_done"):
            # The approval is the authorisation: its effect runs as superuser.
            record.sudo()._ctrl_on_approval_done(self)

    def _remind(self, days):
        """Remind the approvers of the waiting step (escalation callback)."""
        for request in self.filtered(lambda r: r.state == "pending"):
            request._notify_current_step()
            request.message_post(
                body=_("Reminder: %(name)s has waited %(days)s days for '%(step)s'.",
                       name=request.name, days=days, step=request.current_step_name),
                subtype_xmlid="mail.mt_note",
            )

    def _escalate(self, days):
        """Tell the Internal Control administrators that a step is stuck."""
        managers = self.env.ref("ctrl_base.group_ctrl_manager").users.filtered("active")
        for request in self.filtered(lambda r: r.state == "pending"):
            for user in managers:
                request.activity_schedule(
                    "ctrl_base.mail_activity_type_approval", user_id=user.id,
                    summary=_("Stuck %(days)s days at '%(step)s'", days=days, step=request.current_step_name),
                )
