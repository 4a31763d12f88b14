# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import io
from datetime import timedelta

import openpyxl
from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import ValidationError
from odoo.tests import tagged

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestKpi(CtrlXlsxMixin, CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.seller = cls.recv_manager
        # Known data set as of 2019-03-31 (DSO period 90 days, bad-debt window 12 months).
        cls.inv_late = cls._invoice(1000.0, "2019-01-15", due="2019-02-14", user=cls.seller)
        cls.inv_fresh = cls._invoice(500.0, "2019-03-20", due="2019-04-19", user=cls.seller)
        cls._pay(cls.inv_late, 200.0, "2019-02-01")
        write_off = cls.env["account.move"].create({
            "move_type": "entry", "date": "2019-03-25", "journal_id": cls.misc_journal.id,
            "line_ids": [
                Command.create({"account_id": cls.allowance_account.id, "debit": 100.0}),
                Command.create({"account_id": cls.receivable.id, "credit": 100.0,
                                "partner_id": cls.customer.id}),
            ],
        })
        write_off.action_post()
        (write_off | cls.inv_late).line_ids.filtered(lambda ln: ln.account_id == cls.receivable).reconcile()

    def test_kpis_on_a_known_data_set(self):
        report = self._aging("2019-03-31")
        total = report.kpi_ids.filtered("is_total")
        seller = report.kpi_ids.filtered(lambda k: k.user_id == self.seller)
        for kpi in (total, seller):
            self.assertEqual(kpi.open_amount, 1200.0)
            self.assertEqual(kpi.overdue_amount, 700.0)
            self.assertAlmostEqual(kpi.overdue_ratio, 58.33, places=2)
            self.assertEqual(kpi.sales_amount, 1500.0)
            self.assertAlmostEqual(kpi.dso, 72.0, places=2)
            self.assertEqual(kpi.written_off, 100.0)
            self.assertAlmostEqual(kpi.bad_debt_rate, 66.67, places=2)
            self.assertEqual(kpi.bad_debt_target, 5.0)
            self.assertFalse(kpi.on_target, "66.7‰ is above the 5‰ target (001/N120)")

    def test_kpi_settings(self):
        self.company.write({"ctrl_recv_dso_days": 30, "ctrl_recv_bad_debt_target": 100.0})
        total = self._aging("2019-03-31").kpi_ids.filtered("is_total")
        self.assertEqual(total.sales_amount, 500.0, "only the March invoice is in the last 30 days")
        self.assertAlmostEqual(total.dso, 72.0, places=2)
        self.assertTrue(total.on_target)

    def test_monthly_pack_once_with_mail(self):
        self.company.ctrl_recv_finance_director_id = self.finance
        team = self.env["crm.team"].create({"name": "North", "user_id": self.seller.id})
        self.inv_late.team_id = team
        Report = self.env["ctrl.aging.report"].sudo()  # as the cron (superuser, every company)
        Report._cron_monthly_pack()
        Report._cron_monthly_pack()
        month_end = fields.Date.context_today(Report).replace(day=1) - timedelta(days=1)
        report = Report.search([("company_id", "=", self.company.id), ("kind", "=", "monthly")])
        self.assertEqual(len(report), 1, "the cron is idempotent")
        self.assertEqual(report.date, month_end)
        messages = report.message_ids.filtered(lambda m: m.attachment_ids)
        to_director = messages.filtered(lambda m: self.finance.partner_id in m.partner_ids)
        self.assertEqual(len(to_director), 1)
        workbook = openpyxl.load_workbook(io.BytesIO(to_director.attachment_ids.raw))
        self.assertEqual(workbook.sheetnames, ["Summary", "Detail"])
        to_manager = messages.filtered(lambda m: self.seller.partner_id in m.partner_ids)
        self.assertEqual(len(to_manager), 1, "the sales manager gets the team's month-end detail (000/R02-07)")
        detail = openpyxl.load_workbook(io.BytesIO(to_manager.attachment_ids.raw))["Detail"]
        self.assertEqual(self.xlsx_header(detail)["Sales team"], "North")
        self.assertEqual([row[1] for row in self.xlsx_table(detail)[1:]], [self.inv_late.name],
                         "only the team's open item")
        mails = self.env["mail.mail"].search([("mail_message_id", "in", messages.ids)])
        self.assertTrue(mails)
        self.assertTrue(all(mail.state == "outgoing" for mail in mails), "queued, not sent inline")

    def test_weekly_statistics_once(self):
        Report = self.env["ctrl.aging.report"].sudo()  # as the cron (superuser, every company)
        Report._cron_weekly_statistics()
        Report._cron_weekly_statistics()
        reports = Report.search([("company_id", "=", self.company.id), ("kind", "=", "weekly")])
        self.assertEqual(len(reports), 1)
        self.assertEqual(reports.date.isoweekday(), 7)
        self.assertTrue(reports.kpi_ids.filtered(lambda k: k.user_id == self.seller))

    def test_scheduled_reports_pruned_after_the_kept_months(self):
        """Weekly and month-end reports older than the months kept are deleted with their lines,
        messages and files, a batch at a time; reports computed on demand and recent ones stay."""
        Report = self.env["ctrl.aging.report"].sudo()  # as the cron (superuser, every company)
        self.assertEqual(self.company.ctrl_recv_aging_keep_months, 13)
        cutoff = fields.Date.context_today(Report) - relativedelta(months=13)
        old_monthly = Report._scheduled_report(self.company, cutoff - relativedelta(months=1), "monthly")[0]
        old_weekly = Report._scheduled_report(self.company, cutoff - timedelta(days=1), "weekly")[0]
        kept_monthly = Report._scheduled_report(self.company, cutoff, "monthly")[0]
        manual = self._aging(cutoff - relativedelta(months=6))
        file = old_monthly._xlsx_attachment()
        old_monthly.message_post(body="pack", attachment_ids=file.ids)
        lines = (old_monthly | old_weekly).line_ids
        self.assertEqual(len(lines), 4, "two open items in each old report")
        other_company = self.env["res.company"].create({"name": "Keeps everything",
                                                        "ctrl_recv_aging_keep_months": 0})
        other_old = Report.create({"company_id": other_company.id, "date": cutoff - relativedelta(years=3),
                                   "kind": "weekly", "scheme_id": other_company._ctrl_recv_scheme("collection").id})
        # Batches of one report and two lines: the lines go first, the report once it has none left.
        deleted, left = Report._prune_scheduled(report_batch=1, line_batch=2)
        self.assertEqual((deleted, left), (2, 2), "the two lines of the oldest report; both old reports left")
        self.assertTrue(old_monthly.exists())
        deleted, left = Report._prune_scheduled(report_batch=1, line_batch=2)
        self.assertEqual((deleted, left), (1, 1), "then the report")
        self.assertFalse(old_monthly.exists())
        self.assertFalse(file.exists(), "its files go with it")
        # The weekly cron makes this week's report and prunes what is left.
        Report._cron_weekly_statistics()
        self.assertFalse(old_weekly.exists() or lines.exists())
        self.assertEqual((kept_monthly | manual | other_old).exists(), kept_monthly | manual | other_old,
                         "recent, on-demand and the other company's reports stay")
        self.assertEqual(Report._prune_scheduled(), (0, 0), "nothing left: running again does nothing")
        with self.assertRaisesRegex(ValidationError, "Keep scheduled aging reports"):
            self.company.ctrl_recv_aging_keep_months = -1
