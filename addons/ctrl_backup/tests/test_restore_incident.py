# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestRestoreIncident(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.plan = cls._plan()
        cls.log = cls.env["ctrl.backup.log"].create({
            "plan_id": cls.plan.id, "result": "done", "end": "2026-01-01 02:00:00", "operator_id": cls.operator.id,
        })
        cls.requester = new_test_user(cls.env, "bk_requester", groups="base.group_user")
        # Another department head, who may not approve Finance's request.
        cls.other_head = new_test_user(
            cls.env, "bk_other_head", groups="base.group_user,ctrl_base.group_approver_department_head")

    def _restore(self, **vals):
        return self.env["ctrl.backup.restore.request"].with_user(self.requester).create({
            "department_id": self.department.id, "data_content": "Ledger of March 2026",
            "reason": "Entries deleted by mistake", "source_log_id": self.log.id,
            "planned_at": fields.Datetime.now() + timedelta(hours=2), "restore_plan": "Restore the ledger tables",
            **vals,
        }).with_user(self.env.user)

    def test_restore_workflow(self):
        restore = self._restore(cost=1200.0)
        restore.with_user(self.requester).action_submit()
        request = restore.ctrl_approval_ids
        self.assertEqual(request.kind, "backup_restore")
        with self.assertRaises(AccessError):
            request.with_user(self.other_head).action_approve()  # not the requesting department's head
        request.with_user(self.dept_head).action_approve()
        with self.assertRaisesRegex(UserError, "not approved"):
            restore.with_user(self.operator).action_start()
        request.with_user(self.it_head).action_approve()
        restore.with_user(self.operator).action_start()
        self.assertEqual(restore.state, "in_progress")
        self.assertEqual(restore.executor_id, self.operator)
        checklist = restore.ctrl_checklist_ids
        self.assertEqual(checklist.line_ids.mapped("code"), ["pre_backup", "verify"])
        restore.result = "success"
        with self.assertRaisesRegex(UserError, "sign the restore checklist"):
            restore.with_user(self.operator).action_done()
        pre = checklist.line_ids.filtered(lambda line: line.code == "pre_backup")
        with self.assertRaisesRegex(UserError, "current environment"):
            pre.with_user(self.operator).action_sign()
        restore.pre_backup_log_id = self.env["ctrl.backup.log"].create({
            "plan_id": self.plan.id, "result": "done", "end": fields.Datetime.now()})
        pre.with_user(self.operator).action_sign()
        checklist.line_ids.filtered(lambda line: line.code == "verify").with_user(self.operator).action_sign()
        checklist.action_complete()
        restore.with_user(self.operator).action_done()
        self.assertEqual(restore.state, "done")
        self.assertIn("charged to", restore.message_ids[0].body)

    def test_restore_refused(self):
        restore = self._restore()
        restore.action_submit()
        restore.ctrl_approval_ids.with_user(self.dept_head).action_reject("Restore from yesterday instead")
        self.assertEqual(restore.state, "draft")  # a rejection returns the request to draft

    def test_requester_sees_own_request_only(self):
        mine = self._restore()
        other = self.env["ctrl.backup.restore.request"].create({
            "department_id": self.department.id, "data_content": "x", "reason": "y",
            "source_log_id": self.log.id, "planned_at": fields.Datetime.now(), "restore_plan": "z",
        })
        visible = self.env["ctrl.backup.restore.request"].with_user(self.requester).search([])
        self.assertIn(mine, visible)
        self.assertNotIn(other, visible)
        self.assertIn(other, self.env["ctrl.backup.restore.request"].with_user(self.dept_head).search([]))

    def test_incident_deadline_and_links(self):
        restore = self._restore()
        incident = self.env["ctrl.backup.incident"].with_user(self.operator).create({
            "name": "Virus on file server", "incident_type": "virus", "occurred_at": "2026-03-01 08:00:00",
            "description": "Files encrypted", "log_ids": [(6, 0, self.log.ids)],
        })
        restore.incident_id = incident
        self.assertEqual(incident.report_deadline, fields.Datetime.to_datetime("2026-03-02 08:00:00"))
        self.assertEqual(incident.restore_ids, restore)
        with self.assertRaisesRegex(UserError, "Actions taken"):
            incident.action_close()
        incident.actions = "Isolated the server, restored from the last verified backup"
        with self.assertRaisesRegex(UserError, "report it first"):
            incident.action_close()
        # Fixture: a report made late (the Report button stamps the current time).
        incident.sudo().reported_at = "2026-03-03 09:00:00"
        self.assertTrue(incident.reported_late)
        with self.assertRaisesRegex(ValidationError, "cannot be before"):
            incident.sudo().reported_at = "2026-02-01 00:00:00"
        incident.action_close()
        self.assertEqual(incident.state, "closed")

    def test_repair_device_backed_up_and_wiped_first(self):
        device = self.env["ctrl.backup.repair.device"].with_user(self.operator).create({"name": "NAS controller"})
        with self.assertRaisesRegex(ValidationError, "backed up before it leaves"):
            device.action_send()
        device.with_user(self.operator).backup_log_id = self.log
        with self.assertRaisesRegex(ValidationError, "wiped before it leaves"):
            device.with_user(self.operator).action_send()
        device.with_user(self.operator).action_mark_wiped()
        self.assertEqual(device.wiped_by_id, self.operator)
        with self.assertRaisesRegex(ValidationError, "Authorised by"):
            device.with_user(self.operator).action_send()
        device.with_user(self.dept_head).action_authorise()
        device.with_user(self.operator).action_send()
        self.assertEqual(device.state, "sent")
        device.with_user(self.operator).action_returned()
        self.assertEqual(device.state, "returned")
