# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seed 003's price lists (R1.1-R1.3): a price list and each price adjustment reviewed by the sales
supervisor and approved by the general manager before orders use it; finance is told."""
from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import CtrlCreditCase

CLIENT_KEYS = {"ctrl_credit_checked": True, "install_module": "ctrl_credit", "tracking_disable": True}


@tagged("post_install", "-at_install")
class TestPricelistApproval(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write({"ctrl_credit_checklist_amount": 0, "ctrl_credit_order_approval": False})
        cls.pricelist = cls.env["product.pricelist"].create({
            "name": "Distributors 2027", "company_id": cls.company.id,
            "item_ids": [Command.create({"applied_on": "0_product_variant", "product_id": cls.product.id,
                                         "compute_price": "fixed", "fixed_price": 90.0})]})

    def _order_on(self, pricelist):
        return self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "user_id": self.salesman.id, "pricelist_id": pricelist.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1,
                                          "tax_id": [Command.clear()]})]})

    def _selectable(self):
        return self.env["product.pricelist"].with_user(self.salesman).search(
            [("id", "=", self.pricelist.id), ("ctrl_pricelist_selectable", "=", True)])

    def test_off_under_odoo_defaults(self):
        self.assertTrue(self._selectable(), "Odoo defaults: every price list is offered")
        order = self._order_on(self.pricelist)
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_sales_supervisor_then_general_manager_and_finance_told(self):
        self.company.ctrl_pricelist_approval = True
        self.assertFalse(self._selectable(), "an unapproved price list is not offered on orders")
        order = self._order_on(self.pricelist)
        with self.assertRaisesRegex(UserError, "not approved"):
            order.action_confirm()
        with self.assertRaisesRegex(UserError, "not approved"):
            order.with_context(**CLIENT_KEYS).write({"state": "sale"})
        self.assertEqual(order.state, "draft")
        # A salesperson cannot change price lists, so cannot submit one either.
        with self.assertRaises(AccessError):
            self.pricelist.with_user(self.salesman).action_ctrl_pricelist_submit()
        preparer = self.env.user
        self.pricelist.action_ctrl_pricelist_submit()
        request = self.pricelist._ctrl_approval_requests("pricelist", ["pending"])
        self.assertEqual(request.payload["items"][0]["fixed_price"], 90.0, "the version submitted is kept")
        self.assertEqual(request.prepared_by_id | request.requested_by_id, preparer)
        # In order: the general manager cannot decide before the sales supervisor, nor finance at all.
        for user in (self.gm, self.finance, self.salesman):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        request.with_user(self.sales_mgr).action_approve()
        self.assertFalse(self.pricelist.ctrl_pricelist_approved)
        with self.assertRaises(AccessError):
            request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertTrue(self.pricelist.ctrl_pricelist_approved)
        self.assertTrue(self._selectable())
        told = self.pricelist.message_ids.filtered(lambda m: "Price list approved" in (m.body or ""))
        self.assertTrue(told.partner_ids & self.finance.partner_id, "finance is told of the approved version")
        order.action_confirm()
        self.assertEqual(order.state, "sale")

    def test_a_price_adjustment_needs_a_new_approval(self):
        self.company.ctrl_pricelist_approval = True
        self.pricelist.action_ctrl_pricelist_submit()
        request = self.pricelist._ctrl_approval_requests("pricelist", ["pending"])
        # Changed while pending: that request cannot be approved any more.
        self.pricelist.item_ids.fixed_price = 85.0
        with self.assertRaisesRegex(UserError, "changed"):
            request.with_user(self.sales_mgr).action_approve()
        self.pricelist.action_ctrl_pricelist_submit()
        request = self.pricelist._ctrl_approval_requests("pricelist", ["pending"])
        self.assertEqual(request.payload["items"][0]["fixed_price"], 85.0)
        request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertTrue(self.pricelist.ctrl_pricelist_approved)
        # A price adjustment after the approval: the price list is not used until approved again.
        self.pricelist.item_ids.fixed_price = 80.0
        self.assertFalse(self.pricelist.ctrl_pricelist_approved)
        order = self._order_on(self.pricelist)
        with self.assertRaisesRegex(UserError, "not approved"):
            order.action_confirm()
        self.env["product.pricelist.item"].create({
            "pricelist_id": self.pricelist.id, "applied_on": "3_global", "compute_price": "percentage",
            "percent_price": 10.0})
        self.pricelist.action_ctrl_pricelist_submit()
        request = self.pricelist._ctrl_approval_requests("pricelist", ["pending"])
        self.assertEqual(len(request.payload["items"]), 2)
        request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.gm).action_approve()
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        # Every approved version stays readable to finance.
        versions = self.env["ctrl.approval.request"].with_user(self.finance).search(
            [("res_model", "=", "product.pricelist"), ("res_id", "=", self.pricelist.id), ("state", "=", "approved")])
        self.assertEqual(len(versions), 2)
