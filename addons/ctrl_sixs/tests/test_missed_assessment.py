# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import tagged

from .common import SixsCase

EVERY_DAY = {f"day_{name}": True for name in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}


@tagged("post_install", "-at_install")
class TestMissedAssessment(SixsCase):
    """V14 §10 #34, #36: a process leader loses 3 for each missed daily staff assessment
    (the process's daily self-check), the department head 3 for each day a process
    leader's assessment was missed. Working days per the company calendar."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Point = cls.env["ctrl.sixs.point"]
        # The last Wednesday before today: a working day of the standard calendar.
        cls.day = cls.today - timedelta(days=(cls.today.weekday() - 2) % 7 or 7)
        cls.plan = cls.env["ctrl.sixs.plan"].create({
            "name": "Daily self-check", "tier": "self_check", "date_start": cls.day, "company_id": cls.company.id,
            "area_ids": [Command.set((cls.zone1 | cls.zone2).ids)], **EVERY_DAY})

    def missed(self):
        return self.Point.search([("company_id", "=", self.company.id), ("reason_code", "in", (
            "leader_missed_assessment", "head_missed_assessment"))])

    def generate(self):
        self.env["ctrl.sixs.audit"]._cron_generate_audits(date_to=self.day)
        return self.env["ctrl.sixs.audit"].search([("plan_id", "=", self.plan.id), ("scheduled_date", "=", self.day)])

    def test_not_done_self_check_costs_leader_and_head(self):
        audits = self.generate()
        done = audits.filtered(lambda a: a.area_id == self.zone1)
        done.line_ids.write({"result": "ok"})
        done.with_user(self.worker_a.user_id).action_done()
        rows = self.Point._ctrl_sixs_missed_assessments(self.day, self.company)
        self.assertEqual(len(rows), 2)
        leader = rows.filtered(lambda p: p.reason_code == "leader_missed_assessment")
        head = rows.filtered(lambda p: p.reason_code == "head_missed_assessment")
        self.assertEqual((leader.employee_id, leader.area_id, leader.points), (self.leader2, self.proc2, -3.0))
        self.assertEqual((head.employee_id, head.area_id, head.points), (self.head, self.dept, -3.0))
        self.assertEqual(leader.date, self.day)
        # Idempotent: again, and through the cron for that day, nothing more.
        self.Point._ctrl_sixs_missed_assessments(self.day, self.company)
        self.assertEqual(self.missed(), rows)

    def test_missing_self_check_counts_and_settings_apply(self):
        self.company.ctrl_sixs_leader_missed_assessment = 4.0
        rows = self.Point._ctrl_sixs_missed_assessments(self.day, self.company)  # nothing generated
        leaders = rows.filtered(lambda p: p.reason_code == "leader_missed_assessment")
        self.assertEqual(leaders.employee_id, self.leader1 | self.leader2)
        self.assertEqual(set(leaders.mapped("points")), {-4.0})
        self.assertEqual(len(rows.filtered(lambda p: p.reason_code == "head_missed_assessment")), 1,
                         "one row for the head per day, however many processes missed")

    def test_all_done_costs_nothing(self):
        audits = self.generate()
        audits.line_ids.write({"result": "ok"})
        audits.action_done()
        self.assertFalse(self.Point._ctrl_sixs_missed_assessments(self.day, self.company))

    def test_non_working_day_and_manual_rows(self):
        sunday = self.day + timedelta(days=4)
        self.assertFalse(self.Point._ctrl_sixs_is_working_day(sunday, self.company))
        self.assertFalse(self.Point._ctrl_sixs_missed_assessments(sunday, self.company))
        manual = self.Point.create({"area_id": self.proc1.id, "employee_id": self.leader1.id, "date": self.day,
                                    "reason_code": "leader_missed_assessment", "company_id": self.company.id})
        rows = self.Point._ctrl_sixs_missed_assessments(self.day, self.company)
        self.assertNotIn(self.proc1, rows.area_id, "already booked by hand that day")
        self.assertEqual(self.missed().filtered(lambda p: p.area_id == self.proc1), manual)

    def test_cron_books_yesterday_once(self):
        # The cron's yesterday is the user's, which is not UTC's late in the evening.
        yesterday = fields.Date.context_today(self.Point) - timedelta(days=1)
        self.plan.date_start = yesterday
        self.Point._cron_missed_assessments()
        first = self.missed()
        self.Point._cron_missed_assessments()
        self.assertEqual(self.missed(), first)
        expected = 3 if self.Point._ctrl_sixs_is_working_day(yesterday, self.company) else 0
        self.assertEqual(len(first), expected)
