# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import api, fields, models


class CtrlSixsCommittee(models.Model):
    """The 6S committee / promotion team (V14 §2; seed-001 §9 #15): members with their role,
    and its meetings. It meets at least once a month (§10 #20): a committee whose last meeting
    is more than a month old climbs the ladder 'sixs_committee_no_meeting' (its chair, then
    the 6S managers); holding a meeting starts the count again."""

    _name = "ctrl.sixs.committee"
    _description = "6S Committee"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.escalation.mixin"]
    _order = "name, id"

    name = fields.Char(required=True, translate=True, tracking=True)
    chair_id = fields.Many2one("hr.employee", "Chair", required=True, tracking=True)
    chair_user_id = fields.Many2one(related="chair_id.user_id", string="Chair user")
    member_ids = fields.One2many("ctrl.sixs.committee.member", "committee_id", "Members")
    meeting_ids = fields.One2many("ctrl.sixs.meeting", "committee_id", "Meetings")
    date_start = fields.Date("Set up on", required=True, default=fields.Date.context_today, tracking=True)
    last_meeting_date = fields.Date(
        compute="_compute_last_meeting_date", store=True,
        help="The date of the last meeting held, or the date the committee was set up.")
    meeting_count = fields.Integer(compute="_compute_meeting_count")
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one("res.company", required=True, index=True, default=lambda self: self.env.company)

    @api.depends("date_start", "meeting_ids.date", "meeting_ids.state")
    def _compute_last_meeting_date(self):
        for committee in self:
            held = committee.meeting_ids.filtered(lambda m: m.state != "draft").mapped("date")
            committee.last_meeting_date = max(held + [committee.date_start]) if committee.date_start else False

    def _compute_meeting_count(self):
        counts = dict(self.env["ctrl.sixs.meeting"]._read_group(
            [("committee_id", "in", self.ids)], ["committee_id"], ["__count"]))
        for committee in self:
            committee.meeting_count = counts.get(committee, 0)

    def action_view_meetings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id("ctrl_sixs.ctrl_sixs_meeting_action")
        action["domain"] = [("committee_id", "=", self.id)]
        action["context"] = {"default_committee_id": self.id}
        return action
