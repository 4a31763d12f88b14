# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue #23 (5): what only reads runs on a read-only cursor, which Odoo
opens on the database replica when it has one (--db_replica_host). Odoo's
test mode gives a read-only cursor as a real cursor in a read-only
transaction, so a write on it is refused as on a replica. A read-only
request that writes is retried by Odoo on a read/write cursor with the
warning "retrying with a read/write cursor": no such warning means the
request ran read-only to the end."""
import json

import psycopg2.errors

from odoo import Command, api
from odoo.exceptions import AccessError, UserError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from odoo.addons.ctrl_base.tests.common import CtrlXlsxMixin, own_password

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestReadonlyReports(CtrlXlsxMixin, CtrlReceivableCase, HttpCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.old = cls._invoice(100.0, "2019-01-01", user=cls.recv_user)
        cls.recent = cls._invoice(250.0, "2019-01-25")
        cls._pay(cls.old, 40.0, "2019-01-20")
        cls.report = cls.env["ctrl.aging.report"].create({
            "date": "2019-01-31", "company_id": cls.company.id, "scheme_id": cls.collection.id})
        cls.report.action_compute()
        cls.outsider = new_test_user(cls.env, "recv_outsider", groups="base.group_user",
                                     company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def _call_kw(self, login, model, method, args, kwargs=None):
        self.authenticate(login, login)
        response = self.url_open(f"/web/dataset/call_kw/{model}/{method}", data=json.dumps({
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"model": model, "method": method, "args": args, "kwargs": kwargs or {}},
        }), headers={"Content-Type": "application/json"})
        self.assertEqual(response.status_code, 200)
        return response.json()

    def assertRefused(self, exception, func, *args, **kwargs):
        """``func`` raises ``exception``. Not Odoo's assertRaises: its savepoint
        on the test cursor would outlive the read-only cursor's own."""
        try:
            func(*args, **kwargs)
        except exception:
            return
        self.fail(f"{exception.__name__} not raised")

    def _preview(self, env):
        return env["ctrl.aging.report"].ctrl_aging_preview(
            "2019-01-31", company_id=self.company.id, scheme_id=self.collection.id)

    def test_preview_through_rpc_is_read_only(self):
        """The client's call (call_kw) of the aging preview runs on a read-only
        cursor to the end and gives what the computed report stored."""
        self.assertTrue(type(self.env["ctrl.aging.report"]).ctrl_aging_preview._readonly)
        own_password(self.env, self.recv_user.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            result = self._call_kw(self.recv_user.login, "ctrl.aging.report", "ctrl_aging_preview", ["2019-01-31"],
                                   {"company_id": self.company.id, "scheme_id": self.collection.id})
        self.assertNotIn("error", result)
        self.assertEqual(result["result"]["total_open"], 310.0)
        self.assertPreviewEqualsReport(self.report, result["result"])

    def test_preview_on_a_read_only_cursor(self):
        """On a read-only cursor the preview works, and a write is refused."""
        self.env.cr.flush()
        with self.env.registry.cursor(readonly=True) as cr:
            self.assertTrue(cr.readonly)
            env = api.Environment(cr, self.recv_user.id, {})
            self.assertPreviewEqualsReport(self.report, self._preview(env))
            report = env["ctrl.aging.report"].browse(self.report.id)
            report.sudo().write({"date": "2019-02-28"})
            with mute_logger("odoo.sql_db"):
                self.assertRefused(psycopg2.errors.ReadOnlySqlTransaction, report.sudo().flush_recordset)
            cr.rollback()

    def test_preview_refused_outside_the_user_rights(self):
        """The preview is for who may compute a report, of their own companies."""
        other = self.env["res.company"].create({"name": "Other company"})
        self.env.cr.flush()
        with self.env.registry.cursor(readonly=True) as cr:
            self.assertRefused(AccessError, self._preview, api.Environment(cr, self.outsider.id, {}))
            Report = self.env["ctrl.aging.report"].with_env(api.Environment(cr, self.recv_user.id, {}))
            self.assertRefused(AccessError, Report.ctrl_aging_preview, "2019-01-31", company_id=other.id)

    def test_preview_bad_input(self):
        """A preview without a valid date, or with another company's buckets,
        is answered with what to give, not a server error."""
        other = self.env["res.company"].create({"name": "Other company"})
        self.env.user.company_ids |= other
        Report = self.env["ctrl.aging.report"]
        for date in (False, "", "2019-13-45", "not a date", 20190131):
            with self.assertRaisesRegex(UserError, r"\(As of\)", msg=repr(date)):
                Report.ctrl_aging_preview(date, company_id=self.company.id)
        with self.assertRaisesRegex(UserError, r"\(Buckets\)"):
            Report.ctrl_aging_preview("2019-01-31", company_id=self.company.id,
                                      scheme_id=other._ctrl_recv_scheme("collection").id)

    def test_stored_report_reads_are_read_only(self):
        """Opening a computed report's lines, KPIs and exporting it only read."""
        own_password(self.env, self.recv_user.login)
        with self.assertNoLogs("odoo.http", "WARNING"):
            for method in ("action_open_lines", "action_export_xlsx"):
                self.assertTrue(getattr(type(self.env["ctrl.aging.report"]), method)._readonly)
                result = self._call_kw(self.recv_user.login, "ctrl.aging.report", method, [self.report.ids])
                self.assertNotIn("error", result, method)
            result = self._call_kw(self.recv_user.login, "ctrl.aging.report.kpi", "web_search_read",
                                   [[("report_id", "=", self.report.id)]], {"specification": {"open_amount": {}}})
            self.assertEqual(result["result"]["length"], len(self.report.kpi_ids))

    def test_xlsx_download_is_read_only(self):
        """The XLSX route runs read-only: the download of the aging table
        needs no retry on a read/write cursor."""
        with self.assertNoLogs("odoo.http", "WARNING"):
            book, _name = self.downloaded_xlsx("ctrl_receivable.report_aging_xlsx", self.report.ids,
                                               self.recv_user.login)
        self.assertEqual(book.sheetnames, ["Summary", "Detail"])


@tagged("post_install", "-at_install")
class TestReadonlyProvision(CtrlReceivableCase, HttpCase):
    assertRefused = TestReadonlyReports.assertRefused
    """The provision preview reads what a provision run would compute."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        related = cls.env["res.partner"].create({"name": "Sister Company", "is_company": True,
                                                 "ctrl_recv_related_party": True})
        cls._invoice(1000.0, "2024-06-30", due="2024-07-30")
        cls.inv_two = cls._invoice(2000.0, "2022-12-31", due="2023-01-30")
        cls._invoice(500.0, "2019-01-01", due="2019-01-31")
        cls._invoice(800.0, "2018-06-30", partner=related)
        specific = cls.env["ctrl.provision.specific"].create({
            "partner_id": cls.customer.id, "move_id": cls.inv_two.id, "method": "amount", "amount": 300.0,
            "reason": "Partial settlement agreed", "date": "2024-12-01",
            "attachment_ids": [Command.create({"name": "agreement.pdf", "raw": b"%PDF"})],
        })
        specific.action_submit()

    def test_provision_preview_through_rpc_is_read_only(self):
        self.assertTrue(type(self.env["ctrl.provision.run"]).ctrl_provision_preview._readonly)
        own_password(self.env, self.recv_manager.login)
        self.authenticate(self.recv_manager.login, self.recv_manager.login)
        self.env.cr.flush()
        with self.assertNoLogs("odoo.http", "WARNING"):
            preview = self.make_jsonrpc_request(
                "/web/dataset/call_kw/ctrl.provision.run/ctrl_provision_preview",
                {"model": "ctrl.provision.run", "method": "ctrl_provision_preview", "args": ["2024-12-31"],
                 "kwargs": {"company_id": self.company.id}})
        run = self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(self.company,
                                                                                     self._date("2024-12-31"))
        currency = self.company.currency_id
        self.assertEqual(preview["line_count"], run.line_count)
        # 5% of 1,000 + 300 (the specific amount, not 20% of 2,000) + 500 + 50% of 800
        self.assertEqual(preview["required_amount"], 50.0 + 300.0 + 500.0 + 400.0)
        for key in ("base_amount", "required_amount", "allowance_balance", "adjustment_amount"):
            self.assertTrue(currency.is_zero(preview[key] - run[key]), key)
        self.assertEqual(len(preview["bucket_summary"]), len(run.bucket_summary))
        for got, stored in zip(preview["bucket_summary"], run.bucket_summary):
            self.assertEqual(got["bucket_id"], stored["bucket_id"])
            for key in ("base", "required", "provided_base", "credits"):
                self.assertTrue(currency.is_zero(got[key] - stored[key]), (stored["name"], key))
            self.assertAlmostEqual(got["applied_rate"], stored["applied_rate"], places=6)

    def test_provision_preview_for_managers(self):
        """A Receivables user may not preview the provision, nor a manager another company's."""
        other = self.env["res.company"].create({"name": "Other company"})
        self.env.cr.flush()
        with self.env.registry.cursor(readonly=True) as cr:
            Run = self.env["ctrl.provision.run"]
            self.assertRefused(AccessError, Run.with_env(api.Environment(cr, self.recv_user.id, {}))
                               .ctrl_provision_preview, "2024-12-31")
            self.assertRefused(AccessError, Run.with_env(api.Environment(cr, self.recv_manager.id, {}))
                               .ctrl_provision_preview, "2024-12-31", company_id=other.id)
