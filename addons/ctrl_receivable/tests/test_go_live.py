# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.tests import tagged

from odoo.addons.ctrl_base.tests.common import set_ctrl_live

from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestGoLive(CollectionCase):
    """Issue #24: installing ctrl into years of history penalises nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old_customer = cls.env["res.partner"].create({"name": "Old Customer", "is_company": True})

    def _penalties(self, moves, partner):
        """What the collection cron did to ``moves`` and ``partner``."""
        return {
            "steps": self.env["ctrl.escalation.step"].search_count([("res_model", "=", "account.move"),
                                                                    ("res_id", "in", moves.ids),
                                                                    ("state", "!=", "skipped")]),
            "d13": [state for state in moves.mapped("ctrl_recv_d13_state") if state],
            "activities": len(moves.activity_ids),
            "holds": self.env["ctrl.credit.hold"].search_count([("partner_id", "=", partner.id)]),
            "cases": self.env["ctrl.collection.case"].search_count([("partner_id", "=", partner.id)]),
            "deductions": self.env["ctrl.recv.accountability"].search_count([("move_id", "in", moves.ids)]),
        }

    def _nothing(self):
        return {"steps": 0, "d13": [], "activities": 0, "holds": 0, "cases": 0, "deductions": 0}

    def test_not_live_company_gets_nothing(self):
        self.company.sudo().action_ctrl_deactivate()
        moves = self._overdue(400, partner=self.old_customer) | self._overdue(70, partner=self.old_customer)
        self.env["account.move"]._cron_collection_escalation()
        self.assertEqual(self._penalties(moves, self.old_customer), self._nothing())
        self.assertFalse(moves.mapped("ctrl_recv_level_id"))

    def test_ignore_history_escalate_new(self):
        set_ctrl_live(self.company, go_live=self.today - timedelta(days=40), policy="ignore")
        old = self._overdue(400, partner=self.old_customer) | self._overdue(70, partner=self.old_customer)
        new = self._overdue(15)
        self.env["account.move"]._cron_collection_escalation()
        self.env["account.move"]._ctrl_recv_update_d13(self.today + timedelta(days=100))
        self.ladder.sudo()._run_all(today=self.today + timedelta(days=100))
        self.assertEqual(self._penalties(old, self.old_customer), self._nothing())
        self.assertFalse(old.mapped("ctrl_recv_level_id"))
        self.assertTrue(new.ctrl_recv_level_id, "an invoice due after the go-live date is escalated")

    def test_place_history_at_its_level_without_acting(self):
        set_ctrl_live(self.company, go_live=self.today - timedelta(days=40), policy="place")
        old = self._overdue(400, partner=self.old_customer)
        self.env["account.move"]._cron_collection_escalation()
        self.assertEqual(old.ctrl_recv_level_id, self.level_3, "recorded at the level it reached")
        self.assertEqual(old.ctrl_escalation_step_ids.state, "skipped")
        self.assertEqual(self._penalties(old, self.old_customer), self._nothing())

    def test_not_live_promises_wait(self):
        move = self._overdue(3)
        Promise = self.env["ctrl.collection.promise"]
        promise = Promise.create({"move_id": move.id, "date": self.today + timedelta(days=5), "amount": 400.0})
        self.company.sudo().action_ctrl_deactivate()
        Promise._ctrl_settle_due(self.today + timedelta(days=6))
        self.assertEqual(promise.state, "pending")
        self.assertEqual(move.ctrl_recv_promise_date, promise.date)
        self.assertFalse(self._events(move, "promise_broken"))
        set_ctrl_live(self.company)
        Promise._ctrl_settle_due(self.today + timedelta(days=6))
        self.assertEqual(promise.state, "broken")
        self.assertTrue(self._events(move, "promise_broken"))
