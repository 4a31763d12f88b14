# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestScoring(SixsCase):
    def ranking(self, scope, record, start=None, end=None):
        return self.env["ctrl.sixs.ranking"].search([
            ("company_id", "=", self.company.id), ("scope", "=", scope),
            ("area_id" if scope in ("area", "process", "department") else "employee_id", "=", record.id)])

    def compute(self, start=None, end=None):
        start = start or self.today.replace(day=1)
        end = end or start + timedelta(days=40)
        return self.env["ctrl.sixs.ranking"]._compute_rankings(start, end, "month", self.company)

    def test_deduction_per_finding(self):
        """V05: a finding without a responsible employee costs the check sheet's deduction x count."""
        audit = self.audit(self.zone1, findings=[(self.item1, False, 3, 2)])
        line = audit.line_ids.filtered(lambda li: li.result == "nok")
        self.assertEqual(line.points, 6.0, "deduction 3 x count 2")
        self.assertEqual(audit.total_points, 6.0)

    def test_repeat_offences_ladder_and_escalation(self):
        """V14 2.2 (同一周内违反相同项目: 1次扣1分, 第2次扣2分, 第3次扣5分, 超过3次由车间主任从严处理),
        on the company's default settings: 1, 2, 5 points, then the workshop head."""
        self.assertEqual((self.company.ctrl_sixs_repeat_days, self.company.ctrl_sixs_repeat_ladder), (7, "1,2,5"))
        day = self.today - timedelta(days=20)
        audits = [self.audit(self.zone1, day + timedelta(days=n), [(self.item1, self.worker_a, 2, 1)])
                  for n in range(4)]
        points = [a.line_ids.filtered(lambda li: li.result == "nok").points for a in audits]
        self.assertEqual(points, [1.0, 2.0, 5.0, 5.0], "the check sheet's deduction (2) does not count")
        self.assertEqual(self.ledger(self.worker_a).mapped("points"), [-5.0, -5.0, -2.0, -1.0])
        activities = audits[3].activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("ctrl_base.mail_activity_type_escalation"))
        self.assertEqual(activities.user_id, self.head.user_id, "the workshop head deals with the 4th offence")
        for audit in audits[:3]:
            self.assertFalse(audit.activity_ids.filtered(lambda a: a.user_id == self.head.user_id
                                                         and "Repeat" in (a.summary or "")))
        # Another employee, or the same one 8 days later, starts again at 1.
        other = self.audit(self.zone1, day + timedelta(days=4), [(self.item1, self.worker_b, 2, 1)])
        self.assertEqual(other.line_ids.filtered(lambda li: li.result == "nok").points, 1.0)
        later = self.audit(self.zone1, day + timedelta(days=11), [(self.item1, self.worker_a, 2, 1)])
        self.assertEqual(later.line_ids.filtered(lambda li: li.result == "nok").points, 1.0)

    def test_repeat_ladder_is_a_setting(self):
        self.company.ctrl_sixs_repeat_ladder = "2,4"
        day = self.today - timedelta(days=10)
        audits = [self.audit(self.zone1, day + timedelta(days=n), [(self.item1, self.worker_a, 2, 1)])
                  for n in range(3)]
        self.assertEqual([a.line_ids.filtered(lambda li: li.result == "nok").points for a in audits],
                         [2.0, 4.0, 4.0])
        self.assertTrue(audits[2].activity_ids.filtered(lambda a: "Repeat" in (a.summary or "")),
                        "beyond the last rung: the workshop head")
        with self.assertRaisesRegex(ValidationError, "comma-separated"):
            self.company.ctrl_sixs_repeat_ladder = "one, two"

    def test_tolerance_and_money(self):
        """V05: the first 10 points a month are free, then 2 yuan a point; V14: 5 a point."""
        start = self.today.replace(day=1)
        self.audit(self.zone1, start, [(self.item1, self.worker_a, 5, 10), (self.item2, self.worker_a, 4, 4)])
        self.compute(start)
        row = self.ranking("employee", self.worker_a)
        self.assertEqual(row.points_lost, 14.0)
        self.assertEqual(row.money, -8.0, "(14 - 10) x 2 yuan")
        self.company.ctrl_sixs_money_mode = "per_point"
        self.compute(start)
        self.assertEqual(self.ranking("employee", self.worker_a).money, -70.0, "14 x 5 yuan")
        self.company.write({"ctrl_sixs_money_mode": "beyond_tolerance", "ctrl_sixs_tolerance": 20})
        self.compute(start)
        self.assertEqual(self.ranking("employee", self.worker_a).money, 0.0, "within the tolerance")

    def test_rollup_process_leader_department(self):
        """Process = average of its employees; leader bears 50% of the process's deduction;
        department head = sum of the process leaders."""
        start = self.today.replace(day=1)
        self.audit(self.zone1, start, [(self.item1, self.worker_a, 4, 4), (self.item2, self.worker_b, 2, 2)])
        self.audit(self.zone2, start, [(self.item1, self.worker_c, 3, 3)])
        self.compute(start)
        p1, p2 = self.ranking("process", self.proc1), self.ranking("process", self.proc2)
        self.assertEqual(p1.member_count, 3)
        self.assertEqual(p1.score, -2.0, "-6 over 3 team members")
        self.assertEqual(p1.leader_score, -3.0, "50% of the 6 points lost")
        self.assertEqual(p2.score, -1.5, "-3 over 2 team members")
        self.assertEqual(p2.leader_score, -1.5)
        dept = self.ranking("department", self.dept)
        self.assertEqual(dept.score, -4.5, "sum of the leaders' scores")
        self.assertEqual(dept.leader_id, self.head)
        self.assertEqual((p2.rank, p1.rank), (1, 2))
        self.assertEqual(self.ranking("area", self.zone1).score, -6.0)
        self.company.ctrl_sixs_leader_share = 100
        self.compute(start)
        self.assertEqual(self.ranking("process", self.proc1).leader_score, -6.0)

    def test_ties_share_a_rank(self):
        start = self.today.replace(day=1)
        self.audit(self.zone1, start, [(self.item1, self.worker_a, 2, 2)])
        self.audit(self.zone2, start, [(self.item1, self.worker_c, 2, 2)])
        self.compute(start)
        self.assertEqual(self.ranking("area", self.zone1).rank, 1)
        self.assertEqual(self.ranking("area", self.zone2).rank, 1)
        self.assertEqual(self.ranking("employee", self.worker_a).rank, self.ranking("employee", self.worker_c).rank)
        # Rebuilding a period replaces its rows.
        count = self.env["ctrl.sixs.ranking"].search_count([("company_id", "=", self.company.id)])
        self.compute(start)
        self.assertEqual(self.env["ctrl.sixs.ranking"].search_count([("company_id", "=", self.company.id)]), count)

    def test_duty_officer_rules(self):
        """V14: own findings double; 50% per point above 2 a day; +1 for a clean day."""
        day = self.today - timedelta(days=3)
        Rota = self.env["ctrl.sixs.rota"]
        rota = Rota.create({"area_id": self.proc1.id, "date": day, "employee_id": self.worker_b.id})
        audit = self.audit(self.zone1, day, [(self.item1, self.worker_b, 2, 2), (self.item2, self.worker_a, 3, 3)])
        own = audit.line_ids.filtered(lambda li: li.employee_id == self.worker_b)
        self.assertTrue(own.duty_officer)
        self.assertEqual(own.points, 4.0)
        points = rota._ctrl_sixs_duty_points()
        self.assertEqual(points.reason_code, "duty_threshold")
        self.assertEqual(points.points, -2.5, "(4 + 3 - 2) x 50%")
        self.assertFalse(rota._ctrl_sixs_duty_points(), "once per rota day")
        clean_day = day + timedelta(days=1)
        clean = Rota.create({"area_id": self.proc1.id, "date": clean_day, "employee_id": self.worker_a.id})
        self.audit(self.zone1, clean_day)
        self.assertEqual(clean._ctrl_sixs_duty_points().points, 1.0)

    def test_bonus_needs_workshop_head_approval(self):
        Point = self.env["ctrl.sixs.point"].with_user(self.inspector)
        bonus = Point.create({"employee_id": self.worker_a.id, "area_id": self.zone1.id, "reason_code": "bonus",
                              "points": 2, "name": "Shadow board for wrenches"})
        self.assertEqual(bonus.state, "pending")
        request = bonus._ctrl_approval_requests("sixs_bonus")
        request.with_user(self.head.user_id).action_approve()
        self.assertEqual(bonus.state, "posted")
        with self.assertRaisesRegex(ValidationError, r"\+1 to \+2"):
            Point.create({"employee_id": self.worker_a.id, "area_id": self.zone1.id, "reason_code": "bonus",
                          "points": 3, "name": "Too generous"})

    def test_default_points_and_fines_from_settings(self):
        Point = self.env["ctrl.sixs.point"]
        base = {"employee_id": self.leader1.id, "area_id": self.proc1.id}
        self.assertEqual(Point.create(dict(base, reason_code="leader_missed_assessment")).points, -3.0)
        self.assertEqual(Point.create(dict(base, reason_code="leader_missed_briefing")).points, -2.0)
        self.assertEqual(Point.create(dict(base, reason_code="head_no_training")).points, -5.0)
        self.assertEqual(Point.create(dict(base, reason_code="head_missing_plan")).points, -4.0)
        self.assertEqual(Point.create(dict(base, reason_code="leniency")).amount, -50.0)
        fines = [Point.create(dict(base, reason_code="office_fine", fine_step=step)).amount
                 for step in ("auto", "auto", "reminder", "attitude")]
        self.assertEqual(fines, [0.0, -5.0, -10.0, -40.0], "V01: warning, 5, 10, 40")

    def test_weekly_and_monthly_weights(self):
        """V14: the period result weights the weekly results against the monthly one."""
        Ranking = self.env["ctrl.sixs.ranking"]
        start = self.today.replace(day=1)
        monday = start + timedelta(days=(7 - start.weekday()) % 7)
        self.audit(self.zone1, monday, [(self.item1, self.worker_a, 4, 4)])
        self.audit(self.zone1, monday + timedelta(days=7), [(self.item1, self.worker_b, 2, 2)])
        for week in (monday, monday + timedelta(days=7)):
            Ranking._compute_rankings(week, week + timedelta(days=6), "week", self.company)
        self.company.write({"ctrl_sixs_weight_weekly": 25, "ctrl_sixs_weight_monthly": 75})
        self.compute(start)
        row = self.ranking("area", self.zone1).filtered(lambda r: r.period_type == "month")
        self.assertEqual(row.score, -6.0)
        self.assertEqual(row.combined_score, -5.25, "25% x average weekly -3 + 75% x monthly -6")
