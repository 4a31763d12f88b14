# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlBaseCase, set_ctrl_live

# Every context key the ctrl addons ever consulted to skip a check: a client can send them all.
CLIENT_CONTEXT = {
    "ctrl_credit_checked": True, "ctrl_checklist_sign": True, "ctrl_backup_keep_approval": True,
    "ctrl_backup_media_workflow": True, "ctrl_credit_limit_approved": True, "install_module": "ctrl_base",
}


@tagged("post_install", "-at_install")
class TestLifecycle(CtrlBaseCase):
    """The guarded life cycle, attacked as a client would: with_user, the
    client's context, public methods, create/write/unlink."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Document = cls.env["ctrl.base.test.document"]
        model = cls.env["ir.model"]._get("ctrl.base.test.document")
        g_mgr = cls.env.ref("ctrl_base.group_approver_sales_manager")
        g_gm = cls.env.ref("ctrl_base.group_approver_gm")
        cls.rule_low = cls.env["ctrl.approval.rule"].create({
            "name": "Documents up to 1,000", "model_id": model.id, "kind": "test_document",
            "amount_min": 0, "amount_max": 1000,
            "step_ids": [Command.create({"name": "Manager", "group_id": g_mgr.id})],
        })
        cls.rule_high = cls.env["ctrl.approval.rule"].create({
            "name": "Documents from 1,000", "model_id": model.id, "kind": "test_document", "amount_min": 1000,
            "step_ids": [Command.create({"name": "Manager", "group_id": g_mgr.id, "sequence": 1}),
                         Command.create({"name": "GM", "group_id": g_gm.id, "sequence": 2})],
        })
        cls.both = new_test_user(cls.env, "ctrl_mgr_gm",
                                 groups="base.group_user,ctrl_base.group_approver_sales_manager,"
                                        "ctrl_base.group_approver_gm")

    def _document(self, amount=100.0, user=None):
        return self.Document.with_user(user or self.clerk).create({
            "partner_name": "Acme", "line_ids": [Command.create({"name": "goods", "amount": amount})]})

    def _request(self, document):
        return document._ctrl_approval_requests("test_document", ["pending", "approved"])[:1]

    def test_name_from_sequence_and_defaults_only_at_creation(self):
        document = self._document()
        self.assertTrue(document.name.startswith("TD/"))
        self.assertEqual(document.state, "draft")
        self.Document.with_user(self.clerk).create({"partner_name": "default state is fine", "state": "draft"})
        for vals in ({"state": "approved"}, {"approved_note": "forged"}):
            with self.assertRaisesRegex(AccessError, "set by its workflow"):
                self.Document.with_user(self.clerk).with_context(**CLIENT_CONTEXT).create(
                    {"partner_name": "Forged", **vals})
        self.assertFalse(self.Document.search([("partner_name", "=", "Forged")]))

    def test_protected_fields_refuse_a_client_write(self):
        document = self._document()
        for vals in ({"state": "approved"}, {"approved_note": "forged"}):
            with self.assertRaisesRegex(AccessError, "change only through its buttons"):
                document.with_user(self.admin_ctrl).with_context(**CLIENT_CONTEXT).write(vals)
        self.assertEqual((document.state, document.approved_note), ("draft", False))

    def test_submit_without_rule_is_refused(self):
        self.rule_low.active = False
        document = self._document()
        with self.assertRaisesRegex(UserError, "No approval rule covers"):
            document.action_submit()
        self.assertEqual(document.state, "draft")

    def test_pending_locks_content_and_lines(self):
        document = self._document()
        document.action_submit()
        self.assertEqual(document.state, "to_approve")
        with self.assertRaisesRegex(UserError, "waits for approval.*withdraw the request"):
            document.with_user(self.clerk).write({"partner_name": "Other"})
        line = document.line_ids
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            line.with_user(self.clerk).write({"amount": 10000.0})
        with self.assertRaises(UserError):
            line.with_user(self.clerk).unlink()
        with self.assertRaises(UserError):
            self.env["ctrl.base.test.document.line"].with_user(self.clerk).create(
                {"document_id": document.id, "name": "more", "amount": 10000.0})
        with self.assertRaisesRegex(UserError, "left draft"):
            document.with_user(self.clerk).unlink()
        # What is not content stays editable.
        document.with_user(self.clerk).note = "called the customer"
        self.assertEqual((document.amount_total, document.partner_name), (100.0, "Acme"))

    def test_approval_applies_then_locks(self):
        document = self._document()
        document.action_submit()
        self._request(document).with_user(self.manager).action_approve()
        self.assertEqual((document.state, document.approved_note), ("approved", "approved at 100.0"))
        with self.assertRaisesRegex(UserError, "approved at .* by .*make a new one"):
            document.with_user(self.clerk).write({"partner_name": "Other"})
        with self.assertRaisesRegex(UserError, "left draft"):
            document.with_user(self.admin_ctrl).unlink()

    def test_rejection_and_withdrawal_return_to_draft(self):
        document = self._document()
        document.action_submit()
        self._request(document).with_user(self.manager).action_reject("wrong customer")
        self.assertEqual(document.state, "draft")
        document.with_user(self.clerk).write({"partner_name": "Right customer"})
        document.action_submit()
        with self.assertRaises(AccessError):
            document.with_user(self.manager).action_ctrl_withdraw()
        document.with_user(self.clerk).action_ctrl_withdraw()
        self.assertEqual(document.state, "draft")
        self.assertEqual(document.ctrl_approval_ids.mapped("state"), ["cancel", "rejected"])

    def test_approval_binds_what_was_submitted(self):
        document = self._document()
        document.action_submit()
        request = self._request(document)
        # A path around the lock (server code, a bug): the approver's decision no longer matches.
        document.line_ids.sudo().amount = 100000.0
        with self.assertRaisesRegex(UserError, "changed after it was submitted.*submit again"):
            request.with_user(self.manager).action_approve()
        self.assertEqual((request.state, document.state), ("pending", "to_approve"))

    def test_band_is_checked_again_at_approval(self):
        record = self.Record.with_user(self.clerk).create({"name": "Deal", "amount_total": 10.0})
        model = self.env["ir.model"]._get("ctrl.base.test.record")
        g_mgr = self.env.ref("ctrl_base.group_approver_sales_manager")
        g_gm = self.env.ref("ctrl_base.group_approver_gm")
        for name, low, high, groups in (("Small", 0, 1000, g_mgr), ("Large", 1000, 0, g_mgr | g_gm)):
            self.env["ctrl.approval.rule"].create({
                "name": name, "model_id": model.id, "amount_min": low, "amount_max": high,
                "step_ids": [Command.create({"name": g.name, "group_id": g.id, "sequence": i})
                             for i, g in enumerate(groups)]})
        request = record._ctrl_request_approval()
        record.amount_total = 15000000.0
        with self.assertRaisesRegex(UserError, "needs another approval band"):
            request.with_user(self.manager).action_approve()
        self.assertFalse(record._ctrl_is_approved())

    def test_one_person_decides_one_step(self):
        document = self._document(amount=5000.0)
        document.action_submit()
        request = self._request(document)
        request.with_user(self.both).action_approve()
        self.assertFalse(request.with_user(self.both).can_decide)
        with self.assertRaisesRegex(AccessError, "already approved a step"):
            request.with_user(self.both).action_approve()
        self.assertNotIn(self.both, request.activity_ids.user_id, "not asked for the second step")
        request.with_user(self.gm).action_approve()
        self.assertEqual(document.state, "approved")

    def test_rule_may_allow_one_person_for_several_steps(self):
        self.rule_high.allow_same_approver = True
        document = self._document(amount=5000.0)
        document.action_submit()
        request = self._request(document)
        request.with_user(self.both).action_approve()
        request.with_user(self.both).action_approve()
        self.assertEqual(document.state, "approved")

    def test_self_approval_refused(self):
        document = self._document(user=self.manager)
        document.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(AccessError, "someone else must approve"):
            self._request(document).with_user(self.manager).action_approve()

    def test_requests_are_read_only(self):
        document = self._document()
        document.action_submit()
        request = self._request(document)
        with self.assertRaises(AccessError):
            request.with_user(self.admin_ctrl).write({"state": "approved"})
        with self.assertRaises(AccessError):
            request.step_ids.with_user(self.admin_ctrl).write({"state": "approved"})
        self.assertEqual(request.state, "pending")


@tagged("post_install", "-at_install")
class TestChecklistAttacks(CtrlBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["ctrl.checklist.template"].create({
            "name": "Handover", "code": "test_attack", "deadline_days": 30,
            "item_ids": [Command.create({"code": "data", "name": "Back up work data", "mandatory": True,
                                         "check_method": "_ctrl_checklist_check_ready"})]})
        cls.record = cls.Record.create({"name": "Leaving employee"})

    def test_sign_in_another_name_with_client_context(self):
        checklist = self.record.with_user(self.clerk)._ctrl_checklist_start("test_attack")
        line = checklist.line_ids
        with self.assertRaises(AccessError):
            line.with_user(self.clerk).with_context(**CLIENT_CONTEXT).write(
                {"state": "done", "signed_by_id": self.gm.id})
        with self.assertRaisesRegex(UserError, "cannot be signed yet"):
            line.with_user(self.clerk).with_context(**CLIENT_CONTEXT).action_sign()
        self.assertEqual((line.state, line.signed_by_id), ("todo", self.env["res.users"]))

    def test_close_by_writing_state(self):
        checklist = self.record.with_user(self.clerk)._ctrl_checklist_start("test_attack")
        for vals in ({"state": "done"}, {"state": "override", "override_reason": "x"}):
            with self.assertRaises(AccessError):
                checklist.with_user(self.clerk).with_context(**CLIENT_CONTEXT).write(vals)
        with self.assertRaises(AccessError):
            self.env["ctrl.checklist"].with_user(self.clerk).create({
                "name": "Forged", "template_id": checklist.template_id.id, "res_model": self.Record._name,
                "res_id": self.record.id, "state": "done"})
        self.assertEqual(checklist.state, "open")


@tagged("post_install", "-at_install")
class TestEscalationStepAttacks(CtrlBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.env["res.company"].create({"name": "Other Co"})
        set_ctrl_live(cls.other)
        cls.ladder = cls.env["ctrl.escalation.ladder"].create({
            "name": "Shared ladder", "code": "test_shared", "model_id": cls.model.id, "date_field": "date_ref",
            "company_id": False,
            "level_ids": [Command.create({"name": "Remind", "days": 1, "callback": "_ctrl_escalation_count"}),
                          Command.create({"name": "Escalate", "days": 5, "callback": "_ctrl_escalation_count"})]})
        cls.today = date(2026, 3, 31)
        cls.mine = cls.Record.create({"name": "Mine", "date_ref": cls.today - timedelta(days=2)})
        cls.theirs = cls.Record.create({"name": "Theirs", "company_id": cls.other.id,
                                        "date_ref": cls.today - timedelta(days=2)})
        cls.ladder._run_all(today=cls.today)
        cls.outsider = new_test_user(cls.env, "ctrl_other_admin", groups="base.group_user,ctrl_base.group_ctrl_manager",
                                     company_id=cls.other.id, company_ids=[Command.set(cls.other.ids)])

    def test_steps_carry_the_records_company(self):
        self.assertEqual(self.mine.ctrl_escalation_step_ids.company_id, self.company)
        self.assertEqual(self.theirs.ctrl_escalation_step_ids.company_id, self.other)
        Step = self.env["ctrl.escalation.step"].with_user(self.outsider)
        self.assertFalse(Step.search([("id", "in", self.mine.ctrl_escalation_step_ids.ids)]))
        self.assertTrue(Step.search([("id", "in", self.theirs.ctrl_escalation_step_ids.ids)]))

    def test_steps_are_read_only_even_to_administrators(self):
        step = self.mine.ctrl_escalation_step_ids
        with self.assertRaises(AccessError):
            step.with_user(self.admin_ctrl).unlink()
        with self.assertRaises(AccessError):
            step.with_user(self.admin_ctrl).write({"state": "failed"})
        with self.assertRaises(AccessError):
            self.env["ctrl.escalation.step"].with_user(self.admin_ctrl).create({
                "ladder_id": self.ladder.id, "level_id": self.ladder.level_ids[1].id,
                "res_model": self.Record._name, "res_id": self.mine.id})
        self.assertTrue(step.exists())

    def test_reset_by_an_administrator_is_logged(self):
        step = self.mine.ctrl_escalation_step_ids
        with self.assertRaises(AccessError):
            self.env["ctrl.escalation.reset"].with_user(self.clerk).with_context(
                active_model="ctrl.escalation.step", active_ids=step.ids).create({"reason": "wrong date"})
        with self.assertRaisesRegex(AccessError, "Only an Internal Control administrator"):
            step.with_user(self.clerk)._ctrl_reset("wrong date")
        with self.assertRaisesRegex(UserError, "reason"):
            step.with_user(self.admin_ctrl)._ctrl_reset("  ")
        self.env["ctrl.escalation.reset"].with_user(self.admin_ctrl).with_context(
            active_model="ctrl.escalation.step", active_ids=step.ids).create(
            {"reason": "due date was corrected"}).action_confirm()
        self.assertFalse(self.mine.ctrl_escalation_step_ids)
        self.assertIn("due date was corrected", self.mine.message_ids[0].body)
        self.assertIn(self.admin_ctrl.name, self.mine.message_ids[0].body)
        self.ladder._run_all(today=self.today)
        self.assertTrue(self.mine.ctrl_escalation_step_ids, "the next run acts again")
