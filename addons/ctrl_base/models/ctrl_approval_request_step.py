# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlApprovalRequestStep(models.Model):
    _name = "ctrl.approval.request.step"
    _description = "Approval Request Step"
    _order = "request_id, sequence, id"

    request_id = fields.Many2one("ctrl.approval.request", required=True, ondelete="cascade", index=True)
    rule_step_id = fields.Many2one("ctrl.approval.rule.step", required=True, ondelete="restrict")
    sequence = fields.Integer()
    # The rule step's name, in the reader's language (rule steps cannot be deleted once used).
    name = fields.Char(related="rule_step_id.name")
    approver_label = fields.Char(compute="_compute_approver_label")
    state = fields.Selection(
        [("waiting", "Waiting"), ("pending", "To decide"), ("approved", "Approved"),
         ("rejected", "Rejected"), ("cancel", "Cancelled")],
        default="waiting", required=True, index=True,
    )
    date_start = fields.Datetime(help="When this step started waiting for a decision.")
    user_id = fields.Many2one("res.users", string="Decided by")
    date_done = fields.Datetime("Decided on")
    comment = fields.Text()
    company_id = fields.Many2one(related="request_id.company_id", store=True)

    @api.depends("rule_step_id")
    def _compute_approver_label(self):
        for step in self:
            rule_step = step.rule_step_id
            step.approver_label = rule_step.group_id.full_name or rule_step.reviewer_field or ""

    def _decide(self, state, comment):
        self.ensure_one()
        self.write({"state": state, "user_id": self.env.uid, "date_done": fields.Datetime.now(), "comment": comment})
        following = self.request_id.step_ids.filtered(lambda s: s.state == "waiting")[:1]
        if state == "approved" and following:
            following.write({"state": "pending", "date_start": fields.Datetime.now()})

    # Escalation callbacks (ladder ctrl_base.escalation_ladder_approval_wait).
    def _ctrl_escalation_remind(self, level):
        self.filtered(lambda s: s.state == "pending").request_id.sudo()._remind(level.days)

    def _ctrl_escalation_escalate(self, level):
        self.filtered(lambda s: s.state == "pending").request_id.sudo()._escalate(level.days)
