# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Commercial acceptance bills (001/AR02.6, AR16.8): accounting, exposure ledger, order hold, attacks."""
from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import float_compare

from .common import CtrlCreditCase


@tagged("post_install", "-at_install")
class TestBills(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        company.sudo().write({
            "ctrl_credit_order_approval": False, "ctrl_price_approval": False, "ctrl_credit_note_approval": False,
            "ctrl_duty_confirmer_not_invoicer": False, "ctrl_credit_checklist_all": False,
            "ctrl_credit_checklist_amount": 0, "ctrl_invoice_price_check": False,
        })
        Account = cls.env["account.account"]
        cls.bill_account = Account.create({"name": "Bills receivable", "code": "112100",
                                           "account_type": "asset_current", "reconcile": True})
        cls.interest_account = Account.create({"name": "Discount interest", "code": "660300",
                                               "account_type": "expense"})
        company.write({"ctrl_bill_receivable_account_id": cls.bill_account.id,
                       "ctrl_bill_interest_account_id": cls.interest_account.id})
        cls.bank = cls.company_data["default_journal_bank"]
        cls.supplier = cls.env["res.partner"].create({"name": "Bill Supplier", "is_company": True})
        cls.accountant = new_test_user(
            cls.env, "cc_bill_acc", groups="account.group_account_invoice", company_id=company.id,
            company_ids=[Command.set(company.ids)])

    def _invoice(self, amount, partner=None):
        return self.init_invoice("out_invoice", partner=partner or self.customer, amounts=[amount],
                                 invoice_date="2027-01-05", post=True)

    def _bill(self, amount, invoices=None, number="CAB-1", user=None):
        return self.env["ctrl.credit.bill"].with_user(user or self.accountant).create({
            "partner_id": self.customer.id, "amount": amount, "bill_number": number, "acceptor": "Acceptor Bank",
            "drawer": self.customer.name, "issue_date": "2027-01-05", "maturity_date": "2027-07-05",
            "receipt_date": "2027-01-10", "operation_date": "2027-01-10",
            "invoice_ids": [(6, 0, (invoices or self.env["account.move"]).ids)],
        })

    def _exposure_parts(self):
        self.env.flush_all()
        row = self.env["ctrl.credit.exposure"].sudo().search(
            [("partner_id", "=", self.customer.id), ("company_id", "=", self.company.id)])
        row.invalidate_recordset()
        return row.receivable, row.bills

    def _assert_ledger(self, step, receivable, bills):
        self.assertEqual(self.env["ctrl.credit.exposure"]._ctrl_differences([self.customer.id]), [], step)
        have = self._exposure_parts()
        rounding = self.company.currency_id.rounding
        for name, got, want in (("receivable", have[0], receivable), ("bills", have[1], bills)):
            self.assertEqual(float_compare(got, want, precision_rounding=rounding), 0,
                             f"after {step}: {name} is {got}, expected {want}")

    def test_lifecycle_receive_collect(self):
        """Receipt settles the invoice and moves the debt to the bills column; collection ends it."""
        invoice = self._invoice(1000.0)
        self._assert_ledger("invoice", 1000.0, 0.0)
        bill = self._bill(1000.0, invoice)
        self.assertEqual(bill.state, "draft")
        self._assert_ledger("draft bill", 1000.0, 0.0)
        bill.action_receive()
        self.assertEqual(bill.state, "held")
        self.assertEqual(invoice.payment_state, "paid")
        self.assertEqual(bill.receipt_move_id.state, "posted")
        self.assertEqual(bill.amount_company, 1000.0)
        self._assert_ledger("receipt", 0.0, 1000.0)
        # The customer's exposure (what the order check reads) still holds the bill.
        self.customer.invalidate_recordset()
        self.assertEqual(self.customer.with_company(self.company).ctrl_credit_exposure, 1000.0)
        bill.write({"bank_journal_id": self.bank.id, "operation_date": "2027-07-05"})
        bill.action_collect()
        self.assertEqual(bill.state, "collected")
        bank_line = bill.collect_move_id.line_ids.filtered(lambda ln: ln.account_id == self.bank.default_account_id)
        self.assertEqual(bank_line.debit, 1000.0)
        kept = bill.receipt_move_id.line_ids.filtered(lambda ln: ln.account_id == self.bill_account)
        self.assertTrue(kept.reconciled)
        self._assert_ledger("collection", 0.0, 0.0)
        # Closed: the next operation's data is locked, and the bill is not deleted.
        with self.assertRaises(UserError):
            bill.write({"bank_journal_id": False})
        with self.assertRaises(UserError):
            bill.unlink()

    def test_dishonour_reopens_the_debt(self):
        """A dishonoured bill reopens the customer's receivable, due at the bill's maturity."""
        invoice = self._invoice(600.0)
        bill = self._bill(600.0, invoice)
        bill.action_receive()
        self.assertEqual(invoice.payment_state, "paid")
        bill.write({"operation_date": "2027-07-06"})
        bill.action_dishonour()
        self.assertEqual(bill.state, "dishonoured")
        line = bill.dishonour_move_id.line_ids.filtered(lambda ln: ln.account_id.account_type == "asset_receivable")
        self.assertEqual(line.amount_residual, 600.0)
        self.assertEqual(line.date_maturity, fields.Date.to_date("2027-07-05"))
        self._assert_ledger("dishonour", 600.0, 0.0)
        # Overdue after the maturity: the order check sees the reopened debt as overdue.
        days = self.customer._ctrl_credit_figures(self.company, fields.Date.to_date("2027-07-15"))
        self.assertEqual(days[self.customer.id], (600.0, 10))

    def test_endorse_discount_cancel_mixed(self):
        """Endorsed and discounted bills count until collected; recourse on dishonour; cancel reverses."""
        inv_a, inv_b, inv_c, inv_d = (self._invoice(amount) for amount in (100.0, 200.0, 300.0, 400.0))
        bill_a, bill_b = self._bill(100.0, inv_a, "A"), self._bill(200.0, inv_b, "B")
        bill_c, bill_d = self._bill(300.0, inv_c, "C"), self._bill(400.0, inv_d, "D")
        (bill_a | bill_b | bill_c | bill_d).action_receive()
        self._assert_ledger("four receipts", 0.0, 1000.0)
        # Endorsed to a supplier: the supplier's payable is paid, the risk stays.
        bill_a.write({"endorsee_id": self.supplier.id})
        bill_a.action_endorse()
        payable = bill_a.transfer_move_id.line_ids.filtered(lambda ln: ln.partner_id == self.supplier)
        self.assertEqual(payable.debit, 100.0)
        self.assertEqual(payable.account_id.account_type, "liability_payable")
        self._assert_ledger("endorse", 0.0, 1000.0)
        # Discounted: bank plus interest expense.
        bill_b.write({"bank_journal_id": self.bank.id, "discount_interest": 12.5})
        bill_b.action_discount()
        lines = bill_b.transfer_move_id.line_ids
        self.assertEqual(lines.filtered(lambda ln: ln.account_id == self.interest_account).debit, 12.5)
        self.assertEqual(lines.filtered(lambda ln: ln.account_id == self.bank.default_account_id).debit, 187.5)
        self._assert_ledger("discount", 0.0, 1000.0)
        # A held bill received by mistake is cancelled: its receipt is reversed, the invoice is open again.
        bill_c.action_cancel()
        self.assertEqual(bill_c.state, "cancel")
        self.assertEqual(bill_c.receipt_move_id.state, "posted")
        self.assertEqual(bill_c.cancel_move_id.reversed_entry_id, bill_c.receipt_move_id)
        with self.assertRaises(UserError):
            bill_c.cancel_move_id.button_draft()
        self.assertIn(inv_c.payment_state, ("not_paid", "partial"))
        self.assertEqual(inv_c.amount_residual, 300.0)
        self._assert_ledger("cancel", 300.0, 700.0)
        # The endorsee was paid at maturity: the recourse ends.
        bill_a.action_collect()
        self.assertFalse(bill_a.collect_move_id)
        self._assert_ledger("endorsed collected", 300.0, 600.0)
        # The discounted bill is dishonoured: the bank debits us, the customer owes it again.
        bill_b.action_dishonour()
        credit = bill_b.dishonour_move_id.line_ids.filtered(lambda ln: ln.credit)
        self.assertEqual(credit.account_id, self.bank.default_account_id)
        self._assert_ledger("discounted dishonoured", 500.0, 400.0)
        # Endorse then dishonour: the supplier claims it back.
        bill_d.write({"endorsee_id": self.supplier.id})
        bill_d.action_endorse()
        bill_d.action_dishonour()
        credit = bill_d.dishonour_move_id.line_ids.filtered(lambda ln: ln.credit)
        self.assertEqual(credit.partner_id, self.supplier)
        self._assert_ledger("endorsed dishonoured", 900.0, 0.0)
        # Posted bill entries are never reset to draft (nor deleted).
        with self.assertRaises(UserError):
            bill_d.receipt_move_id.button_draft()
        with self.assertRaises(UserError):
            bill_d.action_cancel()
        # The nightly check finds nothing to fix.
        self.assertEqual(self.env["ctrl.credit.exposure"]._ctrl_differences(), [])

    def test_foreign_currency_bill(self):
        """The bill counts at the receipt date's rate, in company currency."""
        other = self.setup_other_currency("EUR", rates=[("2027-01-01", 2.0)])
        bill = self.env["ctrl.credit.bill"].with_user(self.accountant).create({
            "partner_id": self.customer.id, "amount": 500.0, "currency_id": other.id, "bill_number": "FX",
            "acceptor": "X", "issue_date": "2027-01-05", "maturity_date": "2027-03-05",
            "receipt_date": "2027-01-10"})
        bill.action_receive()
        self.assertEqual(bill.amount_company, 250.0)
        self._assert_ledger("foreign receipt", -250.0, 250.0)

    def test_order_over_limit_because_of_held_bill(self):
        """The limit is 10000: a held bill of 9950 leaves no room for an order of 100."""
        invoice = self._invoice(9950.0)
        self._bill(9950.0, invoice).action_receive()
        self.assertEqual(invoice.payment_state, "paid")
        order = self._order(qty=1, price=100.0)
        self.assertIn("Over credit limit", order.ctrl_credit_problems or "")
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "draft")

    def test_wrong_users(self):
        """A salesman reads bills but neither creates, receives nor collects them; state is not written."""
        invoice = self._invoice(300.0)
        with self.assertRaises(AccessError):
            self._bill(300.0, invoice, user=self.salesman)
        bill = self._bill(300.0, invoice)
        as_sales = bill.with_user(self.salesman)
        self.assertEqual(as_sales.state, "draft")
        with self.assertRaises(AccessError):
            as_sales.action_receive()
        with self.assertRaises(AccessError):
            as_sales.write({"amount": 1.0})
        # Nobody writes the state or the entries by hand, not even the accountant.
        with self.assertRaises(AccessError):
            bill.write({"state": "held"})
        with self.assertRaises(AccessError):
            self.env["ctrl.credit.bill"].with_user(self.accountant).create({
                "partner_id": self.customer.id, "amount": 1.0, "bill_number": "X", "acceptor": "X",
                "issue_date": "2027-01-05", "maturity_date": "2027-01-06", "state": "collected"})
        bill.action_receive()
        with self.assertRaises(AccessError):
            bill.write({"amount_company": 0.0})
        with self.assertRaises(UserError):
            bill.write({"amount": 1.0})
        with self.assertRaises(AccessError):
            as_sales.write({"bank_journal_id": self.bank.id})
        with self.assertRaises(AccessError):
            as_sales.action_collect()
        with self.assertRaises(UserError):
            bill.unlink()
        self.assertEqual(bill.state, "held")
        self._assert_ledger("attacks", 0.0, 300.0)
        # A draft may be deleted by its author.
        self._bill(5.0, number="DRAFT").unlink()

    def test_bad_input(self):
        """Contacts, reversed dates, receivable-type bill accounts and foreign invoices are refused."""
        contact = self.env["res.partner"].create({"name": "Contact", "parent_id": self.customer.id})
        with self.assertRaises(ValidationError):
            self.env["ctrl.credit.bill"].create({
                "partner_id": contact.id, "amount": 1.0, "bill_number": "X", "acceptor": "X",
                "issue_date": "2027-01-05", "maturity_date": "2027-01-06"})
        with self.assertRaises(ValidationError):
            self._bill(1.0).write({"maturity_date": "2027-01-01"})
        with self.assertRaises(ValidationError):
            self.company.ctrl_bill_receivable_account_id = self.company_data["default_account_receivable"]
        other = self.env["res.partner"].create({"name": "Other Buyer", "is_company": True})
        bill = self._bill(10.0, self._invoice(10.0, partner=other))
        with self.assertRaises(UserError):
            bill.action_receive()
