# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, datetime, timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestBackupPlan(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan()

    def _done_log(self, plan=None):
        return self.env["ctrl.backup.log"].create({
            "plan_id": (plan or self.plan).id, "operator_id": self.operator.id, "result": "done",
            "size": 100, "sha256": "ab" * 32, "end": "2026-01-01 01:00:00",
        })

    def test_executor_equal_checker_refused(self):
        with self.assertRaisesRegex(ValidationError, "checker must be someone other than the executor"):
            self.plan.checker_id = self.operator

    def test_nonsense_retention_refused(self):
        with self.assertRaisesRegex(ValidationError, "Retention"):
            self.plan.retention_days = 0
        # 000/B19-03 「数据至少保存一个月」: at least one month, whatever the schedule.
        with self.assertRaisesRegex(ValidationError, "Retention .*at least 30 days"):
            self.plan.retention_days = 29
        self.assertEqual(self.env["ctrl.backup.plan"].new({}).retention_days, 30, "the default is one month")
        with self.assertRaisesRegex(ValidationError, "at least 90 days"):
            self.plan.write({"schedule": "quarterly", "retention_days": 30})
        with self.assertRaisesRegex(ValidationError, "regular schedule"):
            self.plan.write({"schedule": "yearly", "retention_days": 400, "method": "incremental"})
        self.assertEqual(self.plan.schedule, "daily")

    def test_bad_copies_and_naming_rule_refused(self):
        with self.assertRaisesRegex(ValidationError, "off-site copy needs at least 2 copies"):
            self.plan.write({"offsite_copy": True, "copies": 1})
        with self.assertRaisesRegex(ValidationError, "must contain %\\(date\\)s"):
            self.plan.naming_rule = "%(plan)s-backup"
        with self.assertRaisesRegex(ValidationError, "not valid"):
            self.plan.naming_rule = "%(plan)s-%(date)s-%(client)s"
        self.plan.naming_rule = "K3-%(date)s-%(seq)s"
        self.assertTrue(self.plan._backup_stem().startswith("K3-"))

    def test_plan_approval_department_head_then_it_head(self):
        plan = self.plan.with_user(self.manager)
        plan.action_submit()
        self.assertEqual(plan.state, "to_approve")
        request = plan.ctrl_approval_ids
        self.assertEqual(request.kind, "backup_plan")
        self.assertEqual(request.step_ids.mapped("name"), ["Department head", "IT head"])
        # The IT head cannot take the department head's step; the preparer cannot approve at all.
        with self.assertRaisesRegex(AccessError, "must be decided by"):
            request.with_user(self.it_head).action_approve()
        request.with_user(self.dept_head).action_approve()
        self.assertEqual(plan.state, "to_approve")
        request.with_user(self.it_head).action_approve()
        self.assertEqual(plan.state, "approved")
        self.assertTrue(plan.approved_on)
        # A change of schedule sends it back for approval.
        plan.write({"schedule": "weekly"})
        self.assertEqual(plan.state, "draft")

    def test_rejected_plan_back_to_draft(self):
        self.plan.with_user(self.manager).action_submit()
        self.plan.ctrl_approval_ids.with_user(self.dept_head).action_reject("Wrong retention")
        self.assertEqual(self.plan.state, "draft")

    def test_done_log_is_immutable(self):
        log = self._done_log()
        with self.assertRaisesRegex(UserError, "cannot be changed"):
            log.sha256 = "00" * 32
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            log.unlink()
        log.message_post(body="annotated: tape moved to cabinet B")
        self.assertEqual(log.sha256, "ab" * 32)
        self.assertIn("annotated", log.message_ids[0].body)

    def test_checker_verifies_independently(self):
        log = self._done_log()
        with self.assertRaisesRegex(UserError, "must not be the person who ran"):
            log.with_user(self.operator).action_verify()
        log.with_user(self.checker).action_verify()
        self.assertEqual(log.checked_by_id, self.checker)
        log.action_hand_over(self.manager)
        self.assertEqual(log.custodian_id, self.manager)
        self.assertTrue(log.custody_date)

    def test_access_rights(self):
        with self.assertRaises(AccessError):
            self.env["ctrl.backup.plan"].with_user(self.operator).create({
                "name": "x", "executor_id": self.operator.id, "checker_id": self.checker.id,
            })
        plan = self.env["ctrl.backup.plan"].with_user(self.manager).create({
            "name": "Drawings weekly", "schedule": "weekly", "retention_days": 30,
            "executor_id": self.operator.id, "checker_id": self.checker.id,
        })
        self.assertTrue(plan.with_user(self.operator).name)
        with self.assertRaises(AccessError):
            plan.with_user(self.operator).action_submit()
        log = self.env["ctrl.backup.log"].with_user(self.operator).create({"plan_id": plan.id})
        self.assertEqual(log.result, "failed")
        outsider = new_test_user(self.env, "bk_outsider", groups="base.group_user")
        with self.assertRaises(AccessError):
            plan.with_user(outsider).read(["name"])

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        plan = self.env["ctrl.backup.plan"].create({
            "name": "Other", "company_id": other.id,
            "executor_id": self.operator.id, "checker_id": self.checker.id,
        })
        visible = self.env["ctrl.backup.plan"].with_user(self.operator).search([("id", "=", plan.id)])
        self.assertFalse(visible)

    def _age(self, plan, days):
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE ctrl_backup_plan SET create_date = now() - make_interval(days => %s), "
            "approved_on = now() - make_interval(days => %s) WHERE id = %s", (days, days, plan.id))
        plan.invalidate_recordset()

    def test_cron_flags_missed_run_once_then_manager(self):
        plan = self._approved_plan(name="ERP nightly")
        self._age(plan, 5)
        wednesday = self.env["ctrl.backup.plan"].with_context(ctrl_escalation_today=date(2026, 3, 4))
        overdue = wednesday._cron_backup_check()
        self.assertIn(plan, overdue)
        self.assertEqual(plan.overdue_since, fields.Date.context_today(plan))
        wednesday._cron_backup_check()
        activities = plan.activity_ids.filtered(lambda act: act.summary == "Backup missed or failed")
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.operator)
        # The next working day the ladder's second level tells the manager (the department head).
        ladder = self.env.ref("ctrl_backup.escalation_ladder_missed")
        monday = date(2026, 3, 2)
        plan.sudo().overdue_since = monday - timedelta(days=3)  # the previous Friday
        saturday = ladder.with_context(ctrl_escalation_today=monday - timedelta(days=2))
        saturday._run_all(today=monday - timedelta(days=2))
        self.assertFalse(plan.activity_ids.filtered(lambda a: a.user_id == self.dept_head))
        ladder.with_context(ctrl_escalation_today=monday)._run_all(today=monday)
        manager_acts = plan.activity_ids.filtered(lambda a: a.user_id == self.dept_head)
        self.assertEqual(len(manager_acts), 1)
        self.assertIn("still missing", manager_acts.summary)
        # A successful run clears the flag and the ladder steps.
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "done", "end": fields.Datetime.now()})
        self.assertNotIn(plan, self.env["ctrl.backup.plan"]._cron_backup_check())
        self.assertFalse(plan.overdue_since)
        self.assertFalse(plan.ctrl_escalation_step_ids)

    def test_failed_run_is_flagged(self):
        plan = self._approved_plan(name="Mail daily")
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "done",
                                            "start": fields.Datetime.now() - timedelta(hours=2),
                                            "end": fields.Datetime.now() - timedelta(hours=2)})
        self.assertNotIn(plan, self.env["ctrl.backup.plan"]._cron_backup_check())
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "failed"})
        self.assertIn(plan, self.env["ctrl.backup.plan"]._cron_backup_check())

    def test_unapproved_plan_is_not_watched(self):
        self._age(self.plan, 30)
        self.assertNotIn(self.plan, self.env["ctrl.backup.plan"]._cron_backup_check())

    def test_calendar_schedules(self):
        plan = self.plan
        plan.write({"schedule": "last_friday", "retention_days": 60})
        self.assertEqual(plan._last_due_date(date(2026, 3, 28)), date(2026, 3, 27))
        self.assertEqual(plan._last_due_date(date(2026, 3, 27)), date(2026, 2, 27))
        plan.schedule = "month_end"
        self.assertEqual(plan._last_due_date(date(2026, 3, 15)), date(2026, 2, 28))
        plan.write({"schedule": "quarterly", "retention_days": 120})
        self.assertEqual(plan._last_due_date(date(2026, 5, 10)), date(2026, 3, 31))
        self.assertEqual(plan._last_due_date(date(2026, 1, 1)), date(2025, 12, 31))
        plan.write({"schedule": "yearly", "retention_days": 400})
        self.assertEqual(plan._last_due_date(date(2026, 6, 1)), date(2025, 12, 31))
        # A quarterly plan approved long ago, last run before the quarter end, is overdue.
        plan.write({"schedule": "quarterly", "retention_days": 120})
        self.env.flush_all()
        self.env.cr.execute("UPDATE ctrl_backup_plan SET create_date = '2025-10-01', approved_on = '2025-10-01' "
                            "WHERE id = %s", (plan.id,))
        plan.invalidate_recordset()
        self.assertTrue(plan._is_overdue(datetime(2026, 5, 10)))
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "done", "end": "2026-03-30 10:00:00",
                                            "start": "2026-03-30 09:00:00"})
        self.assertFalse(plan._is_overdue(datetime(2026, 5, 10)))

    def test_on_change_plan_due_the_same_day(self):
        plan = self._approved_plan(name="Switch config", schedule="on_change", retention_days=30)
        now = fields.Datetime.now()
        self.assertFalse(plan._is_overdue(now))
        plan.action_config_changed()
        self.assertEqual(plan.state, "approved")
        self.assertFalse(plan._is_overdue(now))  # due today: not missed yet
        self.assertTrue(plan._is_overdue(now + timedelta(days=1)))
        self.env["ctrl.backup.log"].create({"plan_id": plan.id, "result": "done", "end": now})
        self.assertFalse(plan._is_overdue(now + timedelta(days=1)))
