# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestPredueReminder(CollectionCase):
    """001/AR02.16: a written reminder N days before the due date, asking the
    customer for a payment plan; N is the company's (blank in the policy)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ctrl_recv_predue_days = 7

    def _due_in(self, days, amount=1000.0):
        due = self.today + timedelta(days=days)
        return self._invoice(amount, min(due, self.today) - timedelta(days=30), due=due, user=self.salesperson)

    def _own_mails(self, moves):
        return self.env["mail.mail"].search([("model", "=", "account.move"), ("res_id", "in", moves.ids)])

    def test_level_follows_the_setting(self):
        self.assertEqual((self.predue_level.days, self.predue_level.activity_deadline_days), (-7, 7))
        self.company.ctrl_recv_predue_days = 10
        self.assertEqual((self.predue_level.days, self.predue_level.activity_deadline_days), (-10, 10))
        with self.assertRaisesRegex(ValidationError, "Written reminder before the due date"):
            self.company.ctrl_recv_predue_days = -1
        with self.assertRaisesRegex(ValidationError, "Written reminder before the due date"):
            self.company.ctrl_recv_predue_days = 91

    def test_fires_in_its_window_once(self):
        soon, due_today, later = self._due_in(5), self._due_in(0), self._due_in(10)
        overdue = self._overdue(3)
        self._run()
        for move in soon | due_today:
            self.assertEqual(len(self._events(move, "predue")), 1, move.name)
            self.assertFalse(move.ctrl_recv_level_id, "not in collection before it is due")
            mail = self._own_mails(move)
            self.assertEqual(len(mail), 1)
            self.assertIn("falls due", mail.body_html)
            self.assertIn("payment plan", mail.body_html)
        activity = (soon | due_today).activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertEqual(len(activity), 1, "one activity per customer")
        self.assertIn("payment plan", activity.summary)
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=7))
        self.assertFalse(self._events(later, "predue"), "10 days before the due date: not yet")
        self.assertFalse(self._events(overdue, "predue"), "an overdue invoice gets the collection ladder")
        self.assertEqual(overdue.ctrl_recv_level_id, self.level_1)
        # Rerun on the same day: nothing twice.
        counts = (self.env["ctrl.collection.event"].search_count([]), self.env["mail.mail"].search_count([]),
                  self.env["mail.activity"].search_count([]))
        self.assertEqual(self._run(), 0)
        self.assertEqual(counts, (self.env["ctrl.collection.event"].search_count([]),
                                  self.env["mail.mail"].search_count([]),
                                  self.env["mail.activity"].search_count([])))
        # Three days on: the later invoice enters its window; the reminded ones are not reminded again.
        self._run(self.today + timedelta(days=3))
        self.assertEqual(len(self._events(later, "predue")), 1)
        self.assertEqual(len(self._events(soon, "predue")), 1)
        self.assertEqual(due_today.ctrl_recv_level_id, self.level_1, "overdue now: the collection ladder goes on")
        self.assertEqual(len(self._events(due_today, "predue")), 1)

    def test_off_without_days(self):
        self.company.ctrl_recv_predue_days = 0
        soon = self._due_in(3)
        self._run()
        self.assertFalse(self._events(soon, "predue"))
        self.assertFalse(self._own_mails(soon))
        self._run(self.today + timedelta(days=4))
        self.assertEqual(soon.ctrl_recv_level_id, self.level_1, "the collection ladder is unchanged")

    def test_missed_activity_does_not_make_it_overdue_early(self):
        soon = self._due_in(5)
        self._run()
        activity = soon.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        activity.date_deadline = self.today - timedelta(days=1)
        self._run(self.today + timedelta(days=2))
        self.assertFalse(soon.ctrl_recv_level_id, "not due yet: no collection level for a missed activity")
        self._run(self.today + timedelta(days=6))
        self.assertEqual(soon.ctrl_recv_level_id, self.level_1)

    def test_broken_promise_skips_the_reminder(self):
        overdue = self._overdue(3)
        self.env["ctrl.collection.promise"].create({"move_id": overdue.id, "date": self.today, "amount": 500.0})
        self.env["ctrl.collection.promise"]._ctrl_settle_due(self.today + timedelta(days=1))
        self.assertEqual(overdue.ctrl_recv_level_id, self.level_1, "a broken promise escalates to collection")
        self.assertFalse(self._events(overdue, "predue"))

    def test_promise_before_the_due_date_pauses_the_reminder(self):
        soon = self._due_in(5)
        self.env["ctrl.collection.promise"].create({"move_id": soon.id, "date": soon.invoice_date_due,
                                                    "amount": 1000.0})
        self._run()
        self.assertFalse(self._events(soon, "predue"), "the customer already said when it pays")

    def test_wrong_users(self):
        soon = self._due_in(5)
        self._run()
        event = self._events(soon, "predue")
        with self.assertRaises(AccessError):
            self.company.with_user(self.salesperson).ctrl_recv_predue_days = 30
        with self.assertRaises(AccessError):
            self.predue_level.with_user(self.salesperson).days = -30
        with self.assertRaises(AccessError):
            event.with_user(self.salesperson).kind = "mail"
        with self.assertRaises(AccessError):
            event.with_user(self.salesperson).unlink()
        step = self.env["ctrl.escalation.step"].search([("level_id", "=", self.predue_level.id),
                                                        ("res_id", "=", soon.id)])
        self.assertTrue(step)
        with self.assertRaises(AccessError):
            step.with_user(self.salesperson).unlink()
        with self.assertRaises(AccessError):
            soon.with_user(self.salesperson).write({"ctrl_recv_level_id": self.predue_level.id})
        self.assertEqual(self.predue_level.days, -7)
