# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The guided tours of the receivables, in the browser, each person logged in
with only the groups of their role: an accountant's aging to a posted
provision, and a collection ladder to a promise to pay. The tours fail on an
error dialog or a technical name on screen (ctrl_base's ctrl_tour_utils.js)."""
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestReceivableTours(CtrlReceivableCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # People read names: the shared users' generated names list their groups.
        for user, name in ((cls.recv_manager, "Receivables Manager"), (cls.recv_user, "Receivables Clerk"),
                           (cls.finance, "Finance Reviewer")):
            user.name = name
        common = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)], "tz": "UTC"}
        # The roles as the demo users hold them, created as the demo data is (by the superuser: a password an
        # administrator sets must be changed at the first login when ctrl_backup is installed).
        su_env = cls.env(su=True)
        cls.accountant = new_test_user(
            su_env, "tour_accountant", name="He Ping",
            groups="account.group_account_invoice,ctrl_receivable.group_receivable_manager", **common)
        cls.finance_director = new_test_user(
            su_env, "tour_finance_director", name="Xu Hui",
            groups="account.group_account_manager,ctrl_base.group_approver_finance,"
                   "ctrl_receivable.group_receivable_manager", **common)
        cls.salesperson = new_test_user(
            su_env, "tour_collector", name="Zhou Lei",
            groups="sales_team.group_sale_salesman,ctrl_receivable.group_receivable_user", **common)
        cls.today = fields.Date.context_today(cls.env["account.move"])

    def test_aging_to_posted_provision(self):
        self._configure_provisioning()
        month_end = self.today.replace(day=1) - timedelta(days=1)
        customer = self.env["res.partner"].create({"name": "Harbour Steel Works", "is_company": True})
        long_overdue = self._invoice(10000.0, month_end - timedelta(days=200), due=month_end - timedelta(days=170),
                                     partner=customer)

        self.start_tour("/odoo", "ctrl_receivable_provision_prepare_tour", login="tour_accountant")
        report = self.env["ctrl.aging.report"].search([("create_uid", "=", self.accountant.id)])
        self.assertEqual((report.state, report.date), ("done", self.today))
        self.assertIn(long_overdue, report.line_ids.move_id)
        run = self.env["ctrl.provision.run"].search([("company_id", "=", self.company.id)])
        self.assertEqual((run.state, run.date, run.create_uid), ("to_approve", month_end, self.accountant))
        self.assertGreater(run.adjustment_amount, 0.0, "the long overdue invoice needs an allowance")

        self.start_tour("/odoo", "ctrl_receivable_provision_post_tour", login="tour_finance_director")
        self.assertEqual((run.state, run.approved_by_id), ("posted", self.finance_director))
        self.assertEqual((run.move_id.state, run.move_id.date), ("posted", month_end))
        allowance = run.move_id.line_ids.filtered(lambda line: line.account_id == self.allowance_account)
        self.assertAlmostEqual(allowance.credit, run.adjustment_amount)

    def test_collection_ladder_to_promise(self):
        customer = self.env["res.partner"].create({"name": "Lakeside Builders", "is_company": True})
        due = self.today - timedelta(days=5)
        invoice = self._invoice(1000.0, due - timedelta(days=30), due=due, partner=customer,
                                user=self.salesperson)
        self.env.ref("ctrl_receivable.escalation_ladder_collection").sudo()._run_all(today=self.today)
        self.assertTrue(invoice.ctrl_recv_level_id, "the ladder reached the invoice")
        # The date the customer promised, as the salesperson would pick it (the browser's clock is not the
        # test's: the server's day may be frozen on another one).
        promised = self.today + timedelta(days=14)
        self.env["ir.default"].set("ctrl.collection.promise", "date", fields.Date.to_string(promised),
                                   user_id=self.salesperson.id)

        self.start_tour("/odoo", "ctrl_receivable_promise_tour", login="tour_collector")
        promise = invoice.ctrl_recv_promise_ids
        self.assertEqual((promise.date, promise.amount, promise.user_id, promise.state),
                         (promised, 600.0, self.salesperson, "pending"))
        self.assertEqual(invoice.ctrl_recv_promise_date, promised, "the ladder pauses until then")
