# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


@tagged("post_install", "-at_install")
class TestBackupPlan(CtrlAssertMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.operator = new_test_user(cls.env, "bk_operator", groups="ctrl_backup.group_backup_operator")
        cls.checker = new_test_user(cls.env, "bk_checker", groups="ctrl_backup.group_backup_operator")
        cls.manager = new_test_user(cls.env, "bk_manager", groups="ctrl_backup.group_backup_manager")
        cls.plan = cls.env["ctrl.backup.plan"].create({
            "name": "ERP daily", "data_class": "important", "schedule": "daily", "retention_days": 30,
            "executor_id": cls.operator.id, "checker_id": cls.checker.id,
        })

    def _done_log(self):
        return self.env["ctrl.backup.log"].create({
            "plan_id": self.plan.id, "operator_id": self.operator.id, "result": "done",
            "size": 100, "sha256": "ab" * 32, "end": "2026-01-01 01:00:00",
        })

    def test_executor_equal_checker_refused(self):
        with self.assertRaisesRegex(ValidationError, "checker must be someone other than the executor"):
            self.plan.checker_id = self.operator

    def test_nonsense_retention_refused(self):
        with self.assertRaisesRegex(ValidationError, "Retention"):
            self.plan.retention_days = 0
        with self.assertRaisesRegex(ValidationError, "at least 90 days"):
            self.plan.write({"schedule": "quarterly", "retention_days": 30})
        with self.assertRaisesRegex(ValidationError, "regular schedule"):
            self.plan.write({"schedule": "yearly", "retention_days": 400, "method": "incremental"})
        self.assertEqual(self.plan.schedule, "daily")

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
            "name": "Drawings weekly", "schedule": "weekly", "retention_days": 14,
            "executor_id": self.operator.id, "checker_id": self.checker.id,
        })
        self.assertTrue(plan.with_user(self.operator).name)
        log = self.env["ctrl.backup.log"].with_user(self.operator).create({"plan_id": plan.id})
        self.assertEqual(log.result, "failed")

    def test_multi_company_rule(self):
        other = self.env["res.company"].create({"name": "Other Co"})
        plan = self.env["ctrl.backup.plan"].create({
            "name": "Other", "company_id": other.id,
            "executor_id": self.operator.id, "checker_id": self.checker.id,
        })
        visible = self.env["ctrl.backup.plan"].with_user(self.operator).search([("id", "=", plan.id)])
        self.assertFalse(visible)

    def test_cron_flags_missed_run_once(self):
        self.env.cr.execute("UPDATE ctrl_backup_plan SET create_date = now() - interval '5 days' WHERE id = %s",
                            (self.plan.id,))
        self.plan.invalidate_recordset()
        overdue = self.env["ctrl.backup.plan"]._cron_backup_check()
        self.assertIn(self.plan, overdue)
        self.env["ctrl.backup.plan"]._cron_backup_check()
        activities = self.plan.activity_ids.filtered(lambda act: act.summary == "Backup missed or failed")
        self.assertEqual(len(activities), 1)
        self.assertEqual(activities.user_id, self.operator)
        self._done_log().write({"checked_by_id": self.checker.id})
        self.env["ctrl.backup.log"].create({"plan_id": self.plan.id, "result": "done", "end": fields.Datetime.now()})
        self.plan.invalidate_recordset()
        self.assertNotIn(self.plan, self.env["ctrl.backup.plan"]._cron_backup_check())
