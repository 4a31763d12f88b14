# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CtrlReceivableCase


# An HttpCase so that wkhtmltopdf, rendering the PDF, reads the report assets on the
# test's own cursor: a separate transaction would wait on the test (odoo-bin -i runs).
@tagged("post_install", "-at_install")
class TestHandover(CtrlReceivableCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_ids = [Command.set(cls.company.ids)]

        def salesman(login):
            return new_test_user(cls.env, login, groups="sales_team.group_sale_salesman",
                                 company_id=cls.company.id, company_ids=company_ids)

        cls.leaver = salesman("ho_leaver")
        cls.successor = salesman("ho_successor")
        cls.supervisor = salesman("ho_supervisor")
        cls.bystander = salesman("ho_bystander")
        Partner = cls.env["res.partner"]
        cls.c1 = Partner.create({"name": "Leaver's customer", "is_company": True, "user_id": cls.leaver.id})
        cls.c2 = Partner.create({"name": "Someone else's customer", "is_company": True,
                                 "user_id": cls.bystander.id})
        cls.c3 = Partner.create({"name": "Leaver's quiet customer", "is_company": True, "user_id": cls.leaver.id})
        cls.inv1 = cls._invoice(1000.0, "2026-10-01", partner=cls.c1, user=cls.leaver)
        cls.inv2 = cls._invoice(400.0, "2026-10-15", partner=cls.c2, user=cls.leaver)
        cls._pay(cls.inv1, 300.0, "2026-10-20")
        paid = cls._invoice(50.0, "2026-10-01", partner=cls.c1, user=cls.leaver)
        cls._pay(paid, 50.0, "2026-10-05")
        cls.not_his = cls._invoice(70.0, "2026-10-01", partner=cls.c1, user=cls.bystander)

    def _handover(self, **vals):
        return self.env["ctrl.receivable.handover"].create({
            "user_id": self.leaver.id, "successor_id": self.successor.id, "supervisor_id": self.supervisor.id,
            **vals,
        })

    def _signed(self):
        handover = self._handover()
        handover.action_confirm()
        handover.with_user(self.leaver).action_sign_out()
        handover.with_user(self.successor).action_sign_in()
        handover.with_user(self.supervisor).action_sign_supervisor()
        return handover

    # ------------------------------------------------------------------
    def test_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "Successor: .* cannot hand over to themselves"):
            self._handover(successor_id=self.leaver.id)
        archived = new_test_user(self.env, "ho_gone", groups="sales_team.group_sale_salesman")
        archived.active = False
        with self.assertRaisesRegex(ValidationError, "Successor: .* is archived"):
            self._handover(successor_id=archived.id)
        with self.assertRaisesRegex(ValidationError, "Supervisor: .*third person"):
            self._handover(supervisor_id=self.successor.id)
        self.assertFalse(self.env["ctrl.receivable.handover"].search([("user_id", "=", self.leaver.id)]),
                         "nothing half-created")

    def test_list_at_confirm(self):
        handover = self._handover()
        handover.action_confirm()
        self.assertEqual(handover.state, "confirmed")
        partners = handover.line_ids.filtered(lambda line: line.line_type == "partner")
        invoices = handover.line_ids.filtered(lambda line: line.line_type == "invoice")
        self.assertEqual(partners.partner_id, self.c1 | self.c3, "customers whose salesperson leaves")
        self.assertEqual(invoices.move_id, self.inv1 | self.inv2, "his open invoices only, not the paid one")
        self.assertEqual(invoices.filtered(lambda line: line.move_id == self.inv1).amount, 700.0)
        self.assertEqual(partners.filtered(lambda line: line.partner_id == self.c1).amount, 700.0)
        self.assertEqual(handover.amount_open, 1100.0)
        self.assertEqual(len(handover.activity_ids), 3, "each party is asked to sign")
        with self.assertRaisesRegex(UserError, "parties of a handover change only in draft"):
            handover.successor_id = self.bystander

    def test_signatures_only_by_the_party(self):
        handover = self._handover()
        with self.assertRaisesRegex(UserError, "this needs it To sign"):
            handover.with_user(self.leaver).action_sign_out()
        handover.action_confirm()
        with self.assertRaisesRegex(AccessError, "only ho_successor"):
            handover.with_user(self.leaver).action_sign_in()
        with self.assertRaisesRegex(AccessError, "only ho_leaver"):
            handover.action_sign_out()  # the administrator neither
        handover.with_user(self.leaver).action_sign_out()
        with self.assertRaisesRegex(UserError, "already signed"):
            handover.with_user(self.leaver).action_sign_out()
        handover.with_user(self.successor).action_sign_in()
        self.assertEqual(handover.state, "confirmed")
        handover.with_user(self.supervisor).action_sign_supervisor()
        self.assertEqual(handover.state, "signed")
        self.assertTrue(handover.date_signed_out and handover.date_signed_in and handover.date_signed_supervisor)
        with self.assertRaises(AccessError):
            handover.with_user(self.bystander).read(["name"])

    def test_transfer(self):
        confirmation = self.env["ctrl.balance.confirmation"].create(
            {"partner_id": self.c1.id, "date": date(2026, 10, 31), "user_id": self.leaver.id})
        on_invoice = self.inv1.activity_schedule("mail.mail_activity_data_todo", user_id=self.leaver.id,
                                                 summary="Call about the invoice")
        on_partner = self.c3.activity_schedule("mail.mail_activity_data_todo", user_id=self.leaver.id)
        elsewhere = self.not_his.activity_schedule("mail.mail_activity_data_todo", user_id=self.leaver.id)
        handover = self._signed()
        with self.assertRaisesRegex(AccessError, "Only the supervisor"):
            handover.with_user(self.leaver).action_transfer()
        handover.with_user(self.supervisor).action_transfer()
        self.assertEqual(handover.state, "done")
        self.assertEqual((self.c1 | self.c3).user_id, self.successor)
        self.assertEqual(self.c2.user_id, self.bystander, "not his customer")
        self.assertEqual((self.inv1 | self.inv2).invoice_user_id, self.successor)
        self.assertEqual(self.not_his.invoice_user_id, self.bystander)
        self.assertEqual((on_invoice | on_partner).user_id, self.successor)
        self.assertEqual(elsewhere.user_id, self.leaver)
        self.assertEqual(confirmation.user_id, self.successor, "the hook moved the balance confirmation")
        deadline = fields.Date.context_today(handover) + relativedelta(months=1)
        self.assertEqual(handover.date_collect_deadline, deadline)
        collect = handover.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("ctrl_receivable.mail_activity_handover_collect"))
        recheck = handover.activity_ids.filtered(
            lambda a: a.activity_type_id == self.env.ref("ctrl_receivable.mail_activity_handover_recheck"))
        self.assertEqual((collect.user_id, collect.date_deadline), (self.leaver, deadline))
        self.assertEqual((recheck.user_id, recheck.date_deadline), (self.supervisor, deadline))
        self.assertEqual(handover.amount_unsettled, 1100.0)
        handover.invoice_line_ids.filtered(lambda line: line.move_id == self.inv2).write(
            {"guaranteed": True, "guarantee_note": "Letter of guarantee"})
        self._pay(self.inv1, 700.0, "2026-11-20")
        handover.invalidate_recordset()
        self.assertEqual(handover.amount_unsettled, 0.0, "collected or guaranteed")
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            handover.unlink()

    def test_transfer_successor_archived_since(self):
        handover = self._signed()
        self.successor.active = False
        with self.assertRaisesRegex(ValidationError, "Successor: .* archived since the list was signed"):
            handover.with_user(self.supervisor).action_transfer()
        self.assertEqual(self.inv1.invoice_user_id, self.leaver, "nothing moved")
        self.assertEqual(handover.state, "signed")

    def test_handover_pdf(self):
        handover = self._signed()
        report = self.env.ref("ctrl_receivable.action_report_receivable_handover")
        html = report._render_qweb_html(report.report_name, handover.ids)[0].decode()
        for text in (self.inv1.name, "ho_leaver", "ho_successor", "ho_supervisor", "Supervised by"):
            self.assertIn(text, html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, handover.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_archive_user_warn_or_block(self):
        self.assertEqual(self.company.ctrl_recv_handover_archive_mode, "warn")
        self.leaver.active = False
        self.assertFalse(self.leaver.active)
        self.assertIn("Archived with open receivables", self.leaver.partner_id.message_ids[:1].body)
        self.leaver.active = True
        # 001/AR01.11: the seed policy blocks it.
        self.company.ctrl_policy = "seed"
        self.assertEqual(self.company.ctrl_recv_handover_archive_mode, "block")
        with self.assertRaisesRegex(UserError, "Archiving ho_leaver.* is blocked .* 2 open invoices"):
            self.leaver.active = False
        self.assertTrue(self.leaver.active)
        self.supervisor.action_archive()  # no receivables: no check
        self.assertFalse(self.supervisor.active)
        self.supervisor.active = True
        self._signed().with_user(self.supervisor).action_transfer()
        self.leaver.active = False
        self.assertFalse(self.leaver.active, "handed over: archiving passes")

    def test_departure_checklist(self):
        employee = self.env["hr.employee"].create({"name": "Leaver", "user_id": self.leaver.id,
                                                   "company_id": self.company.id})
        wizard = self.env["hr.departure.wizard"].create({
            "employee_id": employee.id, "departure_date": date(2026, 12, 31),
            "departure_reason_id": self.env.ref("hr.departure_resigned").id,
        })
        wizard.action_register_departure()
        checklist = employee.ctrl_checklist_ids.filtered(lambda c: c.code == "departure")
        self.assertEqual(len(checklist), 1)
        line = checklist.line_ids.filtered(lambda item: item.code == "recv_handover")
        with self.assertRaisesRegex(UserError, "still holds 2 open invoices"):
            line.action_sign()
        self.assertEqual(line.state, "todo")
        self._signed().with_user(self.supervisor).action_transfer()
        line.action_sign()
        self.assertEqual(line.state, "done")
        nobody = self.env["hr.employee"].create({"name": "No user", "company_id": self.company.id})
        self.assertEqual(nobody._ctrl_checklist_check_receivable_handover(), "")

    def test_access(self):
        handover = self._handover()
        as_leaver = handover.with_user(self.leaver)
        self.assertEqual(as_leaver.read(["name"])[0]["name"], handover.name, "a party may read it")
        handover.action_confirm()
        # The form opens for a party who cannot read the invoices themselves.
        data = as_leaver.web_read({"name": {}, "invoice_line_ids": {"fields": {
            "move_id": {"fields": {"display_name": {}}}, "amount": {},
            "partner_id": {"fields": {"display_name": {}}}}}})
        self.assertEqual({line["move_id"]["id"] for line in data[0]["invoice_line_ids"]}, {self.inv1.id, self.inv2.id})
        handover.action_reset_draft()
        with self.assertRaises(AccessError):
            as_leaver.write({"note": "mine"})
        with self.assertRaises(AccessError):
            self.env["ctrl.receivable.handover"].with_user(self.leaver).create({
                "user_id": self.leaver.id, "successor_id": self.successor.id,
                "supervisor_id": self.supervisor.id})
        as_recv = self.env["ctrl.receivable.handover"].with_user(self.recv_user)
        self.assertIn(handover, as_recv.search([]))
        with self.assertRaises(AccessError):
            handover.with_user(self.recv_user).unlink()
        handover.with_user(self.recv_manager).unlink()
