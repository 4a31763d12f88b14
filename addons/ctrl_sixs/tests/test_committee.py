# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError

from .common import SixsCase


class TestCommittee(SixsCase):
    """V14, seed-001 §9 #15, §10 #20: the 6S committee meets at least monthly; its minutes
    go to the departments the next day; its decisions become corrective actions."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.committee = cls.env["ctrl.sixs.committee"].with_user(cls.manager).create({
            "name": "6S promotion team", "chair_id": cls.head.id, "company_id": cls.company.id,
            "date_start": cls.today - timedelta(days=35),
            "member_ids": [Command.create({"employee_id": cls.head.id, "role": "chair"}),
                           Command.create({"employee_id": cls.leader1.id, "role": "team_leader",
                                           "department_area_id": cls.dept.id})]})

    def meeting(self, day=None, user=None, **vals):
        return self.env["ctrl.sixs.meeting"].with_user(user or self.inspector).create(dict({
            "committee_id": self.committee.id, "date": day or self.today,
            "attendee_ids": [Command.set((self.head | self.leader1).ids)],
            "minutes": "<p>Aisles: marked again. Fire exits: checked weekly.</p>"}, **vals))

    def test_meeting_held_distributed_and_decisions_become_actions(self):
        meeting = self.meeting(day=self.today - timedelta(days=1), decision_ids=[
            Command.create({"description": "Re-mark the aisle lines", "area_id": self.zone1.id,
                            "owner_id": self.worker_a.id, "deadline": self.today + timedelta(days=7)}),
            Command.create({"description": "Remind all teams at the morning meeting"})])
        meeting.action_hold()
        self.assertEqual((meeting.state, self.committee.last_meeting_date), ("held", meeting.date))
        with self.assertRaisesRegex(UserError, "Owner"):
            meeting.action_create_actions()
        meeting.decision_ids[1].unlink()
        actions = meeting.action_create_actions()
        self.assertEqual((actions.area_id, actions.owner_id, actions.state), (self.zone1, self.worker_a, "open"))
        self.assertEqual(meeting.decision_ids.action_id, actions)
        self.assertFalse(meeting.action_create_actions(), "each decision once")
        meeting.action_distribute()
        self.assertEqual((meeting.state, meeting.date_distributed, meeting.distributed_late),
                         ("distributed", self.today, False))
        self.assertIn(self.head.user_id.partner_id, meeting.message_ids[:1].partner_ids)

    def test_bad_input_and_late_minutes(self):
        meeting = self.meeting(day=self.today - timedelta(days=3), attendee_ids=[], minutes=False)
        with self.assertRaisesRegex(UserError, "Attendees"):
            meeting.action_hold()
        meeting.attendee_ids = self.head
        with self.assertRaisesRegex(UserError, "Minutes"):
            meeting.action_hold()
        with self.assertRaisesRegex(UserError, "held"):
            meeting.action_distribute()
        future = self.meeting(day=self.today + timedelta(days=2))
        with self.assertRaisesRegex(UserError, "future"):
            future.action_hold()
        meeting.minutes = "<p>Short meeting.</p>"
        meeting.action_hold()
        meeting.action_distribute()
        self.assertTrue(meeting.distributed_late, "three days after the meeting")

    def test_attacks(self):
        meeting = self.meeting(day=self.today - timedelta(days=1), decision_ids=[
            Command.create({"description": "Fix the lights", "area_id": self.zone1.id,
                            "owner_id": self.worker_a.id, "deadline": self.today})])
        worker = self.worker_a.user_id
        with self.assertRaises(AccessError):
            self.meeting(user=worker)
        with self.assertRaises(AccessError):
            meeting.with_user(worker).action_hold()
        with self.assertRaises(AccessError):
            self.committee.with_user(self.inspector).chair_id = self.worker_a
        with self.assertRaises(AccessError):
            meeting.with_user(self.manager).write({"state": "distributed"})
        with self.assertRaises(AccessError):
            meeting.with_user(self.manager).write({"distributed_late": True})
        with self.assertRaises(UserError):
            meeting.decision_ids.with_user(self.inspector).action_id = self.env["ctrl.sixs.action"].create({
                "area_id": self.zone1.id, "description": "x", "owner_id": self.worker_a.id,
                "deadline": self.today, "company_id": self.company.id})
        meeting.action_hold()
        for vals in ({"minutes": "<p>Rewritten</p>"}, {"attendee_ids": [Command.clear()]}, {"date": self.today}):
            with self.assertRaises(UserError):
                meeting.with_user(self.manager).write(vals)
        with self.assertRaises(UserError):
            meeting.with_user(self.manager).unlink()
        with self.assertRaises(AccessError):
            meeting.with_user(worker).action_create_actions()
        meeting.action_create_actions()
        with self.assertRaises(UserError):
            meeting.decision_ids.with_user(self.inspector).deadline = self.today + timedelta(days=30)

    def test_ladders_no_meeting_and_minutes(self):
        ladder = self.env.ref("ctrl_sixs.escalation_ladder_committee_no_meeting")
        ladder._run_all()
        self.assertEqual(self.committee.activity_ids.user_id, self.head.user_id, "35 days without a meeting")
        self.meeting(day=self.today - timedelta(days=1)).action_hold()
        self.assertFalse(self.committee.ctrl_escalation_step_ids, "a meeting starts the month again")
        ladder._run_all()
        self.assertEqual(len(self.committee.activity_ids), 1, "no new activity after the meeting")
        minutes = self.env.ref("ctrl_sixs.escalation_ladder_meeting_minutes")
        held = self.committee.meeting_ids
        minutes._run_all()
        self.assertEqual(held.activity_ids.user_id, self.head.user_id, "minutes due the next day")
        held.action_distribute()
        self.assertFalse(held.activity_ids)
