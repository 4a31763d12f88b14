# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError


class CtrlSixsMeeting(models.Model):
    """A meeting of the 6S committee (V14; seed-001 §6, §10 #20): date, attendees, minutes
    and decisions. Held with its minutes and attendees, the minutes then go to the
    departments, by the next day (a meeting held but not distributed climbs the ladder
    'sixs_meeting_minutes'). A decision with an area, an owner and a deadline becomes a
    corrective action of the 6S audits (``ctrl.sixs.action``)."""

    _name = "ctrl.sixs.meeting"
    _description = "6S Committee Meeting"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin", "ctrl.lifecycle.mixin"]
    _order = "date desc, id desc"

    _ctrl_draft_states = ("draft",)
    _ctrl_protected_fields = ("held_by_id", "date_distributed", "distributed_by_id", "distributed_late")
    _ctrl_content_fields = ("committee_id", "date", "attendee_ids", "minutes", "company_id")

    name = fields.Char(compute="_compute_name", store=True)
    committee_id = fields.Many2one("ctrl.sixs.committee", required=True, index=True, ondelete="restrict",
                                   tracking=True)
    chair_user_id = fields.Many2one(related="committee_id.chair_user_id")
    date = fields.Date(required=True, default=fields.Date.context_today, index=True, tracking=True)
    attendee_ids = fields.Many2many("hr.employee", string="Attendees")
    minutes = fields.Html(tracking=True)
    decision_ids = fields.One2many("ctrl.sixs.meeting.decision", "meeting_id", "Decisions")
    state = fields.Selection([("draft", "Draft"), ("held", "Held"), ("distributed", "Minutes distributed")],
                             default="draft", required=True, readonly=True, index=True, tracking=True)
    held_by_id = fields.Many2one("res.users", "Recorded by", readonly=True)
    date_distributed = fields.Date("Minutes distributed on", readonly=True, tracking=True)
    distributed_by_id = fields.Many2one("res.users", readonly=True)
    distributed_late = fields.Boolean(
        "Minutes late", readonly=True, tracking=True,
        help="The minutes reached the departments after the day following the meeting.")
    company_id = fields.Many2one(related="committee_id.company_id", store=True, index=True)

    @api.depends("committee_id.name", "date")
    def _compute_name(self):
        for meeting in self:
            meeting.name = f"{meeting.committee_id.name or ''} {meeting.date or ''}".strip()

    def _ctrl_sixs_check_inspector(self):
        if not self.env.su and not self.env.user.has_group("ctrl_sixs.group_sixs_inspector"):
            raise AccessError(self.env._(
                "6S committee meetings are recorded by 6S inspectors and managers (the committee's secretary)."))

    def action_hold(self):
        """Record the meeting as held: its attendees and minutes are then final."""
        self._ctrl_sixs_check_inspector()
        self.check_access("write")
        for meeting in self:
            if meeting.state != "draft":
                raise UserError(self.env._("%(meeting)s is already recorded as held.", meeting=meeting.name))
            if not meeting.attendee_ids:
                raise UserError(self.env._("%(meeting)s: list the 'Attendees' first.", meeting=meeting.name))
            if not meeting.minutes or not meeting.minutes.striptags().strip():
                raise UserError(self.env._("%(meeting)s: write the 'Minutes' first.", meeting=meeting.name))
            if meeting.date > fields.Date.context_today(self):
                raise UserError(self.env._(
                    "%(meeting)s: the meeting date is in the future. Record it once it took place.",
                    meeting=meeting.name))
        self._ctrl_set_state("held", held_by_id=self.env.uid)
        self.committee_id._ctrl_escalation_reset("sixs_committee_no_meeting")
        return True

    def action_distribute(self):
        """Send the minutes to the department heads (as followers) and log when: due the
        day after the meeting."""
        self._ctrl_sixs_check_inspector()
        self.check_access("write")
        today = fields.Date.context_today(self)
        for meeting in self:
            if meeting.state != "held":
                raise UserError(self.env._(
                    "%(meeting)s: record the meeting as held before distributing its minutes.",
                    meeting=meeting.name))
            heads = self.env["ctrl.sixs.area"].sudo().search([
                ("company_id", "=", meeting.company_id.id), ("level", "=", "department"),
                ("active", "=", True)]).responsible_id.user_id.partner_id
            members = meeting.committee_id.member_ids.employee_id.user_id.partner_id
            meeting.sudo().message_post(
                body=meeting.minutes, subject=self.env._("Minutes: %(meeting)s", meeting=meeting.name),
                partner_ids=(heads | members).ids, subtype_xmlid="mail.mt_comment")
            meeting._ctrl_set_state("distributed", date_distributed=today, distributed_by_id=self.env.uid,
                                    distributed_late=today > meeting.date + timedelta(days=1))
        self.activity_ids.sudo().action_done()
        return True

    def action_create_actions(self):
        """Each decision with an area, an owner and a deadline becomes a corrective action."""
        self._ctrl_sixs_check_inspector()
        self.check_access("read")
        for meeting in self:
            if meeting.state == "draft":
                raise UserError(self.env._(
                    "%(meeting)s: record the meeting as held before turning its decisions into actions.",
                    meeting=meeting.name))
        return self.decision_ids._ctrl_sixs_create_action()
