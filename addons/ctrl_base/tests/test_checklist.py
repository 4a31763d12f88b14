# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import CtrlBaseCase


@tagged("post_install", "-at_install")
class TestChecklist(CtrlBaseCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.template = cls.env["ctrl.checklist.template"].create({
            "name": "Handover",
            "code": "test_handover",
            "deadline_days": 30,
            "item_ids": [
                (0, 0, {"code": "data", "name": "Back up work data", "mandatory": True,
                        "check_method": "_ctrl_checklist_check_ready"}),
                (0, 0, {"code": "media", "name": "Return media", "mandatory": True,
                        "responsible_group_id": cls.env.ref("ctrl_base.group_ctrl_manager").id}),
                (0, 0, {"code": "card", "name": "Return the badge", "mandatory": False}),
            ],
        })
        cls.record = cls.Record.create({"name": "Leaving employee"})

    def _start(self):
        return self.record.with_user(self.clerk)._ctrl_checklist_start("test_handover")

    def test_start_is_idempotent(self):
        checklist = self._start()
        self.assertEqual(len(checklist.line_ids), 3)
        self.assertEqual(self._start(), checklist)
        self.assertEqual(self.record.ctrl_checklist_count, 1)
        self.assertEqual((checklist.date_deadline - checklist.date_start).days, 30)

    def test_sign_off_flow(self):
        checklist = self._start()
        data, media, card = checklist.line_ids.sorted("sequence")
        with self.assertRaisesRegex(UserError, "not ready"):
            data.with_user(self.clerk).action_sign()
        self.record.ready = True
        data.with_user(self.clerk).action_sign()
        self.assertEqual((data.state, data.signed_by_id), ("done", self.clerk))
        with self.assertRaises(AccessError):
            media.with_user(self.clerk).action_sign()
        with self.assertRaisesRegex(UserError, "mandatory items are still open"):
            checklist.action_complete()
        media.with_user(self.admin_ctrl).action_sign()
        card.with_user(self.clerk).action_not_applicable()
        checklist.action_complete()
        self.assertEqual(checklist.state, "done")
        self.assertTrue(self.record._ctrl_checklist_closed("test_handover"))
        self.assertEqual(checklist.progress, 100.0)

    def test_mandatory_cannot_be_na(self):
        checklist = self._start()
        with self.assertRaisesRegex(UserError, "mandatory"):
            checklist.line_ids.filtered("mandatory")[:1].action_not_applicable()

    def test_sign_fields_not_writable(self):
        line = self._start().line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.clerk).write({"state": "done"})

    def test_override_by_manager_with_reason(self):
        checklist = self._start()
        with self.assertRaises(AccessError):
            checklist.with_user(self.clerk)._override("leaving today")
        with self.assertRaisesRegex(UserError, "reason"):
            checklist.with_user(self.admin_ctrl)._override(" ")
        wizard = self.env["ctrl.checklist.override"].with_user(self.admin_ctrl).create(
            {"checklist_id": checklist.id, "reason": "Left abroad; IT signs later"})
        wizard.action_confirm()
        self.assertEqual(checklist.state, "override")
        self.assertEqual(checklist.override_user_id, self.admin_ctrl)
        self.assertIn("Left abroad", checklist.message_ids[0].body)
        self.assertTrue(self.record._ctrl_checklist_closed("test_handover"))

    def test_closed_checklist_locked(self):
        checklist = self._start()
        checklist.with_user(self.admin_ctrl)._override("done elsewhere")
        with self.assertRaises(UserError):
            checklist.line_ids[:1].action_sign()

    def test_bad_check_method(self):
        with self.assertRaises(ValidationError):
            self.template.item_ids[:1].check_method = "unlink"

    def test_departure_template_shipped(self):
        template = self.env.ref("ctrl_base.checklist_template_departure")
        self.assertEqual(self.env["ctrl.checklist.template"]._for("departure"), template)
