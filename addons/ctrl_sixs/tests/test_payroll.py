# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestPayroll(CtrlXlsxMixin, SixsCase, HttpCase):
    """Issue #7 item 7, V14 §4.2: the monthly per-employee summary, approved by the admin
    director, exported as XLSX for payroll."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.director = new_test_user(cls.env, "sixs_admin_dir", groups="ctrl_sixs.group_sixs_admin_director",
                                     **company_vals)
        # Last month, as the monthly cron sees it: in the superuser's time zone.
        cls.month = fields.Date.context_today(cls.env.user).replace(day=1) - relativedelta(months=1)
        cls.Payroll = cls.env["ctrl.sixs.payroll"]

    def book_month(self):
        """Worker A loses 15 points (5 beyond the tolerance), Worker B pays an office fine of
        10, Worker C wins the quarterly advanced individual award, Leader 1 the model-area share."""
        self.audit(self.zone1, day=self.month + relativedelta(days=2), findings=[(self.item1, self.worker_a, 5, 15)])
        Point = self.env["ctrl.sixs.point"]
        Point.create({"area_id": self.zone1.id, "employee_id": self.worker_b.id, "reason_code": "office_fine",
                      "fine_step": "reminder", "date": self.month + relativedelta(days=3),
                      "company_id": self.company.id})
        Award = self.env["ctrl.sixs.award"]
        end = self.month + relativedelta(months=1, days=-1)
        awards = Award.create([
            {"award_type": "advanced_individual", "employee_id": self.worker_c.id, "company_id": self.company.id,
             "period_start": self.month, "period_end": end},
            {"award_type": "model_area", "area_id": self.proc1.id, "company_id": self.company.id,
             "period_start": self.month, "period_end": end},
        ])
        awards.sudo()._ctrl_set_state("approved")  # fixture: approved awards of the month

    def prepare(self, user=None):
        return self.Payroll.with_user(user or self.manager)._ctrl_sixs_prepare(self.month, self.company)

    def row(self, payroll, employee):
        return payroll.line_ids.filtered(lambda line: line.employee_id == employee)

    def test_summary_per_employee(self):
        self.book_month()
        payroll = self.prepare()
        self.assertEqual(payroll.month, self.month.strftime("%Y-%m"))
        worker_a = self.row(payroll, self.worker_a)
        self.assertEqual((worker_a.points, worker_a.points_lost, worker_a.points_beyond), (-15.0, 15.0, 5.0))
        self.assertEqual(worker_a.points_money, -10.0, "5 points beyond the tolerance x 2 yuan (V05)")
        self.assertEqual(self.row(payroll, self.worker_b).fine_amount, -10.0, "fine after a reminder (V01)")
        self.assertEqual(self.row(payroll, self.worker_c).award_amount, 50.0)
        self.assertEqual(self.row(payroll, self.leader1).award_amount, 100.0, "model area: the leader's share")
        self.assertEqual(payroll.total_amount, -10.0 - 10.0 + 50.0 + 100.0)
        self.company.ctrl_sixs_money_mode = "per_point"
        payroll.action_refresh()
        self.assertEqual(self.row(payroll, self.worker_a).points_money, -75.0, "15 points x 5 yuan (V14)")

    def test_prepare_is_idempotent_and_final_once_approved(self):
        self.book_month()
        payroll = self.prepare()
        lines = len(payroll.line_ids)
        self.assertEqual(self.prepare(), payroll)
        self.Payroll._cron_prepare()
        self.Payroll._cron_prepare()
        self.assertEqual(self.Payroll.search_count([("company_id", "=", self.company.id)]), 1)
        self.assertEqual(len(payroll.line_ids), lines)
        payroll.with_user(self.manager).action_submit()
        payroll.with_user(self.director).ctrl_approval_ids.action_approve()
        self.assertEqual(payroll.state, "approved")
        with self.assertRaisesRegex(UserError, "is Approved: its figures are final"):
            self.prepare()
        self.Payroll._cron_prepare()  # leaves the approved summary alone, no error
        self.assertEqual(len(payroll.line_ids), lines)
        with self.assertRaisesRegex(AccessError, "change only through the document's buttons"):
            payroll.line_ids[:1].with_user(self.manager).points = 0

    def test_admin_director_approves_then_xlsx(self):
        self.book_month()
        payroll = self.prepare()
        with self.assertRaisesRegex(UserError, "is Draft: only an approved summary goes to payroll"):
            payroll.with_user(self.director).action_export_xlsx()
        payroll.with_user(self.manager).action_submit()
        request = payroll.ctrl_approval_ids
        self.assertEqual((payroll.state, request.kind), ("pending", "sixs_payroll"))
        with self.assertRaisesRegex(UserError, "is Waiting for the admin director"):
            payroll.with_user(self.director).action_export_xlsx()
        with self.assertRaisesRegex(AccessError, "must be decided by"):
            request.with_user(self.gm).action_approve()
        request.with_user(self.director).action_approve()
        self.assertEqual(payroll.state, "approved")
        action = payroll.with_user(self.director).action_export_xlsx()
        self.assertEqual((action["report_type"], action["context"]["active_ids"]), ("xlsx", payroll.ids))
        book = self.render_xlsx(action["report_name"], payroll.ids, self.director)
        self._check_workbook(book, payroll, self.director)
        attachment = self.env["ir.attachment"].search([("res_model", "=", payroll._name), ("res_id", "=", payroll.id)])
        self.assertEqual(attachment.name, f"6s-payroll-{payroll.month}.xlsx", "a copy stays on the summary")

    def _check_workbook(self, book, payroll, user):
        self.assertEqual(book.sheetnames, [payroll.month])
        self.assertXlsxHeader(book, user, self.company, {"Month": payroll.month, "Approved summary": payroll.name,
                                                         "From": payroll.date_start, "To": payroll.date_end})
        rows = self.xlsx_table(book.active)
        self.assertEqual(rows[0][0], "Employee")
        by_name = {row[0]: row for row in rows[1:]}
        self.assertEqual(by_name["Worker A"][5], -10.0)
        self.assertEqual(by_name["Total"][8], payroll.total_amount)

    def _approved(self):
        self.book_month()
        payroll = self.prepare()
        payroll.with_user(self.manager).action_submit()
        payroll.ctrl_approval_ids.with_user(self.director).action_approve()
        return payroll

    def test_xlsx_download_for_payroll(self):
        """Issue #21: downloaded as the web client does, by the admin director or a 6S manager only."""
        payroll = self._approved()
        # The route is read-only (a replica may serve it); this report keeps a copy of the file it hands
        # over, so Odoo draws it again on a read/write cursor, and the copy is kept.
        with self.assertLogs("odoo.http", "WARNING") as logs:
            book, filename = self.downloaded_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, "sixs_admin_dir")
        self.assertIn("retrying with a read/write cursor", logs.output[0])
        self.assertEqual(filename, f"6s-payroll-{payroll.month}.xlsx")
        attachment = self.env["ir.attachment"].search([("res_model", "=", payroll._name), ("res_id", "=", payroll.id)])
        self.assertEqual(attachment.name, f"6s-payroll-{payroll.month}.xlsx", "a copy stays on the summary")
        self._check_workbook(book, payroll, self.director)
        self._check_workbook(self.render_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, self.manager),
                             payroll, self.manager)
        worker = self.worker_a.user_id
        self.assertTrue(worker, "a 6S user who reads the summary with their own row")
        with self.assertRaises(AccessError):
            self.render_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, worker)
        self.assertXlsxRefused(self.download_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, worker.login))

    def test_xlsx_only_once_approved(self):
        self.book_month()
        payroll = self.prepare()
        with self.assertRaisesRegex(UserError, "is Draft: only an approved summary goes to payroll"):
            self.render_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, self.manager)
        self.assertXlsxRefused(self.download_xlsx("ctrl_sixs.report_payroll_xlsx", payroll.ids, "sixs_mgr"),
                               "odoo.exceptions.UserError", 400)

    def test_preparer_cannot_approve(self):
        """Segregation of duties (ctrl_base): whoever prepared the summary may not approve it."""
        self.book_month()
        both = new_test_user(self.env, "sixs_mgr_dir", company_id=self.company.id,
                             company_ids=[Command.set(self.company.ids)],
                             groups="ctrl_sixs.group_sixs_manager,ctrl_sixs.group_sixs_admin_director")
        payroll = self.prepare(user=both)
        self.assertEqual(payroll.prepared_by_id, both)
        payroll.with_user(self.manager).action_submit()
        with self.assertRaisesRegex(AccessError, "You prepared"):
            payroll.ctrl_approval_ids.with_user(both).action_approve()
        payroll.ctrl_approval_ids.with_user(self.director).action_reject(comment="Fine for B is wrong")
        self.assertEqual(payroll.state, "draft", "a rejection returns the summary to draft")
        payroll.with_user(self.manager).action_refresh()
        self.assertEqual((payroll.state, payroll.prepared_by_id), ("draft", self.manager))

    def test_access_per_group(self):
        self.book_month()
        payroll = self.prepare()
        user = self.worker_a.user_id
        mine = self.env["ctrl.sixs.payroll.line"].with_user(user).search([])
        self.assertEqual(mine.employee_id, self.worker_a, "a user sees only their own row")
        self.assertEqual(self.Payroll.with_user(user).search([]), payroll)
        with self.assertRaisesRegex(AccessError, "Only 6S managers prepare and submit"):
            payroll.with_user(user).action_submit()
        with self.assertRaises(AccessError):
            self.Payroll.with_user(user)._ctrl_sixs_prepare(self.month, self.company)
        with self.assertRaises(AccessError):
            payroll.with_user(self.director).action_refresh()
        self.assertEqual(len(self.env["ctrl.sixs.payroll.line"].with_user(self.director).search([])),
                         len(payroll.line_ids))
        with self.assertRaisesRegex(AccessError, "change only through its buttons"):
            payroll.with_user(self.manager).write({"state": "approved"})
        other = self.env["res.company"].create({"name": "Other payroll Co"})
        foreign = self.Payroll.sudo()._ctrl_sixs_prepare(self.month, other)
        self.assertNotIn(foreign, self.Payroll.with_user(self.manager).search([]))

    def test_empty_month_cannot_be_submitted(self):
        payroll = self.prepare()
        self.assertFalse(payroll.line_ids)
        with self.assertRaisesRegex(UserError, "nothing to approve"):
            payroll.with_user(self.manager).action_submit()
        self.assertEqual(payroll.state, "draft")
