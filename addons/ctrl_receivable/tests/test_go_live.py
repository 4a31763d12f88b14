# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.tests import new_test_user, tagged

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

    def test_every_ctrl_cron_after_go_live_spares_history(self):
        """Years of history, then the go-live: every scheduled action of every ctrl addon runs (as the
        scheduler would, until none has work left) and no old invoice gets a deduction, hold, case,
        activity or collection state, under either default choice for older documents."""
        old = (self._overdue(1100, partner=self.old_customer) | self._overdue(400, partner=self.old_customer)
               | self._overdue(70, partner=self.old_customer))
        crons = self.env["ir.cron"].with_context(active_test=False).search([]).filtered(
            lambda c: (c.get_external_id().get(c.id) or "").startswith("ctrl_"))
        self.assertGreater(len(crons), 10)
        for policy in ("ignore", "place"):
            set_ctrl_live(self.company, go_live=self.today, policy=policy)
            for _round in range(3):  # later rounds catch work a first round left
                for cron in crons:
                    cron.ir_actions_server_id.with_user(cron.user_id).run()
            self.env.flush_all()
            self.assertEqual(self._penalties(old, self.old_customer), self._nothing(), policy)
            self.assertFalse(self.env["ctrl.recv.accountability"].search_count(
                [("partner_id", "=", self.old_customer.id)]), policy)

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


