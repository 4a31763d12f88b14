# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from odoo.addons.ctrl_base.tests.common import set_ctrl_live

from .common import CtrlCreditCase


@tagged("post_install", "-at_install")
class TestCreditGoLive(CtrlCreditCase):
    """Issue #24: before activation an order behaves as in Odoo; after it, invoices
    due before the go-live date never hold an order."""

    ctrl_live = False

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.company"].search([]).sudo().action_ctrl_deactivate()
        cls.today = fields.Date.context_today(cls.env["sale.order"].with_user(cls.salesman))
        cls.go_live = cls.today - timedelta(days=60)

    def _invoice_due(self, amount, due):
        invoice = self.init_invoice("out_invoice", partner=self.customer, amounts=[amount], invoice_date=due,
                                    post=False)
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = due
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").date_maturity = due
        invoice.action_post()
        return invoice

    def _requests(self, order):
        return self.env["ctrl.approval.request"].sudo().search([("res_model", "=", "sale.order"),
                                                                ("res_id", "=", order.id)])

    def test_not_live_order_confirms_and_delivers(self):
        self.company.write({"ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 0.0})
        self._invoice_due(1000000.0, self.today - timedelta(days=400))  # far over the 10,000 limit, long overdue
        order = self._order(qty=2000)  # 200,000: above the checklist amount and the salesperson's authority
        self.assertFalse(order.ctrl_credit_problems)
        self.assertFalse(self.customer.ctrl_credit_on_hold)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._requests(order), "no approval by value before activation")
        self.assertFalse(self.env["ctrl.credit.hold"].search([("partner_id", "=", self.customer.id)]))
        picking = order.picking_ids
        self.assertFalse(picking.ctrl_credit_problems)
        picking.move_ids.quantity = 2000
        picking.button_validate()
        self.assertEqual(picking.state, "done")
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[500.0], post=True)
        self.assertEqual(refund.state, "posted", "no credit-note approval before activation")
        # Once active, the same customer is held.
        set_ctrl_live(self.company)
        with self.assertRaisesRegex(UserError, "credit hold"):
            self._order(qty=1).action_confirm()

    def test_ignore_policy_overdue_counts_from_go_live(self):
        set_ctrl_live(self.company, go_live=self.go_live, policy="ignore")
        self.company.ctrl_credit_overdue_grace_days = 5
        self._invoice_due(100.0, self.go_live - timedelta(days=400))
        self.assertFalse(self.customer._ctrl_credit_overdue_map(self.company))
        order = self._order(qty=1)
        self.assertFalse(order.ctrl_credit_problems)
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # The exposure still counts the old invoice: a limit is a limit.
        self.assertAlmostEqual(self.customer._ctrl_credit_exposure_map(self.company)[self.customer.id], 200.0)
        # Under 'full', older invoices count too.
        self.company.sudo().ctrl_backlog_policy = "full"
        with self.assertRaisesRegex(UserError, "Overdue"):
            self._order(qty=1).action_confirm()
        self.company.sudo().ctrl_backlog_policy = "ignore"
        # An invoice due after the go-live date, overdue beyond the grace days, holds the next order.
        self._invoice_due(100.0, self.go_live + timedelta(days=10))
        self.assertGreater(self.customer._ctrl_credit_overdue_map(self.company)[self.customer.id], 5)
        order = self._order(qty=1)
        self.assertIn("Overdue", order.ctrl_credit_problems)
        with self.assertRaisesRegex(UserError, "Overdue"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
