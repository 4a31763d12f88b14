# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Attacks by users holding only their own groups, as an RPC client would make them."""
from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestAttacks(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_manager = new_test_user(cls.env, "bk_manager2", groups="ctrl_backup.group_backup_manager")
        cls.other_operator = new_test_user(cls.env, "bk_operator2", groups="ctrl_backup.group_backup_operator")
        cls.borrower = new_test_user(cls.env, "bk_att_borrower", groups="base.group_user")
        cls.witness1 = new_test_user(cls.env, "bk_att_witness1", groups="base.group_user")
        cls.witness2 = new_test_user(cls.env, "bk_att_witness2", groups="base.group_user")
        cls.category = cls.env.ref("ctrl_backup.equipment_category_backup_media")

    def _media(self):
        return self.env["maintenance.equipment"].with_user(self.operator).create({
            "name": "Attack disc", "category_id": self.category.id, "ctrl_first_use_date": "2026-01-02",
        })

    def _done_log(self, plan):
        return self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "operator_id": self.operator.id, "result": "done", "sha256": "ab" * 32,
            "start": "2026-01-01 00:00:00", "end": "2026-01-01 01:00:00",
        }).sudo(False)

    # ------------------------------------------------------------------ 1. plan approval
    def test_attack_edit_approved_plan_goes_back_to_draft(self):
        plan = self._approved_plan(name="ERP attacked")
        self.assertEqual(plan.state, "approved")
        client = plan.with_user(self.other_manager).with_context(ctrl_backup_keep_approval=True)
        client.write({"folder": "/tmp/elsewhere"})
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.approved_on)
        body = plan.message_ids[0].body
        self.assertIn("Folder", body)
        self.assertIn(self.other_manager.name, body)
        # Cutting the retention of a submitted plan: back to draft, the pending request cancelled.
        plan.with_user(self.manager).action_submit()
        request = plan.ctrl_approval_ids.filtered(lambda r: r.state == "pending")
        plan.with_user(self.other_manager).with_context(ctrl_backup_keep_approval=True).write({"retention_days": 45})
        self.assertEqual(plan.state, "draft")
        self.assertEqual(request.state, "cancel")
        self.assertIn("Retention", plan.message_ids[0].body)
        # An unchanged value does not reopen an approved plan.
        plan.with_user(self.manager).action_submit()
        self._approve(plan, [self.dept_head, self.it_head])
        plan.with_user(self.manager).write({"retention_days": 45, "name": "ERP renamed"})
        self.assertEqual(plan.state, "approved")

    def test_attack_plan_state_and_approval_date_by_hand(self):
        plan = self._plan(name="Forged")
        for vals in ({"state": "approved"}, {"approved_on": fields.Datetime.now()}, {"overdue_since": False},
                     {"config_changed_on": "2020-01-01"}):
            with self.assertRaises(AccessError):
                plan.with_user(self.manager).with_context(ctrl_backup_keep_approval=True).write(vals)
        self.assertEqual(plan.state, "draft")
        self.assertFalse(plan.approved_on or plan.config_changed_on)
        with self.assertRaises(AccessError):
            self.env["ctrl.backup.plan"].with_user(self.manager).create({
                "name": "Born approved", "state": "approved", "executor_id": self.operator.id,
                "checker_id": self.checker.id,
            })
        self.assertFalse(self.env["ctrl.backup.plan"].search([("name", "=", "Born approved")]))
        # A submitted plan is not deleted.
        plan.with_user(self.manager).action_submit()
        with self.assertRaises(UserError):
            plan.with_user(self.manager).unlink()
        self.assertTrue(plan.exists())

    # ------------------------------------------------------------------ 2. media state
    def test_attack_media_destroyed_by_hand(self):
        media = self._media()
        for user in (self.operator, self.manager):
            client = media.with_user(user).with_context(ctrl_backup_media_workflow=True)
            for vals in ({"ctrl_media_state": "destroyed"}, {"ctrl_media_state": "in_store"},
                         {"ctrl_media_number": "BKM-FAKE"}):
                with self.assertRaises(AccessError):
                    client.write(vals)
        self.assertEqual(media.ctrl_media_state, "in_store")
        self.assertNotEqual(media.ctrl_media_number, "BKM-FAKE")
        with self.assertRaises(AccessError):
            self.env["maintenance.equipment"].with_user(self.manager).with_context(
                ctrl_backup_media_workflow=True).create({
                    "name": "Born destroyed", "category_id": self.category.id, "ctrl_media_state": "destroyed"})
        self.assertFalse(self.env["maintenance.equipment"].search([("name", "=", "Born destroyed")]))
        # Native fields stay editable; damage goes through its button.
        media.with_user(self.operator).write({"note": "moved to shelf 2", "ctrl_content": "Finance"})
        media.with_user(self.operator).action_ctrl_report_damaged()
        self.assertEqual(media.ctrl_media_state, "damaged")

    # ------------------------------------------------------------------ 3. backup logs
    def test_attack_executor_checks_own_log(self):
        plan = self._plan(name="Manual")
        log = self._done_log(plan)
        with self.assertRaises(AccessError):
            log.with_user(self.operator).write({"checked_by_id": self.operator.id,
                                                "checked_on": fields.Datetime.now()})
        with self.assertRaises(UserError):
            log.with_user(self.operator).action_verify()
        # Another operator who is not the plan's checker cannot verify either.
        with self.assertRaises(AccessError):
            log.with_user(self.other_operator).action_verify()
        self.assertFalse(log.checked_by_id or log.checked_on)
        log.with_user(self.checker).action_verify()
        self.assertEqual(log.checked_by_id, self.checker)
        with self.assertRaises(UserError):
            log.with_user(self.checker).action_verify()

    def test_attack_forged_done_log(self):
        plan = self._plan(name="Manual forged")
        Log = self.env["ctrl.backup.log"].with_user(self.operator)
        for vals in ({"result": "done", "sha256": "00" * 32, "size": 10},
                     {"result": "failed", "path": "/var/lib/odoo/backups/victim.dump"},
                     {"filestore_path": "/etc/passwd"}, {"checked_by_id": self.checker.id},
                     {"operator_id": self.checker.id}, {"kind": "restore_test"}, {"pruned": True}):
            with self.assertRaises(AccessError):
                Log.create({"plan_id": plan.id, **vals})
        self.assertFalse(plan.log_ids)
        # A hand-made log (external system) is allowed, but stays what it is.
        failed = Log.create({"plan_id": plan.id, "result": "failed", "note": "tape jammed",
                             "start": "2026-01-01 00:00:00", "end": "2026-01-01 00:10:00"})
        for vals in ({"result": "done"}, {"sha256": "00" * 32}, {"end": "2026-01-01 02:00:00"},
                     {"path": "/tmp/x.dump"}, {"plan_id": self._plan(name="Other").id}):
            with self.assertRaises(AccessError):
                failed.write(vals)
        self.assertEqual((failed.result, failed.sha256, failed.path), ("failed", False, False))
        with self.assertRaises(UserError):
            Log.create({"plan_id": plan.id, "end": fields.Datetime.now() + timedelta(days=2)})
        # Logs of a plan run by the server are made only by its Run backup button.
        db_plan = self._plan(name="Odoo DB", plan_type="odoo_db", folder="/var/backups/ctrl-attack")
        with self.assertRaises(AccessError):
            Log.create({"plan_id": db_plan.id, "result": "done"})
        self.assertFalse(db_plan.log_ids)

    def test_attack_delete_done_log(self):
        log = self._done_log(self._plan(name="Manual kept"))
        with self.assertRaises(UserError):
            log.with_user(self.manager).unlink()
        self.assertTrue(log.exists())

    # ------------------------------------------------------------------ 4. loans, destructions, restores
    def test_attack_loan_forged_state_and_signatures(self):
        media = self._media()
        Loan = self.env["ctrl.backup.loan"].with_user(self.operator)
        with self.assertRaises(AccessError):
            Loan.create({"media_id": media.id, "borrower_id": self.borrower.id, "purpose": "x",
                         "state": "approved"})
        loan = Loan.create({"media_id": media.id, "borrower_id": self.borrower.id, "purpose": "Audit"})
        self.assertNotEqual(loan.name, "/")
        for vals in ({"state": "approved"}, {"borrower_signed_on": fields.Datetime.now()},
                     {"admin_signed_on": fields.Datetime.now()}, {"issued_by_id": self.operator.id}):
            with self.assertRaises(AccessError):
                loan.with_user(self.manager).write(vals)
        self.assertEqual(loan.state, "draft")
        loan.action_submit()
        # Content is locked while the request is pending.
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            loan.with_user(self.operator).write({"date_due": loan.date_due + timedelta(days=30)})
        with self.assertRaises(UserError):
            loan.with_user(self.manager).unlink()
        self._approve(loan, [self.gm])
        with self.assertRaisesRegex(UserError, "approved"):
            loan.with_user(self.operator).write({"media_id": self._media().id})
        loan.with_user(self.operator).action_issue()
        loan.with_user(self.checker).action_return("intact")
        # Only the borrower signs for the borrower, once.
        with self.assertRaises(UserError):
            loan.with_user(self.operator).action_borrower_sign()
        self.assertFalse(loan.borrower_signed_on)
        self.assertEqual(loan.state, "issued")
        loan.with_user(self.borrower).action_borrower_sign()
        self.assertEqual(loan.state, "returned")

    def test_attack_destruction_witness_signatures(self):
        media = self._media()
        destruction = self.env["ctrl.backup.destruction"].with_user(self.operator).create({
            "media_id": media.id, "reason": "expired", "operation": "destroy", "method": "shred",
            "handed_over_by_id": self.operator.id, "received_by_id": self.checker.id,
            "witness_ids": [(6, 0, [self.witness1.id, self.witness2.id])],
        })
        with self.assertRaises(AccessError):
            destruction.write({"witness_signed_ids": [(6, 0, [self.witness1.id, self.witness2.id])]})
        with self.assertRaises(AccessError):
            destruction.with_user(self.manager).write({"state": "approved"})
        destruction.action_submit()
        self._approve(destruction, [self.it_head])
        # The operator signs for nobody; a witness signs only for themselves.
        with self.assertRaises(AccessError):
            destruction.with_user(self.operator).action_witness_sign()
        destruction.with_user(self.witness1).action_witness_sign()
        with self.assertRaisesRegex(UserError, "must sign"):
            destruction.with_user(self.operator).action_done()
        self.assertEqual(media.ctrl_media_state, "in_store")
        destruction.with_user(self.witness2).action_witness_sign()
        destruction.with_user(self.operator).action_done()
        self.assertEqual(media.ctrl_media_state, "destroyed")
        with self.assertRaises(UserError):
            destruction.with_user(self.manager).write({"method": "other"})
        with self.assertRaises(UserError):
            destruction.with_user(self.manager).unlink()

    def test_attack_restore_request_forged(self):
        log = self._done_log(self._plan(name="Source"))
        requester = new_test_user(self.env, "bk_att_requester", groups="base.group_user")
        Restore = self.env["ctrl.backup.restore.request"].with_user(requester)
        vals = {"department_id": self.department.id, "data_content": "Ledger", "reason": "Deleted",
                "source_log_id": log.id, "planned_at": fields.Datetime.now(), "restore_plan": "Tables"}
        with self.assertRaises(AccessError):
            Restore.create({**vals, "state": "approved"})
        with self.assertRaises(AccessError):
            Restore.create({**vals, "requested_by_id": self.dept_head.id})
        restore = Restore.create(vals)
        self.assertNotEqual(restore.name, "/")
        with self.assertRaises(AccessError):
            restore.write({"state": "approved"})
        restore.action_submit()
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            restore.write({"data_content": "The whole database"})
        with self.assertRaises(AccessError):
            restore.action_start()
        self.assertEqual((restore.state, restore.data_content), ("to_approve", "Ledger"))
        restore.action_ctrl_withdraw()
        self.assertEqual(restore.state, "draft")

    def test_attack_incident_and_repair(self):
        incident = self.env["ctrl.backup.incident"].with_user(self.operator).create({
            "name": "Virus", "incident_type": "virus", "occurred_at": "2026-03-01 08:00:00",
            "description": "Files encrypted"})
        with self.assertRaises(AccessError):
            incident.write({"reported_at": "2026-03-01 09:00:00"})
        with self.assertRaises(AccessError):
            incident.write({"state": "closed"})
        incident.action_report()
        with self.assertRaises(UserError):
            incident.write({"occurred_at": fields.Datetime.now()})
        device = self.env["ctrl.backup.repair.device"].with_user(self.operator).create({"name": "NAS"})
        for vals in ({"approved_by_id": self.dept_head.id}, {"wiped": True, "wiped_by_id": self.checker.id},
                     {"state": "sent"}):
            with self.assertRaises(AccessError):
                device.write(vals)
        self.assertFalse(device.approved_by_id or device.wiped)
        with self.assertRaises(AccessError):
            device.with_user(self.operator).action_authorise()
        device.with_user(self.dept_head).action_authorise()
        # A change of what was authorised drops the authorisation.
        device.with_user(self.operator).write({"name": "NAS and its disks"})
        self.assertFalse(device.approved_by_id)

    # ------------------------------------------------------------------ 5. other context keys
    def test_attack_escalation_day_from_client_context(self):
        plan = self._approved_plan(name="Escalation")
        ladder = self.env.ref("ctrl_backup.escalation_ladder_missed")
        saturday = fields.Date.to_date("2026-02-28")
        client = plan.with_user(self.manager).with_context(ctrl_escalation_today=saturday)
        server = plan.with_context(ctrl_escalation_today=saturday)
        # The server may give the day (cron, tests); a client's context is ignored: the client gets the
        # domain of its own day, as without the key (compared as the same user, so in the same time zone).
        self.assertEqual(client._ctrl_escalation_domain(ladder),
                         plan.with_user(self.manager)._ctrl_escalation_domain(ladder))
        calendar = ladder.company_id.resource_calendar_id or self.env.company.resource_calendar_id
        if calendar and not calendar._works_on_date(saturday):
            self.assertIn(("id", "=", 0), server._ctrl_escalation_domain(ladder))
