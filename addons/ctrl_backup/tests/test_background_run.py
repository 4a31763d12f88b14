# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 19 item 6: Run backup and Restore test queue a run and return at once; the runs' scheduled action starts
the dump or the restore in a process of its own and, on later calls, records its result on the plan and its log."""
import hashlib
import json
import os
import time
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params
from odoo.addons.ctrl_backup.tools import backup_job

from .common import CtrlBackupRealCase

# Each call of the scheduled action stays far below Odoo's time limits of a worker (60 s by default), and below
# the 2-3 s the limits test of tests/workers sets.
CALL_MAX_SECONDS = 1.5
DUMP_HELD_SECONDS = 4


@tagged("post_install", "-at_install")
class TestBackgroundRun(CtrlBackupRealCase):
    def _cron(self):
        return self.env.ref("ctrl_backup.ir_cron_backup_runs")

    def _hold_source_table(self):
        """Keep pg_dump waiting: a transaction on the source database holds a table locked until released."""
        conn = psycopg2.connect(dbname=self.source_db, **pg_params())
        self.addCleanup(conn.close)
        with conn.cursor() as cr:
            cr.execute("LOCK TABLE account_move IN ACCESS EXCLUSIVE MODE")
        return conn

    def test_run_backup_is_queued_and_returns_at_once(self):
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", self._cron().id)])
        action = self.plan.with_user(self.operator).action_run_backup()
        self.assertEqual((action["type"], action["tag"]), ("ir.actions.client", "display_notification"))
        self.assertIn("runs in the background", action["params"]["message"])
        self.assertIn("Odoo DB", action["params"]["message"])
        self.assertEqual((self.plan.run_state, self.plan.run_kind, self.plan.run_user_id),
                         ("queued", "backup", self.operator))
        self.assertFalse(self.plan.log_ids, "nothing runs in the request")
        self.assertEqual(self.env["ir.cron.trigger"].search_count([("cron_id", "=", self._cron().id)]), triggers + 1)
        # Pressed again while it waits: told so, not queued twice.
        again = self.plan.with_user(self.operator).action_run_backup()
        self.assertEqual(again["params"]["type"], "warning")
        self.assertIn("already waiting or in progress", again["params"]["message"])
        log = self._run_queued(self.plan)
        self.assertEqual(self.plan.log_ids, log)
        self.assertEqual((log.result, log.operator_id, log.by_runner), ("done", self.operator, True), log.note)
        self.assertEqual((self.plan.run_state, self.plan.run_step), ("done", "Finished."))
        self.assertTrue(self.plan.run_started_on)
        self.assertFalse(self.plan.sudo().run_job)

    def test_dump_longer_than_a_call_runs_on_between_calls(self):
        # pg_dump waits for the held table for several seconds; every call of the scheduled action meanwhile
        # returns in a fraction of that, and the run finishes and is verified once the dump is written.
        holder = self._hold_source_table()
        self.plan.with_user(self.operator).action_run_backup()
        began = time.monotonic()
        calls = []
        while time.monotonic() - began < DUMP_HELD_SECONDS:
            start = time.monotonic()
            self.env["ctrl.backup.plan"]._cron_run_queued()
            calls.append(time.monotonic() - start)
            self.assertEqual(self.plan.run_state, "running")
            time.sleep(0.2)
        self.assertEqual(self.plan.run_step, "Writing the backup.")
        log = self.plan.run_log_id
        self.assertEqual((log.result, log.note), ("failed", "Started; not finished."))
        # A second job of the same plan does not start while this one runs, whoever starts it.
        job = self.plan.sudo().run_job
        second = self.env["ctrl.backup.runner"]._start_job(self.plan, {**job, "dump": job["dump"] + "2"})
        self.addCleanup(self.env["ctrl.backup.runner"]._forget_job, second)
        while backup_job.read_status(second["status"]) is None:
            time.sleep(0.05)
        self.assertEqual(backup_job.read_status(second["status"]), {"state": "failed", "error": "busy"})
        holder.rollback()
        log = self._run_queued(self.plan)
        self.assertEqual(log.result, "done", log.note)
        self.assertGreater(time.monotonic() - began, DUMP_HELD_SECONDS)
        self.assertLess(max(calls), CALL_MAX_SECONDS, calls)
        with open(log.path, "rb") as handle:
            self.assertEqual(log.sha256, hashlib.sha256(handle.read()).hexdigest())
        self.assertEqual(log.size, os.path.getsize(log.path) + os.path.getsize(log.filestore_path))
        self.assertFalse(os.path.exists(job["dump"] + "2.part"))
        self.assertFalse(os.path.exists(job["status"]), "the job's status file is removed once recorded")

    def test_restore_test_is_queued_too(self):
        backup = self._run_backup(self.plan)
        action = self.plan.with_user(self.checker).action_restore_test()
        self.assertEqual(action["tag"], "display_notification")
        self.assertIn("restore test", action["params"]["message"])
        self.assertEqual((self.plan.run_state, self.plan.run_kind), ("queued", "restore_test"))
        test = self._run_queued(self.plan)
        self.assertEqual((test.kind, test.result, test.restored_log_id), ("restore_test", "done", backup), test.note)
        self.assertEqual(test.operator_id, self.checker)
        self.assertIn("res_partner=500/500", test.note)

    def test_failed_run_gives_the_executor_and_it_heads_an_activity(self):
        self.plan.with_user(self.operator).action_run_backup()
        # The folder is gone by the time the run starts: the run fails with the reason, nothing is written.
        os.rename(self.folder, self.folder + ".moved")
        try:
            self._run_queued(self.plan)
        finally:
            os.rename(self.folder + ".moved", self.folder)
        self.assertEqual(self.plan.run_state, "failed")
        self.assertIn("does not exist", self.plan.run_step)
        self.assertTrue(self.plan.overdue_since)
        activities = self.plan.activity_ids.filtered(lambda a: a.summary == "Backup failed: Odoo DB")
        heads = self.env.ref("ctrl_base.group_approver_it_head").users.filtered("active")
        self.assertIn(self.it_head, heads)
        self.assertEqual(activities.user_id, self.operator | heads)
        self.assertIn("does not exist", activities[0].note)
        # The buttons are back: a new run may be queued.
        self.assertEqual(self.plan.with_user(self.operator).action_run_backup()["params"]["type"], "info")

    def test_job_gone_without_result_fails_the_run(self):
        # The job never reported (its process died before its first word): once the grace period is over, the
        # run is failed rather than waiting for ever.
        log = self.env["ctrl.backup.log"].create({
            "plan_id": self.plan.id, "by_runner": True, "result": "failed", "note": "Started; not finished.",
            "source": self.source_db})
        job = {"kind": "backup", "token": "lost", "status": os.path.join(self.folder, "lost.json"),
               "started": time.time() - 3600, "dump": os.path.join(self.folder, "lost.dump"),
               "tar": os.path.join(self.folder, "lost.tar")}
        self.plan._ctrl_write_protected({"run_state": "running", "run_kind": "backup", "run_log_id": log.id,
                                         "run_job": job})
        self.env["ctrl.backup.plan"]._cron_run_queued()
        self.assertEqual(self.plan.run_state, "failed")
        self.assertIn("stopped before it finished", self.plan.run_step)
        self.assertEqual(log.result, "failed")
        self.assertIn("stopped before it finished", log.note)
        self.assertTrue(log.end)

    def test_one_plans_trouble_leaves_the_others_running(self):
        # A run whose job record cannot be read fails with the reason; the other plan's run, in the same call of
        # the scheduled action, goes on and finishes.
        other = self._approved_plan(name="Other DB", plan_type="odoo_db", folder=self.folder,
                                    source_database=self.source_db, naming_rule="other-%(date)s")
        broken = self.env["ctrl.backup.log"].create({
            "plan_id": self.plan.id, "by_runner": True, "result": "failed", "note": "Started; not finished.",
            "source": self.source_db})
        self.plan._ctrl_write_protected({"run_state": "running", "run_kind": "backup", "run_log_id": broken.id,
                                         "run_job": {"token": "x"}})
        other.with_user(self.operator).action_run_backup()
        with self.assertLogs("odoo.addons.ctrl_backup.models.ctrl_backup_plan", "ERROR"):
            self.env["ctrl.backup.plan"]._cron_run_queued()
        self.assertEqual(self.plan.run_state, "failed")
        self.assertIn("The run failed", self.plan.run_step)
        self.assertEqual(self._run_queued(other).result, "done")

    def _hanging_run(self):
        """A backup whose pg_dump waits on a held table: its job runs and writes its temporary files."""
        self._hold_source_table()
        self.plan.with_user(self.operator).action_run_backup()
        Plan = self.env["ctrl.backup.plan"]
        deadline = time.monotonic() + 30
        job = {}
        while not (job and backup_job.read_status(job["status"])):
            self.assertLess(time.monotonic(), deadline)
            Plan._cron_run_queued()
            job = self.plan.sudo().run_job or {}
            time.sleep(0.1)
        pid = backup_job.read_status(job["status"])["pid"]
        self.assertTrue(os.path.exists(job["dump"] + ".part"))
        return job, pid

    def _assert_stopped(self, job, pid, reason):
        log = self.plan.run_log_id
        self.assertEqual((self.plan.run_state, log.result), ("failed", "failed"))
        self.assertIn(reason, log.note)
        self.assertIn(reason, self.plan.run_step)
        self.assertFalse(os.path.exists("/proc/%d/cmdline" % pid) and job["token"].encode() in open(
            "/proc/%d/cmdline" % pid, "rb").read(), "the job is stopped")
        self.assertFalse([name for name in os.listdir(self.folder) if name.endswith(".part")])
        activities = self.plan.activity_ids.filtered(lambda a: a.summary == "Backup failed: Odoo DB")
        self.assertIn(self.operator, activities.user_id)
        self.assertIn(reason, activities[0].note)

    def test_run_longer_than_the_longest_run_is_stopped(self):
        self.env["ir.config_parameter"].sudo().set_param("ctrl_backup.max_run_hours", "2")
        job, pid = self._hanging_run()
        self.env["ctrl.backup.plan"]._cron_run_queued()
        self.assertEqual(self.plan.run_state, "running", "within the longest run it goes on")
        self.plan._ctrl_write_protected({"run_started_on": fields.Datetime.now() - timedelta(hours=2, minutes=1)})
        self.env["ctrl.backup.plan"]._cron_run_queued()
        self._assert_stopped(job, pid, "took longer than 2 hours")

    def test_longest_run_setting_is_positive(self):
        for hours in (0, -3):
            with self.assertRaisesRegex(ValidationError, "Longest backup run"):
                self.env["res.config.settings"].create({"ctrl_backup_max_run_hours": hours})
        settings = self.env["res.config.settings"].create({"ctrl_backup_max_run_hours": 5})
        settings.execute()
        self.assertEqual(self.plan._max_run_hours(), 5)

    def test_manager_cancels_a_running_run_operator_cannot(self):
        job, pid = self._hanging_run()
        for user in (self.operator, self.checker):
            with self.assertRaises(AccessError):
                self.plan.with_user(user).action_cancel_run()
        self.assertEqual(self.plan.run_state, "running")
        action = self.plan.with_user(self.manager).action_cancel_run()
        self.assertEqual(action["params"]["type"], "info")
        self._assert_stopped(job, pid, "cancelled by")
        # A waiting run is cancelled before it starts: no job, no log.
        self.plan.with_user(self.operator).action_run_backup()
        self.plan.with_user(self.manager).action_cancel_run()
        self.assertEqual(self.plan.run_state, "failed")
        self.assertIn("cancelled by", self.plan.run_step)
        self.assertFalse(self.plan.sudo().run_job)

    def test_status_file_is_replaced_whole(self):
        path = os.path.join(self.folder, "status.json")
        backup_job.write_status(path, {"state": "running", "pid": 1})
        backup_job.write_status(path, {"state": "done", "sha256": "ab"})
        with open(path, encoding="utf-8") as handle:
            self.assertEqual(json.load(handle), {"state": "done", "sha256": "ab"})
        self.assertEqual(os.stat(path).st_mode & 0o777, 0o600)
        self.assertFalse(os.path.exists(path + ".tmp"))
