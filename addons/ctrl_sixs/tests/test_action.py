# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestCorrectiveAction(SixsCase):
    def test_cycle_fail_then_pass(self):
        audit = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)], user=self.inspector)
        action = audit.action_ids
        self.assertEqual(len(action), 1)
        self.assertEqual((action.owner_id, action.inspector_user_id, action.state),
                         (self.worker_a, self.inspector, "open"))
        self.assertEqual(action.deadline, self.today + timedelta(days=7))
        owner_env = action.with_user(self.worker_a.user_id)
        with self.assertRaisesRegex(UserError, "What was done"):
            owner_env.action_mark_done()
        owner_env.action_mark_done("Aisle cleared, floor line repainted")
        self.assertEqual(action.state, "done")
        action.with_user(self.inspector).action_verify(False, "Boxes back in the aisle")
        self.assertEqual((action.state, action.fail_count), ("open", 1))
        penalty = self.ledger(reason="failed_verification")
        self.assertEqual((penalty.points, penalty.area_id, penalty.employee_id), (-5.0, self.dept, self.head))
        self.assertIn(self.zone1.id, self.zone1._ctrl_sixs_award_blocked_ids())
        owner_env.action_mark_done("Boxes moved to the marked zone")
        action.with_user(self.inspector).action_verify(True, "OK")
        self.assertEqual(action.state, "verified")
        self.assertFalse(self.zone1.award_blocked)

    def test_late_action_via_escalation_ladder(self):
        audit = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        action = audit.action_ids
        action.deadline = self.today - timedelta(days=2)
        self.assertTrue(self.zone1.award_blocked)
        ladder = self.env.ref("ctrl_sixs.escalation_ladder_action_deadline")
        ladder._run_all()
        self.assertTrue(action.is_late)
        self.assertEqual(self.ledger(reason="late_action").points, -3.0)
        self.assertEqual(action.activity_ids.user_id, self.worker_a.user_id)
        ladder._run_all()
        self.assertEqual(len(self.ledger(reason="late_action")), 1, "the ladder fires once")
        # Done late: no second penalty.
        action.with_user(self.worker_a.user_id).action_mark_done("Cleared")
        self.assertEqual(len(self.ledger(reason="late_action")), 1)

    def test_done_after_deadline_is_late(self):
        action = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)]).action_ids
        action.deadline = self.today - timedelta(days=1)
        action.with_user(self.worker_a.user_id).action_mark_done("Cleared a day late")
        self.assertTrue(action.is_late)
        self.assertEqual(self.ledger(reason="late_action").points, -3.0)

    def test_serious_finding_notifies_head_same_day(self):
        audit = self.audit(self.zone1, findings=[(self.item2, self.worker_a, 3, 3)], publish=False)
        audit.with_user(self.inspector).action_done()
        action = audit.action_ids
        self.assertTrue(action.serious)
        activity = action.activity_ids.filtered(lambda a: a.user_id == self.head.user_id)
        self.assertEqual(activity.date_deadline, self.today)
        self.assertEqual(action.deadline, self.today + timedelta(days=1))

    def test_only_inspectors_verify(self):
        action = self.audit(self.zone1, findings=[(self.item1, self.worker_b, 2, 2)]).action_ids
        action.with_user(self.worker_b.user_id).action_mark_done("Done")
        with self.assertRaises(AccessError):
            action.with_user(self.worker_a.user_id).action_verify(True)
        self.assertEqual(action.state, "done")

    def test_award_excluded_while_action_overdue_and_gm_approval(self):
        Award = self.env["ctrl.sixs.award"].with_user(self.manager)
        start = self.today.replace(day=1)
        vals = {"award_type": "model_area", "area_id": self.proc1.id, "period_start": start,
                "period_end": start + timedelta(days=27)}
        action = self.audit(self.zone1, start, findings=[(self.item1, self.worker_a, 2, 2)]).action_ids
        action.deadline = self.today - timedelta(days=1)
        award = Award.create(vals)
        self.assertEqual((award.amount, award.leader_amount), (200.0, 100.0))
        with self.assertRaisesRegex(UserError, "cannot win"):
            award.action_submit()
        self.assertEqual(award.state, "draft")
        action.deadline = self.today + timedelta(days=3)
        award2 = Award.create(dict(vals, area_id=self.proc2.id))
        award2.action_submit()
        self.assertEqual(award2.state, "pending")
        request = award2._ctrl_approval_requests("sixs_award")
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(award2.state, "approved")

    def test_registers_and_reports(self):
        Unneeded = self.env["ctrl.sixs.unneeded.item"]
        item = Unneeded.with_user(self.worker_a.user_id).create({"name": "Old jig", "area_id": self.zone1.id})
        with self.assertRaisesRegex(UserError, "Only 6S managers approve"):
            item.with_user(self.worker_a.user_id).action_approve()
        with self.assertRaisesRegex(UserError, "choose the disposition"):
            item.with_user(self.manager).action_approve()
        item.disposition = "scrap"
        item.with_user(self.manager).action_approve()
        item.action_done()
        self.assertEqual((item.state, item.approver_id), ("done", self.manager))
        position = self.env["ctrl.sixs.fixed.position"].create({
            "location_code": "A-01", "name": "Turnover boxes", "area_id": self.zone1.id, "max_quantity": 20})
        position.max_quantity = 30
        self.assertFalse(position.label_updated, "a change needs the label updated (V09)")
        audit = self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        html = self.env["ir.actions.report"]._render_qweb_html("ctrl_sixs.report_bulletin", audit.ids)[0]
        self.assertIn(audit.name.encode(), html)
        card = self.env["ir.actions.report"]._render_qweb_html("ctrl_sixs.report_responsibility_card",
                                                              self.zone1.ids)[0]
        self.assertIn(b"Aisles clear", card)
