# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestCron(SixsCase):
    def plan(self, **vals):
        return self.env["ctrl.sixs.plan"].create({
            "name": "Routine", "tier": "routine", "area_ids": [Command.set((self.zone1 | self.zone2).ids)],
            "date_start": self.today - timedelta(days=13), "inspector_user_ids": [Command.set(self.inspector.ids)],
            **vals})

    def audits(self, plan):
        return self.env["ctrl.sixs.audit"].search([("plan_id", "=", plan.id)])

    def test_generation_is_idempotent(self):
        plan = self.plan()  # Tue + Thu over two weeks: 4 days x 2 areas
        Audit = self.env["ctrl.sixs.audit"]
        Audit._cron_generate_audits(date_to=self.today)
        first = self.audits(plan)
        self.assertEqual(len(first), 8)
        self.assertTrue(all(a.scheduled_date.weekday() in (1, 3) for a in first))
        self.assertEqual(first.inspector_id, self.inspector)
        self.assertEqual(set(first.mapped(lambda a: len(a.line_ids))), {2})
        self.assertEqual(plan.next_date, self.today + timedelta(days=1))
        # Run again, and again from scratch (next_date reset): nothing new.
        Audit._cron_generate_audits(date_to=self.today)
        plan.next_date = False
        Audit._cron_generate_audits(date_to=self.today)
        self.assertEqual(self.audits(plan), first)
        self.assertEqual(len(set(first.mapped("name"))), 8)

    def test_warehouse_three_times_a_day_and_batches(self):
        plan = self.plan(tier="warehouse", times_per_day=3, date_start=self.today,
                         day_mon=True, day_tue=True, day_wed=True, day_thu=True, day_fri=True, day_sat=True,
                         day_sun=True, area_ids=[Command.set(self.zone1.ids)])
        other = self.plan(name="Second", date_start=self.today - timedelta(days=6))
        done, remaining = self.env["ctrl.sixs.audit"]._cron_generate_audits(date_to=self.today, batch=1)
        self.assertGreaterEqual(remaining, 1, "plans left for the next call")
        calls = 1
        while remaining:
            done, remaining = self.env["ctrl.sixs.audit"]._cron_generate_audits(date_to=self.today, batch=1)
            calls += 1
        self.assertGreaterEqual(calls, 2)
        self.assertEqual(sorted(self.audits(plan).mapped("slot")), [1, 2, 3])
        self.assertEqual(len(self.audits(other)), 4)

    def test_unscheduled_at_least_twice_a_week(self):
        monday = self.today - timedelta(days=self.today.weekday())
        plan = self.plan(tier="unscheduled", per_week=2, date_start=monday - timedelta(days=28),
                         area_ids=[Command.set(self.zone1.ids)])
        self.env["ctrl.sixs.audit"]._cron_generate_audits(date_to=monday - timedelta(days=1))
        weeks = {}
        for audit in self.audits(plan):
            weeks.setdefault(audit.scheduled_date.isocalendar()[1], []).append(audit)
        self.assertEqual(len(weeks), 4)
        self.assertTrue(all(len(found) >= 2 for found in weeks.values()))

    def test_overdue_audit_escalates(self):
        plan = self.plan(date_start=self.today - timedelta(days=6))
        self.env["ctrl.sixs.audit"]._cron_generate_audits(date_to=self.today)
        audits = self.audits(plan)
        overdue = audits.filtered(lambda a: a.scheduled_date < self.today - timedelta(days=0))
        self.env.ref("ctrl_sixs.escalation_ladder_audit_overdue")._run_all()
        late = overdue.filtered(lambda a: a.scheduled_date <= self.today - timedelta(days=1))
        self.assertTrue(late)
        for audit in late:
            self.assertTrue(audit.activity_ids, f"{audit.name} overdue since {audit.scheduled_date}")
            self.assertTrue(audit.ctrl_escalation_step_ids)
