# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import Command
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestRota(SixsCase):
    def test_three_months_service(self):
        Rota = self.env["ctrl.sixs.rota"]
        with self.assertRaisesRegex(ValidationError, "3 months' service"):
            Rota.create({"area_id": self.proc1.id, "date": self.today, "employee_id": self.newcomer.id})
        self.assertFalse(Rota.search([("employee_id", "=", self.newcomer.id)]))
        # Eligible once three months have passed.
        later = self.newcomer.ctrl_sixs_service_start + timedelta(days=93)
        self.assertTrue(Rota.create({"area_id": self.proc1.id, "date": later, "employee_id": self.newcomer.id}))
        # The setting is honoured.
        self.company.ctrl_sixs_duty_min_months = 1
        self.assertTrue(Rota.create({"area_id": self.proc2.id, "date": self.today, "employee_id": self.newcomer.id}))

    def test_rotates_daily_among_eligible(self):
        self.proc1.employee_ids = [Command.link(self.newcomer.id)]
        rota = self.env["ctrl.sixs.rota"]._ctrl_sixs_generate(self.proc1, self.today, self.today + timedelta(days=5))
        self.assertEqual(len(rota), 6)
        self.assertNotIn(self.newcomer, rota.employee_id)
        names = rota.sorted("date").employee_id.ids
        officers = rota.sorted("date").mapped("employee_id")
        self.assertEqual(len(officers), 3, "three eligible members take turns")
        self.assertNotEqual(names[0], rota.sorted("date")[1].employee_id.id)
        again = self.env["ctrl.sixs.rota"]._ctrl_sixs_generate(self.proc1, self.today, self.today + timedelta(days=5))
        self.assertFalse(again, "existing days are kept")

    def test_no_eligible_member(self):
        area = self.env["ctrl.sixs.area"].create({"name": "New team", "level": "process", "parent_id": self.dept.id,
                                                  "employee_ids": [Command.set(self.newcomer.ids)]})
        with self.assertRaisesRegex(UserError, "months' service"):
            self.env["ctrl.sixs.rota"]._ctrl_sixs_generate(area, self.today, self.today)
