# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError

from ..models.ctrl_sixs_training import quarter_start
from .common import SixsCase


class TestTraining(SixsCase):
    """V14 §7, §10 #39: quarterly 6S training with attendees; a department without one in a
    quarter shows up, and its head loses the 'no 6S training' points (§10 #36)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.dept2 = cls.env["ctrl.sixs.area"].create({"name": "Office", "level": "department",
                                                      "responsible_id": cls.leader2.id})
        cls.quarter = quarter_start(cls.today)

    def training(self, day=None, user=None, **vals):
        return self.env["ctrl.sixs.training"].with_user(user or self.inspector).create(dict({
            "name": "Sort and set in order", "date": day or self.today, "department_area_id": self.dept.id,
            "attendee_ids": [Command.set((self.leader1 | self.worker_a).ids)], "company_id": self.company.id},
            **vals))

    def test_untrained_departments_show_up_and_heads_lose_points(self):
        Area = self.env["ctrl.sixs.area"]
        both = self.dept | self.dept2
        self.assertEqual(Area.search([("untrained_quarter", "=", True), ("id", "in", both.ids)]), both)
        planned = self.training()
        self.assertTrue(self.dept.untrained_quarter, "a planned session is not a training held")
        planned.action_done()
        Area.invalidate_model(["untrained_quarter"])
        self.assertEqual(Area.search([("untrained_quarter", "=", True), ("id", "in", both.ids)]), self.dept2)
        self.assertEqual(Area.search([("untrained_quarter", "=", False), ("id", "in", both.ids)]), self.dept)
        self.assertEqual(planned.quarter, f"{self.today.year}-Q{(self.today.month - 1) // 3 + 1}")
        # The quarterly check: the head of the untrained department, once.
        Training = self.env["ctrl.sixs.training"]
        rows = Training._ctrl_sixs_book_untrained(self.quarter, self.company)
        self.assertEqual((rows.employee_id, rows.area_id, rows.points), (self.leader2, self.dept2, -5.0))
        self.assertFalse(Training._ctrl_sixs_book_untrained(self.quarter, self.company), "once per quarter")
        # The scheduled action checks the quarter that ended: nothing was held in it.
        Training._cron_untrained_departments()
        Training._cron_untrained_departments()
        previous = self.ledger(reason="head_no_training").filtered(lambda p: p.date == self.quarter - timedelta(days=1))
        self.assertEqual(sorted(previous.mapped("employee_id.name")), ["Head", "Leader 2"])

    def test_bad_input(self):
        training = self.training(attendee_ids=[])
        with self.assertRaisesRegex(UserError, "Attendees"):
            training.action_done()
        future = self.training(day=self.today + relativedelta(days=3))
        with self.assertRaisesRegex(UserError, "future"):
            future.action_done()
        training.attendee_ids = self.worker_a
        training.action_done()
        with self.assertRaisesRegex(UserError, "already"):
            training.action_done()

    def test_attacks(self):
        worker = self.worker_a.user_id
        with self.assertRaises(AccessError):
            self.training(user=worker)
        training = self.training()
        with self.assertRaises(AccessError):
            training.with_user(worker).action_done()
        with self.assertRaises(AccessError):
            training.with_user(self.manager).write({"state": "done"})
        training.action_done()
        for vals in ({"attendee_ids": [Command.clear()]}, {"date": self.today - relativedelta(days=1)},
                     {"department_area_id": self.dept2.id}):
            with self.assertRaises(UserError):
                training.with_user(self.manager).write(vals)
        with self.assertRaises(UserError):
            training.with_user(self.manager).unlink()
        self.assertEqual(training.attendee_ids, self.leader1 | self.worker_a)
