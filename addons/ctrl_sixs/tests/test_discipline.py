# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestDiscipline(SixsCase):
    """V15 (§4.3, §10 #44): ≥2 non-conformities of a department in a week → the responsible
    persons 记小过, the head 警告; 2 failed inspections in a month → 记过 and 记小过."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Discipline = cls.env["ctrl.sixs.discipline"]
        cls.monday = cls.today - timedelta(days=cls.today.weekday() + 7)
        cls.two_findings = [(cls.item1, cls.worker_a, 2, 1), (cls.item2, cls.worker_b, 2, 1)]

    def measures(self):
        return self.Discipline.search([("company_id", "=", self.company.id)])

    def level_of(self, employee, rule):
        return self.measures().filtered(lambda m: m.employee_id == employee and m.rule == rule).level

    def test_week_findings_thresholds(self):
        self.audit(self.zone1, day=self.monday, findings=[(self.item1, self.worker_a, 2, 2)])
        self.Discipline._ctrl_sixs_evaluate(self.monday + timedelta(days=2), self.company)
        self.assertFalse(self.measures(), "one finding is below the threshold of 2")
        self.audit(self.zone2, day=self.monday + timedelta(days=1), findings=[(self.item1, self.worker_c, 2, 2)])
        self.Discipline._ctrl_sixs_evaluate(self.monday + timedelta(days=2), self.company)
        measures = self.measures()
        self.assertEqual(len(measures), 3)
        self.assertEqual(self.level_of(self.worker_a, "week_findings"), "minor_demerit")
        self.assertEqual(self.level_of(self.worker_c, "week_findings"), "minor_demerit")
        head = measures.filtered(lambda m: m.employee_id == self.head)
        self.assertEqual((head.level, head.role, head.count), ("warning", "head", 2))
        self.assertEqual((head.period_start, head.period_end), (self.monday, self.monday + timedelta(days=6)))
        self.assertEqual(len(head.line_ids), 2)
        self.assertEqual(head.department_area_id, self.dept)
        self.assertIn(self.manager, head.activity_ids.user_id, "the 6S managers are told")
        # Idempotent: the same evaluation, and the cron, add nothing.
        self.Discipline._ctrl_sixs_evaluate(self.monday + timedelta(days=2), self.company)
        self.Discipline._ctrl_sixs_evaluate(self.monday + timedelta(days=9), self.company)
        self.assertEqual(self.measures(), measures)
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.Discipline.sudo().create({"employee_id": self.head.id, "role": "head", "level": "warning",
                                    "rule": "week_findings", "period_start": self.monday,
                                    "period_end": self.monday + timedelta(days=6), "company_id": self.company.id})

    def test_self_checks_do_not_count(self):
        self.audit(self.zone1, day=self.monday, tier="self_check", findings=[(self.item1, self.worker_a, 2, 2)])
        self.audit(self.zone1, day=self.monday, tier="self_check", findings=[(self.item2, self.worker_b, 2, 2)])
        self.Discipline._ctrl_sixs_evaluate(self.monday, self.company)
        self.assertFalse(self.measures())

    def test_month_failed_inspections(self):
        self.company.ctrl_sixs_discipline_week_findings = 99
        month = self.today.replace(day=1) - relativedelta(months=1)
        # 15 points lost: score 85, below the pass mark 90.
        self.audit(self.zone1, day=month + timedelta(days=1), findings=[(self.item1, self.worker_a, 5, 15)])
        passed = self.audit(self.zone2, day=month + timedelta(days=2), findings=[(self.item1, self.worker_c, 5, 10)])
        self.assertEqual(passed.total_points, 10.0, "score 90: not below the pass mark")
        self.Discipline._ctrl_sixs_evaluate(month + timedelta(days=9), self.company)
        self.assertFalse(self.measures(), "one failed inspection is below the threshold of 2")
        failed = self.audit(self.zone2, day=month + timedelta(days=3), findings=[(self.item1, self.worker_c, 4, 12)])
        self.Discipline._ctrl_sixs_evaluate(month + timedelta(days=9), self.company)
        self.assertEqual(self.level_of(self.worker_a, "month_failed"), "demerit")
        self.assertEqual(self.level_of(self.worker_c, "month_failed"), "demerit", "Zone 2's responsible")
        head = self.measures().filtered(lambda m: m.employee_id == self.head)
        self.assertEqual((head.level, head.count, head.period_start), ("minor_demerit", 2, month))
        self.assertIn(failed, head.audit_ids)
        self.assertNotIn(passed, head.audit_ids)
        count = len(self.measures())
        self.Discipline._ctrl_sixs_evaluate(month + timedelta(days=9), self.company)
        self.assertEqual(len(self.measures()), count)

    def test_month_pass_mark_is_a_setting(self):
        # Measures are never deleted, so the setting is tried on a fresh month.
        self.company.write({"ctrl_sixs_discipline_week_findings": 99, "ctrl_sixs_pass_mark": 80.0})
        month = self.today.replace(day=1) - relativedelta(months=1)
        self.audit(self.zone1, day=month + timedelta(days=1), findings=[(self.item1, self.worker_a, 5, 15)])
        self.audit(self.zone2, day=month + timedelta(days=3), findings=[(self.item1, self.worker_c, 4, 12)])
        self.Discipline._ctrl_sixs_evaluate(month + timedelta(days=9), self.company)
        self.assertFalse(self.measures(), "with a pass mark of 80 both inspections passed")

    def test_cron_runs_for_yesterday(self):
        yesterday = self.today - timedelta(days=1)
        self.audit(self.zone1, day=yesterday, findings=self.two_findings)
        self.Discipline._cron_discipline()
        first = self.measures()
        self.assertEqual(len(first), 3)
        self.Discipline._cron_discipline()
        self.assertEqual(self.measures(), first)

    def test_access_and_cancellation(self):
        self.audit(self.zone1, day=self.monday, findings=self.two_findings)
        self.Discipline._ctrl_sixs_evaluate(self.monday, self.company)
        mine = self.Discipline.with_user(self.worker_a.user_id).search([])
        self.assertEqual(mine.employee_id, self.worker_a, "users see their own measures only")
        self.assertEqual(len(self.Discipline.with_user(self.manager).search([])), 3)
        with self.assertRaisesRegex(AccessError, "Only 6S managers cancel"):
            mine.with_user(self.worker_a.user_id).action_cancel()
        with self.assertRaises(AccessError):
            mine.with_user(self.worker_a.user_id).write({"note": "Not me"})
        measure = mine.with_user(self.manager)
        with self.assertRaisesRegex(UserError, "Note field"):
            measure.action_cancel()
        measure.note = "Appeal accepted"
        measure.action_cancel()
        self.assertEqual(measure.state, "cancelled")
        self.Discipline._ctrl_sixs_evaluate(self.monday, self.company)
        self.assertEqual(len(self.measures()), 3, "a cancelled measure is not recreated")
        other = self.env["res.company"].create({"name": "Other discipline Co"})
        foreign = self.Discipline.sudo().create({
            "employee_id": self.worker_c.id, "role": "responsible", "level": "warning", "rule": "week_findings",
            "period_start": self.monday, "period_end": self.monday, "company_id": other.id})
        self.assertNotIn(foreign, self.Discipline.with_user(self.manager).search([]))

    def test_bad_settings(self):
        with self.assertRaisesRegex(ValidationError, "must be at least 1"):
            self.company.ctrl_sixs_discipline_week_findings = 0
        with self.assertRaisesRegex(ValidationError, "Inspection pass mark"):
            self.company.ctrl_sixs_pass_mark = 150
