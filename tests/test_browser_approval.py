# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser flow: an approver approves a waiting request in the web client."""
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import load_test_models


@tagged("post_install", "-at_install")
class TestApprovalTour(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_test_models(cls)

    def test_approver_approves_in_browser(self):
        env = self.env
        model = env["ir.model"]._get("ctrl.base.test.record")
        group = env.ref("ctrl_base.group_approver_gm")
        env["ctrl.approval.rule"].create({
            "name": "Tour rule", "model_id": model.id, "kind": "tour",
            "step_ids": [(0, 0, {"name": "GM", "group_id": group.id})],
        })
        clerk = new_test_user(env, "tour_clerk", name="Li Na", groups="base.group_user,ctrl_base.group_ctrl_user")
        approver = new_test_user(env, "tour_gm", name="Guo Qiang", groups="base.group_user,ctrl_base.group_approver_gm")
        record = env["ctrl.base.test.record"].with_user(clerk).create({"name": "Tour deal", "amount_total": 10})
        request = record._ctrl_request_approval(kind="tour")
        self.assertIn(approver, request.sudo().activity_ids.user_id)

        self.start_tour("/odoo", "ctrl_approval_tour", login="tour_gm")

        self.assertEqual(request.state, "approved")
        self.assertTrue(record.approved)
        self.assertEqual(request.step_ids.user_id, approver)
        self.assertEqual(request.step_ids.comment, "Checked the figures")
