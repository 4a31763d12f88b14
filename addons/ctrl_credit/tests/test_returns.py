# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seed 003's returns and allowances (R1.30-R1.32): a customer return and an allowance approved by
the sales supervisor, returned goods inspected before they are stocked, attacked as the users who
hold each duty."""
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CtrlCreditCase

CLIENT_KEYS = {"ctrl_credit_checked": True, "install_module": "ctrl_credit", "tracking_disable": True}


@tagged("post_install", "-at_install")
class TestReturnsAndAllowances(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"ctrl_credit_checklist_amount": 0, "ctrl_credit_order_approval": False})
        cls.returnable = cls.env["product.product"].create({
            "name": "Returnable", "type": "consu", "is_storable": True, "list_price": 100.0,
            "invoice_policy": "delivery", "taxes_id": [Command.clear()]})
        company_vals = {"company_id": cls.company.id, "company_ids": [Command.set(cls.company.ids)]}
        cls.warehouse_user = new_test_user(cls.env, "cc_wh", groups="stock.group_stock_user", **company_vals)
        cls.inspector = new_test_user(cls.env, "cc_qc", groups="ctrl_credit.group_return_inspector", **company_vals)
        cls.stock_location = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1).lot_stock_id
        cls.scrap = cls.env["stock.location"].create({
            "name": "Rejected returns", "usage": "inventory", "scrap_location": True, "company_id": cls.company.id})

    def _on(self, inspection=True):
        self.company.write({"ctrl_return_approval": True, "ctrl_return_inspection": inspection})

    def _delivered_order(self, qty=5):
        order = self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "user_id": self.salesman.id,
            "order_line": [Command.create({"product_id": self.returnable.id, "product_uom_qty": qty,
                                          "price_unit": 100.0, "tax_id": [Command.clear()]})],
        })
        order.action_confirm()
        delivery = order.picking_ids
        delivery.move_ids.write({"quantity": qty, "picked": True})
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        invoice = order._create_invoices()
        invoice.action_post()
        return order, delivery

    def _return(self, delivery, qty=2):
        wizard = Form(self.env["stock.return.picking"].with_user(self.warehouse_user).with_context(
            active_id=delivery.id, active_ids=delivery.ids, active_model="stock.picking"))
        with wizard.product_return_moves.edit(0) as line:
            line.quantity = qty
        action = wizard.save().action_create_returns()
        returned = self.env["stock.picking"].browse(action["res_id"])
        self.assertTrue(returned.ctrl_is_customer_return)
        return returned

    def _receive(self, returned, user=None):
        returned.move_ids.write({"picked": True})
        return returned.with_user(user or self.warehouse_user).with_context(**CLIENT_KEYS).button_validate()

    def _stock(self):
        quants = self.env["stock.quant"].search([("product_id", "=", self.returnable.id),
                                                 ("location_id", "child_of", self.stock_location.id)])
        return sum(quants.mapped("quantity"))

    def test_off_under_odoo_defaults(self):
        _order, delivery = self._delivered_order()
        returned = self._return(delivery)
        self._receive(returned)
        self.assertEqual(returned.state, "done", "Odoo defaults: a return is received as in Odoo")
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[50])
        refund.action_post()
        self.assertEqual(refund.state, "posted", "Odoo defaults: an allowance is posted as in Odoo")

    def test_return_approved_by_the_sales_supervisor_then_inspected(self):
        self._on()
        _order, delivery = self._delivered_order()
        returned = self._return(delivery)
        before = self._stock()
        result = self._receive(returned)
        self.assertEqual((result["tag"], returned.state), ("display_notification", "assigned"))
        request = returned._ctrl_approval_requests("customer_return", ["pending"])
        self.assertEqual(request.current_step_name, "Sales supervisor")
        # Every other route to validation is refused while it waits.
        with self.assertRaisesRegex(UserError, "sales supervisor's approval"):
            returned.with_user(self.warehouse_user)._action_done()
        for user in (self.warehouse_user, self.salesman, self.finance, self.inspector):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        request.with_user(self.sales_mgr).action_approve()
        self.assertTrue(returned._ctrl_is_approved("customer_return"))
        # Approved, but not inspected yet: not stocked.
        with self.assertRaisesRegex(UserError, "inspected"):
            self._receive(returned)
        self.assertEqual(returned.state, "assigned")
        # Only an inspector records the inspection, through its buttons.
        with self.assertRaises(AccessError):
            returned.with_user(self.warehouse_user).action_ctrl_inspection_accept()
        with self.assertRaises(AccessError):
            returned.with_user(self.warehouse_user).write({"ctrl_inspection_result": "accepted"})
        with self.assertRaises(AccessError):
            returned.with_user(self.inspector).write({"ctrl_inspected_by_id": self.inspector.id})
        returned.with_user(self.inspector).write({"ctrl_inspection_note": "Boxes intact, 2 units counted."})
        returned.with_user(self.inspector).action_ctrl_inspection_accept()
        self.assertEqual((returned.ctrl_inspection_result, returned.ctrl_inspected_by_id),
                         ("accepted", self.inspector))
        with self.assertRaisesRegex(UserError, "cannot change"):
            returned.with_user(self.inspector).write({"ctrl_inspection_note": "Nothing checked."})
        # The inspector does not also count the goods into stock.
        with self.assertRaisesRegex(UserError, "two people's duties"):
            self._receive(returned, user=self.inspector)
        self._receive(returned)
        self.assertEqual(returned.state, "done")
        self.assertEqual(self._stock() - before, 2.0)

    def test_approval_binds_the_quantities(self):
        self._on(inspection=False)
        _order, delivery = self._delivered_order()
        returned = self._return(delivery)
        self._receive(returned)
        returned._ctrl_approval_requests("customer_return", ["pending"]).with_user(self.sales_mgr).action_approve()
        # More units announced after the approval: the approval no longer covers the return.
        returned.move_ids.with_user(self.warehouse_user).write({"product_uom_qty": 4})
        self.assertFalse(returned._ctrl_is_approved("customer_return"))
        with self.assertRaisesRegex(UserError, "sales supervisor's approval"):
            returned._action_done()
        self._receive(returned)
        self.assertEqual(returned.state, "assigned", "a new request is sent instead")
        request = returned._ctrl_approval_requests("customer_return", ["pending"])
        self.assertIn("4", request.reason)
        # A pending request for quantities that changed cannot be approved.
        returned.move_ids.with_user(self.warehouse_user).write({"product_uom_qty": 3})
        with self.assertRaisesRegex(UserError, "changed"):
            request.with_user(self.sales_mgr).action_approve()
        self._receive(returned)
        request = returned._ctrl_approval_requests("customer_return", ["pending"])
        self.assertIn("3", request.reason)
        request.with_user(self.sales_mgr).action_approve()
        # Receiving more than approved is refused; less is received.
        returned.move_ids.write({"quantity": 5})
        with self.assertRaisesRegex(UserError, "were approved"):
            returned.with_user(self.warehouse_user)._action_done()
        returned.move_ids.write({"quantity": 3})
        self._receive(returned)
        self.assertEqual(returned.state, "done")

    def test_rejected_goods_are_not_stocked(self):
        self._on()
        _order, delivery = self._delivered_order()
        returned = self._return(delivery)
        self._receive(returned)
        returned._ctrl_approval_requests("customer_return", ["pending"]).with_user(self.sales_mgr).action_approve()
        inspected = returned.with_user(self.inspector)
        with self.assertRaisesRegex(UserError, "Inspection report"):
            inspected.action_ctrl_inspection_reject()
        self.assertFalse(returned.ctrl_inspection_result, "nothing is recorded")
        inspected.write({"ctrl_inspection_note": "Water damage on both units."})
        inspected.action_ctrl_inspection_reject()
        with self.assertRaisesRegex(UserError, "already recorded"):
            inspected.action_ctrl_inspection_accept()
        before = self._stock()
        with self.assertRaisesRegex(UserError, "rejected the goods"):
            self._receive(returned)
        returned.with_user(self.warehouse_user).write({"location_dest_id": self.scrap.id})
        with self.assertRaisesRegex(UserError, "rejected the goods"):
            self._receive(returned)
        returned.move_line_ids.with_user(self.warehouse_user).write({"location_dest_id": self.scrap.id})
        self._receive(returned)
        self.assertEqual(returned.state, "done")
        self.assertEqual(self._stock(), before, "rejected goods go to the scrap location, not to stock")

    def test_inspection_binds_the_quantities(self):
        self._on()
        self.company.ctrl_return_approval = False
        _order, delivery = self._delivered_order()
        returned = self._return(delivery)
        self.assertTrue(returned.ctrl_inspection_needed)
        returned.with_user(self.inspector).action_ctrl_inspection_accept()
        self.assertFalse(returned.ctrl_inspection_needed)
        returned.move_ids.with_user(self.warehouse_user).write({"product_uom_qty": 5, "quantity": 5})
        self.assertTrue(returned.ctrl_inspection_needed, "more goods announced: inspected again")
        with self.assertRaisesRegex(UserError, "inspected again"):
            self._receive(returned)
        returned.with_user(self.inspector).action_ctrl_inspection_accept()
        self._receive(returned)
        self.assertEqual(returned.state, "done")

    def test_credit_note_for_returned_goods_is_no_allowance(self):
        self._on(inspection=False)
        order, delivery = self._delivered_order()
        returned = self._return(delivery)
        self._receive(returned)
        returned._ctrl_approval_requests("customer_return", ["pending"]).with_user(self.sales_mgr).action_approve()
        self._receive(returned)
        self.assertEqual(order.order_line.qty_delivered, 3.0)
        refund = order._create_invoices(final=True)
        self.assertEqual((refund.move_type, refund.invoice_line_ids.quantity), ("out_refund", 2.0))
        self.assertFalse(refund._ctrl_is_allowance())
        # Crediting more than came back, or at a higher price than sold, is an allowance.
        refund.invoice_line_ids.quantity = 3.0
        self.assertTrue(refund._ctrl_is_allowance())
        refund.invoice_line_ids.write({"quantity": 2.0, "price_unit": 120.0})
        self.assertTrue(refund._ctrl_is_allowance())
        refund.invoice_line_ids.price_unit = 100.0
        refund.action_post()
        self.assertEqual(refund.state, "posted", "covered by the approved return: no second approval")

    def test_allowance_approved_by_the_sales_supervisor(self):
        self._on(inspection=False)
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[80])
        refund.invoice_user_id = self.salesman
        self.assertTrue(refund._ctrl_is_allowance())
        result = refund.with_user(self.salesman).sudo().action_post()
        self.assertEqual((result["tag"], refund.state), ("display_notification", "draft"))
        with self.assertRaisesRegex(UserError, "allowance"):
            refund._post()
        with self.assertRaisesRegex(UserError, "allowance"):
            refund.write({"state": "posted"})
        request = refund._ctrl_approval_requests("allowance", ["pending"])
        for user in (self.salesman, self.finance):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(refund.state, "posted")

    def test_allowance_then_finance_and_the_approval_binds_the_lines(self):
        self._on(inspection=False)
        self.company.write({"ctrl_credit_note_approval": True, "ctrl_credit_note_threshold": 0.0})
        refund = self.init_invoice("out_refund", partner=self.customer, amounts=[80])
        refund.invoice_user_id = self.salesman
        refund.with_user(self.salesman).sudo().action_post()
        self.assertFalse(refund._ctrl_approval_requests("credit_note"), "the sales supervisor decides first")
        refund._ctrl_approval_requests("allowance", ["pending"]).with_user(self.sales_mgr).action_approve()
        self.assertEqual(refund.state, "draft")
        request = refund._ctrl_approval_requests("credit_note", ["pending"])
        self.assertTrue(request, "then the finance supervisor")
        # Edited after the allowance was approved: the allowance is to approve again.
        refund.invoice_line_ids.quantity = 2
        self.assertFalse(refund._ctrl_is_approved("allowance"))
        with self.assertRaisesRegex(UserError, "changed"):
            request.with_user(self.finance).action_approve()
        self.assertEqual(refund._ctrl_credit_note_needs_approval(), "allowance")
        refund.with_user(self.salesman).sudo().action_post()
        refund._ctrl_approval_requests("allowance", ["pending"]).with_user(self.sales_mgr).action_approve()
        refund._ctrl_approval_requests("credit_note", ["pending"]).with_user(self.finance).action_approve()
        self.assertEqual(refund.state, "posted")

    def test_seed_policy_turns_both_on(self):
        self.company.ctrl_policy = "seed"
        self.assertEqual((self.company.ctrl_return_approval, self.company.ctrl_return_inspection), (True, True))
        self.company.ctrl_policy = "odoo"
        self.assertEqual((self.company.ctrl_return_approval, self.company.ctrl_return_inspection), (False, False))
