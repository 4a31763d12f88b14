# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commercial acceptance bills in the aging (001/AR02.6, AR16.8): by maturity, apart from the receivable items."""
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestAgingBills(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.bill_account = cls.env["account.account"].create({
            "name": "Bills receivable", "code": "112101", "account_type": "asset_current", "reconcile": True})
        cls.company.ctrl_bill_receivable_account_id = cls.bill_account
        cls.bank = cls.company_data["default_journal_bank"]

    def _bill(self, invoice, amount, maturity, received, number):
        bill = self.env["ctrl.credit.bill"].create({
            "partner_id": self.customer.id, "amount": amount, "bill_number": number, "acceptor": "Acceptor",
            "issue_date": received, "maturity_date": maturity, "receipt_date": received,
            "invoice_ids": [(6, 0, invoice.ids)]})
        bill.action_receive()
        return bill

    def _bill_lines(self, report):
        return report.bill_line_ids.filtered(lambda line: line.partner_id == self.customer)

    def test_bills_by_maturity(self):
        invoice = self._invoice(1000.0, "2019-01-01", due="2019-01-31")
        other = self._invoice(400.0, "2019-01-01", due="2019-01-31")
        bill = self._bill(invoice, 1000.0, "2019-03-01", "2019-01-15", "B-1")
        late = self._bill(other, 400.0, "2019-02-01", "2019-01-15", "B-2")
        self.assertEqual(invoice.payment_state, "paid")
        # Before the receipt: the invoice is open, no bill is in hand.
        before = self._aging("2019-01-10")
        self.assertEqual(self._open(before, invoice), 1000.0)
        self.assertFalse(self._bill_lines(before))
        # In hand, not due: the bill is in the bills part, the settled invoice is not counted again.
        report = self._aging("2019-02-10")
        self.assertEqual(self._open(report, invoice), 0.0)
        lines = self._bill_lines(report)
        self.assertEqual(lines.filtered(lambda ln: ln.bill_id == bill).bucket_id.name, "Not due")
        self.assertEqual(lines.filtered(lambda ln: ln.bill_id == late).bucket_id.name, "1-10 days")
        self.assertEqual(lines.filtered(lambda ln: ln.bill_id == late).days_due, 9)
        self.assertEqual(report.bill_total, 1400.0)
        self.assertTrue(report.reconciled, "the bills stay out of the check against the receivable accounts")
        self.assertIn("Not due", report.bill_summary_html)
        # Past maturity and still held: aged by days past maturity.
        report = self._aging("2019-03-20")
        self.assertEqual(self._bill_lines(report).filtered(lambda ln: ln.bill_id == bill).bucket_id.name,
                         "11-30 days")
        # Collected on 2019-03-25: out of the aging from that day, still in it as of an earlier date.
        bill.write({"bank_journal_id": self.bank.id, "operation_date": "2019-03-25"})
        bill.action_collect()
        late.write({"operation_date": "2019-03-25"})
        late.action_dishonour()
        self.assertEqual(len(self._bill_lines(self._aging("2019-03-20"))), 2)
        after = self._aging("2019-03-31")
        self.assertFalse(self._bill_lines(after))
        # The dishonoured bill's debt is a receivable item again, due at its maturity.
        reopened = late.dishonour_move_id
        self.assertEqual(self._open(after, reopened), 400.0)
        self.assertEqual(after.line_ids.filtered(lambda ln: ln.move_id == reopened).bucket_id.name, "31-60 days")
        self.assertTrue(after.reconciled)

    def test_bill_lines_read_only(self):
        invoice = self._invoice(100.0, "2019-01-01")
        self._bill(invoice, 100.0, "2019-03-01", "2019-01-15", "B-3")
        report = self._aging("2019-02-10")
        line = self._bill_lines(report).with_user(self.recv_user)
        self.assertEqual(line.amount, 100.0)
        with self.assertRaises(AccessError):
            line.write({"amount": 0.0})
