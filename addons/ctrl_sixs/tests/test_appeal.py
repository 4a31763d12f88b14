# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestAppeal(SixsCase):
    def setUp(self):
        super().setUp()
        self.audit_rec = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 3, 3)])
        self.line = self.audit_rec.line_ids.filtered(lambda li: li.result == "nok")
        self.appeal = self.env["ctrl.sixs.appeal"].with_user(self.worker_a.user_id).create({
            "line_id": self.line.id, "reason": "The boxes belong to the night shift."})
        self.appeal.action_submit()

    def test_accepted_appeal_cancels_the_points(self):
        self.assertEqual(self.ledger(self.worker_a).mapped("points"), [-3.0])
        self.appeal.with_user(self.manager).action_accept("Night shift left them; charge the night team.")
        self.assertEqual(self.appeal.state, "accepted")
        self.assertEqual(self.appeal.arbiter_id, self.manager)
        self.assertEqual((self.line.result, self.line.points), ("na", 0.0))
        self.assertFalse(self.ledger(self.worker_a))
        self.assertTrue(self.audit_rec.message_ids.filtered(lambda m: "Night shift left them" in m.body))

    def test_rejected_appeal_keeps_the_points(self):
        self.appeal.with_user(self.manager).action_reject("Photo shows the day shift's boxes.")
        self.assertEqual(self.appeal.state, "rejected")
        self.assertEqual(self.ledger(self.worker_a).mapped("points"), [-3.0])
        self.assertTrue(self.appeal.message_ids.filtered(lambda m: "rejected by" in m.body))

    def test_only_the_arbiter_group_decides(self):
        with self.assertRaisesRegex(AccessError, "arbiter group"):
            self.appeal.with_user(self.inspector).action_accept("I agree")
        # The arbiter group is a setting.
        self.company.ctrl_sixs_arbiter_group_id = self.env.ref("ctrl_sixs.group_sixs_inspector")
        self.appeal.with_user(self.inspector).action_accept("Agreed")
        self.assertEqual(self.appeal.state, "accepted")

    def test_decision_needs_a_note_and_not_the_appellant(self):
        with self.assertRaisesRegex(UserError, "reasons for the decision"):
            self.appeal.with_user(self.manager).action_accept()
        self.appeal.sudo().appellant_id = self.manager
        with self.assertRaisesRegex(UserError, "own appeal"):
            self.appeal.with_user(self.manager).action_reject("No")
        self.assertEqual(self.appeal.state, "submitted")
