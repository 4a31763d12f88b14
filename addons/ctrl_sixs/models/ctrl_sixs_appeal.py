# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlSixsAppeal(models.Model):
    """The audited party appeals a finding; a member of the company's arbiter group
    decides (V14 2.2, 2.4.1, 3.6). The decision is logged on the appeal and the audit."""

    _name = "ctrl.sixs.appeal"
    _description = "6S Appeal"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin"]
    _order = "id desc"

    # The appellant writes the appeal while it is a draft; the decision is the arbiter's.
    _ctrl_protected_fields = ("appellant_id", "arbiter_id", "date_decided")
    _ctrl_content_fields = ("line_id", "reason")

    name = fields.Char(compute="_compute_name", store=True)
    line_id = fields.Many2one("ctrl.sixs.audit.line", "Finding", required=True, ondelete="cascade", index=True)
    audit_id = fields.Many2one(related="line_id.audit_id", store=True)
    area_id = fields.Many2one(related="line_id.area_id", store=True)
    appellant_id = fields.Many2one("res.users", required=True, default=lambda self: self.env.user, readonly=True)
    reason = fields.Text(required=True, tracking=True)
    state = fields.Selection(
        [("draft", "Draft"), ("submitted", "Submitted"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        default="draft", required=True, tracking=True, index=True)
    arbiter_id = fields.Many2one("res.users", readonly=True, tracking=True)
    decision_note = fields.Text(tracking=True)
    date_decided = fields.Datetime(readonly=True)
    company_id = fields.Many2one(related="line_id.company_id", store=True, index=True)
    can_decide = fields.Boolean(compute="_compute_can_decide",
                                help="The current user may accept or reject this appeal.")

    @api.depends("audit_id.name", "line_id.item_id")
    def _compute_name(self):
        for appeal in self:
            appeal.name = f"{appeal.audit_id.name} / {appeal.line_id.item_id.code or appeal.line_id.item_id.name}"

    @api.depends_context("uid")
    @api.depends("state", "appellant_id", "company_id.ctrl_sixs_arbiter_group_id")
    def _compute_can_decide(self):
        for appeal in self:
            appeal.can_decide = not appeal._arbiter_error()

    @api.model
    def _ctrl_check_protected_create(self, vals_list):
        if any(vals.get("decision_note") for vals in vals_list):
            raise AccessError(self.env._("The decision note is the arbiter's: leave it empty when you appeal."))
        return super()._ctrl_check_protected_create(vals_list)

    def write(self, vals):
        if "decision_note" in vals and not self.env.su:
            # The arbiter drafts the reasons while the appeal waits for the decision.
            self._check_arbiter()
        return super().write(vals)

    def action_submit(self):
        self.check_access("write")
        for appeal in self:
            if appeal.state != "draft":
                raise UserError(self.env._("Appeal %(appeal)s was already submitted.", appeal=appeal.name))
            if appeal.line_id.result != "nok":
                raise UserError(self.env._("Only a finding (Not OK) can be appealed."))
        self._ctrl_set_state("submitted")
        for appeal in self:
            group = appeal.company_id.ctrl_sixs_arbiter_group_id
            for user in group.users[:5]:
                appeal.activity_schedule("mail.mail_activity_data_todo", user_id=user.id,
                                         summary=self.env._("Decide 6S appeal %(appeal)s", appeal=appeal.name))
        return True

    def _arbiter_error(self):
        """Why the current user may not decide this appeal, as (exception class, message), or None."""
        self.ensure_one()
        group = self.sudo().company_id.ctrl_sixs_arbiter_group_id
        if not group or self.env.user not in group.users:
            return AccessError, self.env._(
                "Only members of the appeal arbiter group (%(group)s, 6S settings) decide appeals.",
                group=group.display_name or "-")
        if self.appellant_id == self.env.user:
            return UserError, self.env._("Appeal %(appeal)s: the appellant cannot decide their own appeal.",
                                         appeal=self.name)
        if self.state != "submitted":
            return UserError, self.env._("Appeal %(appeal)s is not waiting for a decision.", appeal=self.name)
        return None

    def _check_arbiter(self):
        for appeal in self:
            error = appeal._arbiter_error()
            if error:
                raise error[0](error[1])

    def _decide(self, accepted, note):
        self._check_arbiter()
        if not note:
            raise UserError(self.env._("Give the reasons for the decision in the decision note."))
        for appeal in self.sudo():
            appeal._ctrl_set_state("accepted" if accepted else "rejected", arbiter_id=self.env.uid,
                                   decision_note=note, date_decided=fields.Datetime.now())
            if accepted:
                line = appeal.line_id
                line.write({"result": "na", "points": 0.0,
                            "na_reason": self.env._("Appeal %(appeal)s accepted", appeal=appeal.name)})
                self.env["ctrl.sixs.point"].sudo().search([
                    ("res_model", "=", line._name), ("res_id", "=", line.id), ("state", "=", "posted"),
                ]).state = "cancelled"
            body = Markup("%s") % self.env._(
                "Appeal on %(item)s %(decision)s by %(arbiter)s: %(note)s",
                item=appeal.line_id.item_id.display_name, decision=appeal.state, arbiter=self.env.user.name,
                note=note)
            appeal.message_post(body=body)
            appeal.audit_id.message_post(body=body)
            appeal.activity_ids.action_done()
        return True

    def action_accept(self, note=None):
        return self._decide(True, note or self.decision_note)

    def action_reject(self, note=None):
        return self._decide(False, note or self.decision_note)
