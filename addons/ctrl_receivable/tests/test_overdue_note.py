# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The overdue reason and the collection plan (001/AR01.20, AR03.25,
000/R11-08): written by the customer's salesperson, sales managers and
receivables managers only."""
from psycopg2 import IntegrityError

from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestOverdueNote(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]
        cls.salesperson = new_test_user(cls.env, "recv_note_sales", groups="sales_team.group_sale_salesman",
                                        company_id=cls.company.id, company_ids=company_ids)
        cls.other_salesperson = new_test_user(
            cls.env, "recv_note_other", groups="sales_team.group_sale_salesman,ctrl_receivable.group_receivable_user",
            company_id=cls.company.id, company_ids=company_ids)
        cls.sales_manager = new_test_user(cls.env, "recv_note_mgr", groups="sales_team.group_sale_manager",
                                          company_id=cls.company.id, company_ids=company_ids)
        cls.customer.user_id = cls.salesperson
        cls.Note = cls.env["ctrl.recv.overdue.note"]

    def _values(self, **values):
        return {"partner_id": self.customer.id, "reason": "funds", "plan": "Weekly calls",
                "planned_amount": 500.0, **values}

    def test_salesperson_records_and_it_is_tracked(self):
        action = self.customer.with_user(self.salesperson).action_ctrl_recv_overdue_note()
        self.assertEqual((action["res_model"], action["res_id"]), ("ctrl.recv.overdue.note", 0))
        note = self.Note.with_user(self.salesperson).create(self._values())
        self.assertEqual(note.company_id, self.company)
        self.assertEqual(note.salesperson_id, self.salesperson)
        note.write({"reason": "dispute", "plan": "Credit note first"})
        self.assertEqual((note.reason, note.plan), ("dispute", "Credit note first"))
        self.assertGreaterEqual(set(note._track_get_fields()),
                                {"reason", "reason_note", "plan", "planned_date", "planned_amount"})
        self.assertEqual(self.customer.action_ctrl_recv_overdue_note()["res_id"], note.id)
        self.assertEqual(self.Note._for_partner(self.customer), note)

    def test_managers_may_write(self):
        note = self.Note.with_user(self.sales_manager).create(self._values())
        note.with_user(self.recv_manager).write({"planned_amount": 800.0})
        self.assertEqual(note.planned_amount, 800.0)

    def test_negative_planned_amount_refused(self):
        note = self.Note.with_user(self.salesperson).create(self._values())
        amount = note.planned_amount
        with self.assertRaisesRegex(ValidationError, "Planned collection amount cannot be negative"):
            note.with_user(self.salesperson).write({"planned_amount": -5.0, "plan": "Changed"})
        self.assertEqual((note.planned_amount, note.plan), (amount, self._values()["plan"]), "nothing half-written")

    def test_wrong_users_are_refused(self):
        with self.assertRaisesRegex(AccessError, "Only the salesperson of Aging Customer"):
            self.Note.with_user(self.other_salesperson).create(self._values())
        with self.assertRaisesRegex(AccessError, "Only the salesperson"):
            self.Note.with_user(self.recv_user).create(self._values())
        note = self.Note.with_user(self.salesperson).create(self._values())
        with self.assertRaisesRegex(AccessError, "Only the salesperson"):
            note.with_user(self.other_salesperson).write({"plan": "Nothing to do"})
        # Moving the note to a customer the salesperson does not hold is refused too.
        other = self.env["res.partner"].create({"name": "Not Mine", "is_company": True,
                                                "user_id": self.other_salesperson.id})
        with self.assertRaisesRegex(AccessError, "Only the salesperson of Not Mine"):
            note.with_user(self.salesperson).write({"partner_id": other.id})
        outsider = new_test_user(self.env, "recv_note_outsider", groups="base.group_user",
                                 company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            note.with_user(outsider).read(["plan"])
        self.assertEqual(note.plan, "Weekly calls")

    def test_one_per_customer_and_company(self):
        self.Note.create(self._values())
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"), self.cr.savepoint():
            self.Note.create(self._values())
        self.assertEqual(self.Note.search_count([("partner_id", "=", self.customer.id)]), 1)
