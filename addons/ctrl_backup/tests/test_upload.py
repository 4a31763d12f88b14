# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import ValidationError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestUpload(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.staff = new_test_user(cls.env, "bk_staff_user", groups="base.group_user")
        cls.start = fields.Date.today() - timedelta(days=40)
        cls.employee = cls.env["hr.employee"].create({
            "name": "Staff", "user_id": cls.staff.id, "department_id": cls.department.id,
            "ctrl_upload_required": True, "ctrl_upload_since": cls.start,
        })
        cls.ladder = cls.env.ref("ctrl_backup.escalation_ladder_upload")

    def test_warning_after_a_week_then_accountability_after_a_month(self):
        self.ladder._run_all(today=self.start + timedelta(days=7))
        self.assertFalse(self.employee.activity_ids)
        self.ladder._run_all(today=self.start + timedelta(days=8))
        warning = self.employee.activity_ids
        self.assertEqual(warning.user_id, self.staff)
        self.assertIn("more than a week", warning.summary)
        self.ladder._run_all(today=self.start + timedelta(days=8))
        self.assertEqual(len(self.employee.activity_ids), 1)
        self.assertIn(self.employee, self.env["hr.employee"]._ctrl_upload_offenders())
        self.ladder._run_all(today=self.start + timedelta(days=31))
        record = self.env["ctrl.backup.accountability"].search([("employee_id", "=", self.employee.id)])
        self.assertEqual(len(record), 1)
        self.assertEqual(record.head_id, self.dept_head)
        self.assertEqual(record.activity_ids.user_id, self.dept_head)
        with self.assertRaisesRegex(ValidationError, "Action taken"):
            record.action_close()
        record.action_taken = "Talked to the employee; uploads set up"
        record.action_close()
        self.assertEqual(record.state, "closed")

    def test_upload_resets_the_ladder(self):
        self.ladder._run_all(today=self.start + timedelta(days=10))
        self.assertTrue(self.employee.ctrl_escalation_step_ids)
        self.env["ctrl.backup.upload"].with_user(self.operator).create({
            "employee_id": self.employee.id, "date": fields.Date.today(), "file_count": 12})
        self.assertEqual(self.employee.ctrl_last_upload, fields.Date.today())
        self.assertFalse(self.employee.ctrl_escalation_step_ids)
        self.assertNotIn(self.employee, self.env["hr.employee"]._ctrl_upload_offenders())
        self.ladder._run_all(today=fields.Date.today() + timedelta(days=3))
        self.assertFalse(self.employee.ctrl_escalation_step_ids)

    def test_bad_upload_refused(self):
        tomorrow = fields.Date.context_today(self.employee) + timedelta(days=1)
        with self.assertRaisesRegex(ValidationError, "future"):
            self.env["ctrl.backup.upload"].create({"employee_id": self.employee.id, "date": tomorrow})

    def test_notice_lists_offenders(self):
        self.ladder._run_all(today=self.start + timedelta(days=8))
        message = self.env["hr.employee"].action_ctrl_upload_notice()
        self.assertTrue(message)
        self.assertIn("Staff", message.body)
        self.assertEqual(message.model, "discuss.channel")

    def test_spot_check_by_department_head(self):
        check = self.env["ctrl.backup.spot.check"].with_user(self.dept_head).create({
            "employee_id": self.employee.id, "compliant": True})
        self.assertEqual(check.checker_id, self.dept_head)
        with self.assertRaisesRegex(ValidationError, "someone else"):
            self.env["ctrl.backup.spot.check"].create({"employee_id": self.employee.id, "checker_id": self.staff.id,
                                                       "compliant": True})
        with self.assertRaisesRegex(ValidationError, "what was wrong"):
            self.env["ctrl.backup.spot.check"].create({"employee_id": self.employee.id, "compliant": False})
