# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from ..tools.progress import COUNTED_BATCHES
from .common import CtrlBaseCase

TODAY = date(2026, 3, 31)


@tagged("post_install", "-at_install")
class TestEscalation(CtrlBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.activity_type = cls.env.ref("ctrl_base.mail_activity_type_escalation")
        cls.ladder = cls.env["ctrl.escalation.ladder"].create({
            "name": "Test ladder",
            "code": "test",
            "model_id": cls.model.id,
            "date_field": "date_ref",
            "level_ids": [
                (0, 0, {"name": "Phone", "days": 1, "activity_type_id": cls.activity_type.id,
                        "responsible_type": "field", "responsible_field": "user_id",
                        "activity_deadline_days": 3}),
                (0, 0, {"name": "Visit", "days": 11, "callback": "_ctrl_escalation_count"}),
                (0, 0, {"name": "Legal", "days": 61, "activity_type_id": cls.activity_type.id,
                        "responsible_type": "group",
                        "responsible_group_id": cls.env.ref("ctrl_base.group_approver_gm").id}),
            ],
        })
        cls.phone, cls.visit, cls.legal = cls.ladder.level_ids.sorted("days")

    def _record(self, days_ago, **vals):
        return self.Record.create({"name": f"{days_ago} days", "date_ref": TODAY - timedelta(days=days_ago),
                                   "user_id": self.clerk.id, **vals})

    def _levels(self, records):
        return records._ctrl_escalation_level("test")

    def test_levels_fire_once(self):
        not_yet, first, second = self._record(0), self._record(5), self._record(20)
        done = self.ladder._run_all(today=TODAY)
        self.assertEqual(done, 2)
        levels = self._levels(not_yet | first | second)
        self.assertNotIn(not_yet.id, levels)
        self.assertEqual(levels[first.id], self.phone)
        self.assertEqual(levels[second.id], self.visit)
        self.assertEqual(first.activity_ids.user_id, self.clerk)
        self.assertEqual(second.callback_count, 1)
        # A rerun does nothing twice.
        self.assertEqual(self.ladder._run_all(today=TODAY), 0)
        self.assertEqual(second.callback_count, 1)
        self.assertEqual(len(first.activity_ids), 1)

    def test_window_catches_up_and_only_highest_runs(self):
        late = self._record(70)
        self.ladder._run_all(today=TODAY)
        steps = late.ctrl_escalation_step_ids
        self.assertEqual(steps.level_id, self.legal, "a record past several levels gets only the highest")
        self.assertEqual(late.callback_count, 0)
        self.assertIn(self.gm, late.activity_ids.user_id)

    def test_progress_over_days(self):
        record = self._record(0)
        for offset, level in ((1, self.phone), (11, self.visit), (61, self.legal)):
            self.ladder._run_all(today=TODAY + timedelta(days=offset))
            self.assertEqual(self._levels(record)[record.id], level)
        self.assertEqual(len(record.ctrl_escalation_step_ids), 3)

    def test_skipped_run_catches_up(self):
        record = self._record(0)
        # No run for 15 days: the next run still fires, the window is >= not ==.
        self.ladder._run_all(today=TODAY + timedelta(days=15))
        self.assertEqual(self._levels(record)[record.id], self.visit)

    def test_pause_through_model_domain(self):
        paused = self._record(30, paused=True)
        self.ladder._run_all(today=TODAY)
        self.assertFalse(paused.ctrl_escalation_step_ids)
        paused.paused = False
        self.ladder._run_all(today=TODAY)
        self.assertTrue(paused.ctrl_escalation_step_ids)

    def test_advance_on_missed_deadline(self):
        self.ladder.advance_on_missed_deadline = True
        record = self._record(2)
        self.ladder._run_all(today=TODAY)
        self.assertEqual(self._levels(record)[record.id], self.phone)
        # Phone activity deadline is TODAY+3; day 5 is still before the Visit level (11).
        self.ladder._run_all(today=TODAY + timedelta(days=5))
        self.assertEqual(self._levels(record)[record.id], self.visit)

    def test_done_activity_does_not_advance(self):
        self.ladder.advance_on_missed_deadline = True
        record = self._record(2)
        self.ladder._run_all(today=TODAY)
        record.activity_ids.action_feedback("called")
        self.ladder._run_all(today=TODAY + timedelta(days=5))
        self.assertEqual(self._levels(record)[record.id], self.phone)

    def test_one_activity_per_group(self):
        self.ladder.advance_on_missed_deadline = True
        self.phone.activity_group_field = "user_id"
        first, second = self._record(2), self._record(3)
        self.ladder._run_all(today=TODAY)
        activity = (first | second).activity_ids
        self.assertEqual(len(activity), 1, "records of the same user share the level's activity")
        self.assertEqual((first | second).ctrl_escalation_step_ids.activity_id, activity)
        # A later record of the same user joins the open activity.
        third = self._record(1)
        self.ladder._run_all(today=TODAY)
        self.assertFalse(third.activity_ids)
        self.assertEqual(third.ctrl_escalation_step_ids.activity_id, activity)
        # Its missed deadline moves the whole group on.
        self.ladder._run_all(today=TODAY + timedelta(days=5))
        levels = self._levels(first | second | third)
        self.assertEqual({levels[r.id] for r in first | second | third}, {self.visit})
        # Once done, the next record of the user gets a new activity.
        activity.action_feedback("called")
        fourth = self._record(2)
        self.ladder._run_all(today=TODAY + timedelta(days=5))
        self.assertEqual(len(fourth.activity_ids), 1)

    def test_activity_group_field_must_be_a_many2one(self):
        with self.assertRaisesRegex(ValidationError, "One activity per"):
            self.phone.activity_group_field = "name"

    def test_batches_report_remaining(self):
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 2)
        records = self.Record.browse([self._record(5).id for _ in range(5)])
        done, remaining = self.ladder._run_batch(today=TODAY)
        self.assertEqual((done, remaining), (2, 3))
        self.assertEqual(self.ladder._run_all(today=TODAY), 3)
        self.assertEqual(len(records.ctrl_escalation_step_ids), 5)

    def test_remaining_is_counted_up_to_a_few_batches(self):
        """A call counts what is left only up to a few batches (not a million rows per call), and the calls
        still go on until every record is served."""
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 1)
        records = self.Record.browse([self._record(5).id for _ in range(COUNTED_BATCHES + 3)])
        self.assertEqual(self.ladder._run_batch(today=TODAY), (1, COUNTED_BATCHES))
        self.assertEqual(self.ladder._run_all(today=TODAY), COUNTED_BATCHES + 2)
        self.assertEqual(len(records.ctrl_escalation_step_ids), COUNTED_BATCHES + 3)
        self.assertEqual(self.ladder._run_batch(today=TODAY), (0, 0))

    def test_batches_take_the_queue_scanned_once(self):
        """A run lists the candidates once, then takes each batch from the head of that list: a record no
        longer due is skipped, one that fell due meanwhile waits until the list runs out, and a new day
        lists again."""
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 2)
        Queue = self.env["ctrl.escalation.queue"]
        first, second, third, fourth = (self._record(days) for days in (2, 3, 4, 5))
        self.assertEqual(self.ladder._run_batch(today=TODAY), (2, 2))
        self.assertEqual(Queue.search([("ladder_id", "=", self.ladder.id)]).mapped("res_id"), [third.id, fourth.id])
        third.paused = True  # out of the ladder's domain: no longer due
        late = self._record(6)
        self.assertEqual(self.ladder._run_batch(today=TODAY), (2, 1),
                         "the paused record is looked at and skipped; the list ran out, so one more call looks")
        self.assertFalse(third.ctrl_escalation_step_ids)
        self.assertTrue(fourth.ctrl_escalation_step_ids)
        self.assertFalse(late.ctrl_escalation_step_ids, "listed once the list runs out")
        self.assertEqual(self.ladder._run_batch(today=TODAY), (1, 0))
        self.assertTrue(late.ctrl_escalation_step_ids)
        self.assertEqual((first | second).ctrl_escalation_step_ids.level_id, self.phone)
        # A list left over from another day is dropped: the next day lists again from the records.
        third.paused = False
        newer = self._record(7)
        Queue.create({"ladder_id": self.ladder.id, "level_id": self.legal.id, "res_id": newer.id,
                      "day": TODAY - timedelta(days=1)})
        self.assertEqual(self.ladder._run_all(today=TODAY + timedelta(days=1)), 2)
        self.assertEqual(self._levels(third | newer), {third.id: self.phone, newer.id: self.phone})
        self.assertFalse(Queue.search([("ladder_id", "=", self.ladder.id)]))

    def test_queue_is_not_for_clients(self):
        """Internal-control managers read the queue; no user lists, takes or edits: only the engine does."""
        queue = self.env["ctrl.escalation.queue"]
        self.assertFalse(queue.with_user(self.clerk).has_access("read"))
        self.assertTrue(queue.with_user(self.admin_ctrl).has_access("read"))
        for operation in ("create", "write", "unlink"):
            self.assertFalse(queue.with_user(self.admin_ctrl).has_access(operation), operation)

    def test_small_batch_serves_newest_overdue_first(self):
        """A backlog does not keep what just fell due waiting: lowest level first, newest date first."""
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 2)
        backlog = [self._record(days) for days in (90, 80, 70, 30, 20, 8)]
        newest, recent = self._record(2), self._record(5)
        served = []
        while True:
            steps = self.env["ctrl.escalation.step"].search([("ladder_id", "=", self.ladder.id)])
            done, remaining = self.ladder._run_batch(today=TODAY)
            if not done:
                break
            new = self.env["ctrl.escalation.step"].search([("ladder_id", "=", self.ladder.id)]) - steps
            served.append(sorted((TODAY - self.Record.browse(step.res_id).date_ref).days for step in new))
        self.assertEqual(served, [[2, 5], [8, 20], [30, 70], [80, 90]])
        self.assertEqual(remaining, 0)
        records = self.Record.browse([r.id for r in backlog]) | newest | recent
        self.assertEqual(len(records.ctrl_escalation_step_ids), 8, "one level per record, the highest reached")
        levels = self._levels(records)
        self.assertEqual([levels[r.id] for r in backlog], [self.legal] * 3 + [self.visit] * 2 + [self.phone])

    def test_missed_deadline_past_higher_levels_runs_only_the_highest(self):
        self.ladder.advance_on_missed_deadline = True
        record = self._record(2)
        self.ladder._run_all(today=TODAY)
        # 72 days on, the Phone activity is long missed, and Legal's days are reached as well.
        self.ladder._run_all(today=TODAY + timedelta(days=70))
        self.assertEqual(record.ctrl_escalation_step_ids.level_id, self.phone | self.legal)
        self.assertEqual(record.callback_count, 0, "Visit was passed over")

    def test_concurrent_claim_is_exclusive(self):
        record = self._record(5)
        first = self.ladder._claim(self.phone, [record.id])
        second = self.ladder._claim(self.phone, [record.id])
        self.assertEqual(first, [record.id])
        self.assertEqual(second, [], "the unique (level, record) key lets only one worker win")

    def test_failing_action_marks_steps_failed(self):
        record = self._record(20)
        self.visit.callback = "_ctrl_escalation_count"
        # A mail template that cannot render breaks the level's actions.
        self.visit.mail_template_id = self.env["mail.template"].create({
            "name": "Broken", "model_id": self.model.id, "body_html": "<p t-out='object.no_such_field'/>",
            "email_to": "x@example.com",
        })
        with self.assertLogs("odoo.addons.ctrl_base.models.ctrl_escalation_ladder", level="ERROR"):
            self.ladder._run_all(today=TODAY)
        step = record.ctrl_escalation_step_ids
        self.assertEqual(step.state, "failed")
        self.assertTrue(step.message)
        self.assertEqual(record.callback_count, 0, "the failed level's actions were rolled back")
        self.assertEqual(self.ladder._run_all(today=TODAY), 0, "a failed step is not retried forever")

    def test_transient_error_is_retried_then_reported(self):
        record = self._record(20)
        self.visit.callback = "_ctrl_escalation_locked"
        # Another transaction holds what the level needs: a real lock timeout, three times.
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(726599)")
            self.ladder._run_all(today=TODAY)
            step = record.ctrl_escalation_step_ids
            self.assertEqual((step.state, step.retry_count, record.callback_count), ("retry", 1, 0))
            self.assertEqual(self.ladder._run_all(today=TODAY), 0, "not before the backoff")
            step.sudo().retry_after = "2000-01-01"
            self.ladder._run_all(today=TODAY)
            self.assertEqual((step.state, step.retry_count), ("retry", 2))
            self.assertGreater(step.retry_after, fields.Datetime.now(), "the backoff grows")
            other.rollback()
        # The lock is gone: the next run completes the level, once.
        step.sudo().retry_after = "2000-01-01"
        self.ladder._run_all(today=TODAY)
        self.assertEqual((step.state, record.callback_count), ("done", 1))
        self.ladder._run_all(today=TODAY)
        self.assertEqual(record.callback_count, 1)

    def test_last_try_fails_and_tells_the_administrators(self):
        record = self._record(20)
        self.visit.callback = "_ctrl_escalation_locked"
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_max_tries", 1)
        with self.registry.cursor() as other:
            other.execute("SELECT pg_advisory_xact_lock(726599)")
            self.ladder._run_all(today=TODAY)
            other.rollback()
        self.assertEqual(record.ctrl_escalation_step_ids.state, "failed")
        self.assertIn(self.admin_ctrl, self.ladder.activity_ids.user_id)

    def test_cron_entry_point(self):
        record = self._record(5)
        self.env["ctrl.escalation.ladder"]._cron_run(codes=["test"])
        self.assertTrue(record.ctrl_escalation_step_ids)

    def test_reset(self):
        record = self._record(5)
        self.ladder._run_all(today=TODAY)
        record._ctrl_escalation_reset("test")
        self.assertFalse(record.ctrl_escalation_step_ids)

    def test_company_scoped_ladder(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        self.ladder.company_id = self.company
        record = self._record(5, company_id=other.id)
        self.ladder._run_all(today=TODAY)
        self.assertFalse(record.ctrl_escalation_step_ids)

    def test_bad_configuration(self):
        with self.assertRaisesRegex(ValidationError, "strictly increase"):
            self.ladder.level_ids = [(0, 0, {"name": "Dup", "days": 11})]
        with self.assertRaisesRegex(ValidationError, "stored date field"):
            self.ladder.date_field = "name"
        with self.assertRaisesRegex(ValidationError, "callback"):
            self.visit.callback = "unlink"
        with self.assertRaisesRegex(ValidationError, "must lead"):
            self.phone.responsible_field = "name"

    def test_approval_reminder_ladder(self):
        rule = self._rule("Reminded", [self.env.ref("ctrl_base.group_approver_sales_manager")])
        request = self.Record.with_user(self.clerk).create({"name": "r"})._ctrl_request_approval()
        self.assertEqual(request.rule_id, rule)
        ladder = self.env.ref("ctrl_base.escalation_ladder_approval_wait")
        step = request.current_step_id.sudo()
        step.date_start = "2026-03-01 08:00:00"
        ladder._run_all(today=date(2026, 3, 4))
        self.assertIn("Reminder", request.message_ids[0].body)
        ladder._run_all(today=date(2026, 3, 10))
        self.assertIn(self.admin_ctrl, request.sudo().activity_ids.user_id)
