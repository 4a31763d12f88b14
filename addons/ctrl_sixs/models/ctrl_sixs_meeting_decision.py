# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields, models
from odoo.exceptions import UserError


class CtrlSixsMeetingDecision(models.Model):
    """A decision of a committee meeting; with an area, an owner and a deadline it becomes
    a corrective action (``ctrl.sixs.action``, the audits' own model)."""

    _name = "ctrl.sixs.meeting.decision"
    _description = "6S Committee Decision"
    _order = "meeting_id, sequence, id"
    _rec_name = "description"

    meeting_id = fields.Many2one("ctrl.sixs.meeting", required=True, ondelete="cascade", index=True)
    sequence = fields.Integer(default=10)
    description = fields.Text(required=True)
    area_id = fields.Many2one("ctrl.sixs.area", "Area")
    owner_id = fields.Many2one("hr.employee", "Owner")
    deadline = fields.Date()
    action_id = fields.Many2one("ctrl.sixs.action", "Corrective action", readonly=True, ondelete="set null")
    company_id = fields.Many2one(related="meeting_id.company_id", store=True, index=True)

    def write(self, vals):
        if not self.env.su and self.filtered("action_id") and set(vals) & {"description", "area_id", "owner_id",
                                                                             "deadline", "action_id"}:
            raise UserError(self.env._(
                "This decision is a corrective action already: change the corrective action itself."))
        if not self.env.su and "action_id" in vals:
            raise UserError(self.env._("The corrective action of a decision is set by 'Create corrective actions'."))
        return super().write(vals)

    def _ctrl_sixs_create_action(self):
        todo = self.filtered(lambda d: not d.action_id)
        for decision in todo:
            missing = [label for label, value in (
                (self.env._("Area"), decision.area_id), (self.env._("Owner"), decision.owner_id),
                (self.env._("Deadline"), decision.deadline)) if not value]
            if missing:
                raise UserError(self.env._(
                    "Decision '%(decision)s': fill in %(fields)s to make it a corrective action.",
                    decision=decision.description, fields=", ".join(missing)))
        Action = self.env["ctrl.sixs.action"]
        for decision in todo:
            action = Action.create({
                "area_id": decision.area_id.id, "description": decision.description,
                "owner_id": decision.owner_id.id, "deadline": decision.deadline,
                "inspector_user_id": self.env.uid, "company_id": decision.company_id.id})
            decision.sudo().action_id = action
            action.message_post(body=self.env._("Decided at %(meeting)s.", meeting=decision.meeting_id.name))
        return todo.action_id