@tagged("post_install", "-at_install")
class TestGoLivePreview(CollectionCase):
    """Issue #24: the preview counts what activation then does, holds, cases and deductions included."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.company"].search([]).sudo().action_ctrl_deactivate()
        cls.company.sudo().write({"ctrl_go_live_date": cls.today - timedelta(days=40), "ctrl_backlog_policy": "place"})
        cls.ctrl_admin = new_test_user(cls.env, "recv_ctrl_admin",
                                       groups="base.group_user,ctrl_base.group_ctrl_manager",
                                       company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.old_customer = cls.env["res.partner"].create({"name": "Old Customer", "is_company": True})
        cls.second = cls.env["res.partner"].create({"name": "Second Customer", "is_company": True})

    def _figures(self, moves):
        company = [("company_id", "=", self.company.id)]
        Step = self.env["ctrl.escalation.step"]
        deductions = self.env["ctrl.recv.accountability"].search(company + [("kind", "=", "deduction")])
        return {
            "acted": Step.search_count(company + [("state", "=", "done")]),
            "placed": Step.search_count(company + [("state", "=", "skipped")]),
            "activities": self.env["mail.activity"].sudo().search_count([]),
            "holds": self.env["ctrl.credit.hold"].search_count(company + [("reason", "=", "collection")]),
            "cases": self.env["ctrl.collection.case"].search_count(company),
            "deductions": len(deductions),
            "deducted": sum(deductions.mapped("amount")),
            "mails": self.env["mail.mail"].search_count([("model", "=", "account.move"), ("res_id", "in", moves.ids)]),
        }

    def test_preview_counts_what_activation_does(self):
        old = self._overdue(400, partner=self.old_customer)  # level 3 long before the go-live: recorded only
        # Due before the go-live, but past 61 days only after it: acted on (hold, legal case, 50%).
        late = self._overdue(65, amount=2000.0) | self._overdue(70, amount=500.0, partner=self.second)
        middle = self._overdue(15, amount=1000.0)  # level 2: the VP visits, 20%
        fresh = self._overdue(3, partner=self.second)  # level 1: the salesperson phones, the customer is mailed
        moves = old | late | middle | fresh
        before = self._figures(moves)
        preview = self.env["ctrl.go.live.preview"].with_user(self.ctrl_admin)._ctrl_compute(self.company)
        self.assertEqual(self._figures(moves), before, "the preview writes nothing but itself")
        self.assertFalse(self.company.ctrl_live)
        by_level = {line.level_id: line for line in preview.line_ids if line.ladder_id == self.ladder}
        self.assertEqual(
            [(line.record_count, line.placed_count, line.group_count, line.mail_count, line.ctrl_recv_hold_count,
              line.ctrl_recv_case_count, line.ctrl_recv_deduction_count, line.ctrl_recv_deduction_amount)
             for line in (by_level[self.level_1], by_level[self.level_2], by_level[self.level_3])],
            [(1, 0, 1, 1, 0, 0, 0, 0.0), (1, 0, 1, 0, 0, 0, 1, 200.0), (2, 1, 2, 0, 2, 2, 2, 1250.0)])
        self.assertEqual(by_level[self.level_1].user_ids, self.salesperson)
        self.assertIn(self.gm, by_level[self.level_3].user_ids)
        self.assertIn(self.salesperson, by_level[self.level_3].user_ids, "new holds and cases: the salesperson")
        lines = preview.line_ids
        expected = {
            "acted": sum(lines.mapped("record_count")), "placed": sum(lines.mapped("placed_count")),
            "activities": sum(lines.mapped("activity_count")), "holds": sum(lines.mapped("ctrl_recv_hold_count")),
            "cases": sum(lines.mapped("ctrl_recv_case_count")),
            "deductions": sum(lines.mapped("ctrl_recv_deduction_count")),
            "deducted": sum(lines.mapped("ctrl_recv_deduction_amount")), "mails": sum(lines.mapped("mail_count")),
        }
        # Activation, then the next run of the ladders the preview covered.
        activities = self.env["mail.activity"].sudo().search([])
        self.company.with_user(self.ctrl_admin).action_ctrl_activate()
        lines.ladder_id.sudo()._run_all(today=self.today)
        after = self._figures(moves)
        self.assertEqual({key: after[key] - before[key] for key in after}, expected)
        self.assertEqual((self.env["mail.activity"].sudo().search([]) - activities).user_id, lines.user_ids)
        self.assertEqual(old.ctrl_recv_level_id, self.level_3)
        self.assertEqual(old.ctrl_escalation_step_ids.state, "skipped")

    def test_preview_counts_the_overdue_states_and_suspensions(self):
        old = self._overdue(400, partner=self.old_customer)  # due before the go-live: never given a state
        recent = self._overdue(3) | self._overdue(20) | self._overdue(35, partner=self.second)
        # Under collection for 31 days already: the next run suspends its customer.
        held = self._overdue(70, partner=self.second)
        self.env.cr.execute("""UPDATE account_move SET ctrl_recv_d13_state = 'collection', ctrl_recv_d13_since = %s
                                WHERE id = %s""", (self.today - timedelta(days=31), held.id))
        held.invalidate_recordset()
        Hold = self.env["ctrl.credit.hold"]
        suspensions = [("reason", "=", "d13_suspension"), ("company_id", "=", self.company.id)]
        preview = self.env["ctrl.go.live.preview"].with_user(self.ctrl_admin)._ctrl_compute(self.company)
        self.assertFalse(Hold.search(suspensions), "the preview suspends no one")
        self.assertFalse((old | recent).filtered("ctrl_recv_d13_state"), "the preview writes no state")
        self.company.with_user(self.ctrl_admin).action_ctrl_activate()
        self.env["account.move"]._ctrl_recv_update_d13(self.today)
        states = (old | recent).mapped("ctrl_recv_d13_state")
        self.assertFalse(old.ctrl_recv_d13_state)
        self.assertEqual((preview.ctrl_recv_d13_unpaid_count, preview.ctrl_recv_d13_collection_count),
                         (states.count("unpaid"), states.count("collection")))
        self.assertEqual(Hold.search(suspensions).partner_id, self.second)
        self.assertEqual(preview.ctrl_recv_suspension_count, 1)
        under_collection = (old | recent | held).filtered(lambda m: m.ctrl_recv_d13_state == "collection")
        self.assertEqual(preview.ctrl_recv_collection_partner_count, len(under_collection.commercial_partner_id))
