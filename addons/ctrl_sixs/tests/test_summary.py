# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from odoo.exceptions import AccessError, UserError

from ..models.ctrl_sixs_summary import due_date
from .common import SixsCase


class TestMonthlySummary(SixsCase):
    """V14 §6, §10 #27: each department submits its month's 6S summary by the 30th; a
    missing one climbs the escalation ladder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Summary = cls.env["ctrl.sixs.summary"]
        cls.month = cls.today.replace(day=1)

    def summaries(self, month=None):
        return self.Summary.search([("company_id", "=", self.company.id), ("month", "=", month or self.month)])

    def test_due_on_the_30th_or_the_last_day(self):
        self.assertEqual(due_date(date(2027, 1, 1)), date(2027, 1, 30))
        self.assertEqual(due_date(date(2027, 2, 1)), date(2027, 2, 28))
        self.assertEqual(due_date(date(2028, 2, 1)), date(2028, 2, 29))
        self.assertEqual(due_date(date(2027, 4, 1)), date(2027, 4, 30))

    def test_monthly_creation_is_idempotent_and_batched(self):
        dept2 = self.env["ctrl.sixs.area"].create({"name": "Office", "level": "department",
                                                   "responsible_id": self.leader2.id})
        created, remaining = self.Summary._ctrl_sixs_create_month(self.month, self.company, batch=1)
        self.assertEqual((len(created), remaining), (1, 1))
        created, remaining = self.Summary._ctrl_sixs_create_month(self.month, self.company, batch=1)
        self.assertEqual((len(created), remaining), (1, 0))
        self.assertEqual(self.summaries().department_area_id, self.dept | dept2)
        self.assertEqual(set(self.summaries().mapped("due_date")), {due_date(self.month)})
        created, remaining = self.Summary._ctrl_sixs_create_month(self.month, self.company)
        self.assertEqual((len(created), remaining), (0, 0), "a rerun adds nothing")
        # The scheduled action makes this month's, once.
        self.Summary._cron_create_summaries()
        self.Summary._cron_create_summaries()
        self.assertEqual(len(self.summaries()), 2)

    def test_figures_filled_in_from_the_month(self):
        self.audit(self.zone1, day=self.month, findings=[(self.item1, None, 2, 1)])
        self.audit(self.zone2, day=self.month, findings=[(self.item1, None, 4, 1)])
        self.audit(self.zone2, day=self.month, tier="self_check", findings=[(self.item1, None, 5, 1)])
        self.env["ctrl.sixs.point"].with_user(self.inspector).create({
            "area_id": self.zone1.id, "employee_id": self.worker_a.id, "reason_code": "fixed_fine",
            "offence_id": self.env.ref("ctrl_sixs.offence_eating").id, "date": self.month,
            "company_id": self.company.id})
        # Last month's audit does not count.
        self.audit(self.zone1, day=self.month - timedelta(days=1), findings=[(self.item1, None, 5, 1)])
        summary, _left = self.Summary._ctrl_sixs_create_month(self.month, self.company)
        summary.with_user(self.head.user_id).action_prefill()
        self.assertEqual((summary.audit_count, summary.average_score, summary.finding_count),
                         (2, 97.0, 2), "(98 + 96) / 2; the self-check is not an inspection")
        self.assertEqual(summary.fine_amount, -50.0)
        self.assertTrue(summary.date_prefilled)

    def test_head_submits_and_others_cannot(self):
        summary, _left = self.Summary._ctrl_sixs_create_month(self.month, self.company)
        head = self.head.user_id
        for user in (self.worker_a.user_id, self.leader1.user_id, self.inspector):
            with self.assertRaises(AccessError):
                summary.with_user(user).note = "Not mine"
            with self.assertRaises(AccessError):
                summary.with_user(user).action_submit()
        with self.assertRaises(AccessError):
            self.Summary.with_user(head).create({"department_area_id": self.dept.id, "month": self.month,
                                                "due_date": self.month})
        for vals in ({"state": "submitted"}, {"audit_count": 9}, {"is_late": False}, {"due_date": self.today}):
            with self.assertRaises(AccessError):
                summary.with_user(self.manager).write(vals)
        with self.assertRaisesRegex(UserError, "Summary"):
            summary.with_user(head).action_submit()
        summary.with_user(head).note = "Aisles cleared; two fire exits to watch."
        summary.with_user(head).action_submit()
        self.assertEqual((summary.state, summary.submitted_by_id, summary.date_submitted),
                         ("submitted", head, self.today))
        self.assertEqual(summary.is_late, self.today > summary.due_date)
        with self.assertRaises(UserError):
            summary.with_user(self.manager).note = "Rewritten"
        with self.assertRaises(UserError):
            summary.with_user(head).action_submit()
        with self.assertRaises(UserError):
            summary.with_user(self.manager).unlink()

    def test_missing_summary_climbs_the_ladder(self):
        month = self.month - relativedelta(months=2)
        summary, _left = self.Summary._ctrl_sixs_create_month(month, self.company)
        ladder = self.env.ref("ctrl_sixs.escalation_ladder_summary_missing")
        ladder._run_all(today=summary.due_date)
        self.assertFalse(summary.activity_ids, "not late on its due date")
        ladder._run_all(today=summary.due_date + timedelta(days=1))
        self.assertEqual(summary.activity_ids.user_id, self.head.user_id)
        ladder._run_all(today=summary.due_date + timedelta(days=3))
        self.assertIn(self.manager, summary.activity_ids.user_id)
        ladder._run_all(today=summary.due_date + timedelta(days=3))
        self.assertEqual(len(summary.ctrl_escalation_step_ids), 2, "each level once")
        summary.with_user(self.head.user_id).note = "Late, sorry."
        summary.with_user(self.head.user_id).action_submit()
        self.assertTrue(summary.is_late)
        self.assertFalse(summary.activity_ids)
