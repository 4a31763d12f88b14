# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command, fields
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


class CtrlReceivableCase(CtrlAssertMixin, AccountTestInvoicingCommon):
    """A fresh company (AccountTestInvoicingCommon) with receivable users,
    an allowance account and helpers for dated invoices and payments."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company = cls.env.company
        # The accountant running the tests also configures receivables.
        cls.env.user.groups_id += cls.env.ref("ctrl_receivable.group_receivable_manager")
        company_ids = [Command.set(cls.company.ids)]
        cls.recv_manager = new_test_user(
            cls.env, "recv_mgr", groups="account.group_account_manager,ctrl_receivable.group_receivable_manager",
            company_id=cls.company.id, company_ids=company_ids)
        cls.recv_user = new_test_user(
            cls.env, "recv_user", groups="ctrl_receivable.group_receivable_user",
            company_id=cls.company.id, company_ids=company_ids)
        cls.finance = new_test_user(
            cls.env, "recv_fin", groups="account.group_account_manager,ctrl_base.group_approver_finance,"
            "ctrl_receivable.group_receivable_user",
            company_id=cls.company.id, company_ids=company_ids)
        cls.receivable = cls.company_data["default_account_receivable"]
        cls.expense_account = cls.env["account.account"].create({
            "name": "Bad-debt expense", "code": "660299", "account_type": "expense",
        })
        cls.allowance_account = cls.env["account.account"].create({
            "name": "Allowance for doubtful accounts", "code": "123199", "account_type": "asset_current",
        })
        cls.misc_journal = cls.company_data["default_journal_misc"]
        cls.collection = cls.company._ctrl_recv_scheme("collection")
        cls.provision = cls.company._ctrl_recv_scheme("provision")
        cls.customer = cls.env["res.partner"].create({"name": "Aging Customer", "is_company": True})

    @classmethod
    def _configure_provisioning(cls):
        cls.company.write({
            "ctrl_recv_provision_journal_id": cls.misc_journal.id,
            "ctrl_recv_provision_expense_account_id": cls.expense_account.id,
            "ctrl_recv_allowance_account_id": cls.allowance_account.id,
        })

    @classmethod
    def _invoice(cls, amount, date, due=None, partner=None, currency=None, move_type="out_invoice", user=None):
        move = cls.env["account.move"].create({
            "move_type": move_type,
            "partner_id": (partner or cls.customer).id,
            "invoice_date": date,
            "date": date,
            "invoice_date_due": due or date,
            "currency_id": (currency or cls.company.currency_id).id,
            "invoice_user_id": (user or cls.env.user).id,
            "invoice_line_ids": [Command.create({
                "name": "goods", "quantity": 1, "price_unit": amount, "tax_ids": [Command.clear()],
            })],
        })
        move.action_post()
        return move

    @classmethod
    def _pay(cls, invoice, amount, date, currency=None):
        return cls.env["account.payment.register"].with_context(
            active_model="account.move", active_ids=invoice.ids,
        ).create({
            "payment_date": date, "amount": amount,
            "currency_id": (currency or invoice.currency_id).id,
        })._create_payments()

    def _attach_evidence(self, writeoff, case_type="writeoff_case_overdue_3y", user=None):
        """Give the write-off a case type and a file for each required document."""
        writeoff = writeoff.with_user(user or writeoff.env.user)
        writeoff.case_type_id = self.env.ref(f"ctrl_receivable.{case_type}")
        for evidence in writeoff.evidence_ids:
            evidence.attachment_ids = [Command.create({"name": f"{evidence.name}.pdf", "raw": b"%PDF evidence",
                                                       "res_model": evidence._name, "res_id": evidence.id})]
        return writeoff

    def _aging(self, date, scheme=None, company=None):
        report = self.env["ctrl.aging.report"].create({
            "date": date, "company_id": (company or self.company).id,
            "scheme_id": (scheme or self.collection).id,
        })
        report.action_compute()
        self.assertPreviewEqualsReport(report)
        return report

    def assertPreviewEqualsReport(self, report, preview=None):
        """The preview of the report's date (read from the ledger by the
        grouped engine) gives what the computed report stored."""
        if preview is None:
            preview = report.ctrl_aging_preview(fields.Date.to_string(report.date), company_id=report.company_id.id,
                                                scheme_id=report.scheme_id.id)
        currency = report.currency_id
        self.assertEqual(preview["line_count"], report.line_count)
        self.assertEqual(preview["bucket_summary"], report.bucket_summary)
        for key in ("total_open", "account_balance", "difference"):
            self.assertTrue(currency.is_zero(preview[key] - report[key]), key)
        self.assertEqual(preview["reconciled"], report.reconciled)
        stored = {(kpi.user_id.id, kpi.is_total): kpi for kpi in report.kpi_ids}
        self.assertEqual({(row["user_id"], row["is_total"]) for row in preview["kpis"]}, set(stored))
        for row in preview["kpis"]:
            kpi = stored[row["user_id"], row["is_total"]]
            for key in ("open_amount", "overdue_amount", "sales_amount", "year_sales", "written_off"):
                self.assertTrue(currency.is_zero(row[key] - kpi[key]), key)
            for key in ("overdue_ratio", "dso", "bad_debt_rate"):
                self.assertAlmostEqual(row[key], kpi[key], delta=0.05, msg=key)
            self.assertEqual(row["on_target"], kpi.on_target)

    def _open(self, report, move):
        return sum(report.line_ids.filtered(lambda line: line.move_id == move).mapped("amount"))

    @staticmethod
    def _date(value):
        return fields.Date.to_date(value)
