# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Seed 003's sales-side controls: incompatible duties (D7 第四条, D17) and
price and discount authority (R1.18-R1.20, R6.3, R6.4), attacked as the
users who hold the duties, through the calls a web client makes."""
from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CtrlCreditCase

CLIENT_KEYS = {"ctrl_credit_checked": True, "install_module": "ctrl_credit", "tracking_disable": True}


@tagged("post_install", "-at_install")
class TestSalesControls(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ctrl_credit_checklist_amount = 0
        cls.gadget = cls.env["product.product"].create({
            "name": "Gadget", "type": "consu", "list_price": 100.0, "invoice_policy": "order",
            "taxes_id": [Command.clear()]})
        cls.sales_vp = new_test_user(
            cls.env, "cc_vp", groups="sales_team.group_sale_manager,ctrl_base.group_approver_sales_vp",
            company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.shipper = new_test_user(cls.env, "cc_ship", groups="stock.group_stock_user",
                                    company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.billing = new_test_user(cls.env, "cc_bill", groups="account.group_account_invoice",
                                    company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.admin = new_test_user(cls.env, "cc_admin", groups="base.group_system,base.group_erp_manager",
                                  company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])

    def _sale(self, price=100.0, discount=0.0, qty=1):
        return self.env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "user_id": self.salesman.id,
            "order_line": [Command.create({"product_id": self.gadget.id, "product_uom_qty": qty,
                                          "price_unit": price, "discount": discount, "tax_id": [Command.clear()]})],
        })

    def _price_request(self, order, states=("pending",)):
        return order._ctrl_price_requests(list(states))

    def _validate(self, order, user):
        picking = order.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        picking.move_ids.write({"quantity": 1.0, "picked": True})
        return picking.with_user(user).with_context(**CLIENT_KEYS).button_validate()

    # ------------------------------------------------------------------
    # Incompatible duties: the pairs, the report, the refusal
    # ------------------------------------------------------------------
    def test_pairs_loaded_with_the_groups(self):
        pairs = {self.env.ref(f"ctrl_credit.{xmlid}") for xmlid in (
            "duty_credit_vs_contract", "duty_contract_vs_shipment", "duty_returns_vs_accounting",
            "duty_selling_vs_invoicing")}
        self.assertEqual(len(pairs), 4)
        selling = self.env.ref("ctrl_credit.duty_selling_vs_invoicing")
        self.assertEqual(selling.group_a_ids, self.env.ref("sales_team.group_sale_salesman"))
        self.assertEqual(selling.group_b_ids, self.env.ref("account.group_account_invoice"))

    def test_report_lists_users_holding_a_pair(self):
        both = new_test_user(self.env, "cc_both",
                             groups="sales_team.group_sale_salesman,account.group_account_invoice",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        selling = self.env.ref("ctrl_credit.duty_selling_vs_invoicing")
        rows = self.env["ctrl.duty.conflict.holder"].search([("user_id", "in", (both | self.salesman).ids)])
        self.assertEqual(rows.filtered(lambda r: r.user_id == both).conflict_id, selling)
        self.assertFalse(rows.filtered(lambda r: r.user_id == self.salesman))
        row = rows.filtered(lambda r: r.user_id == both)
        self.assertIn("Invoicing", row.groups_b)
        self.assertIn(both.id, [user for user, conflict in selling._holders() if conflict == selling.id])
        self.assertGreaterEqual(selling.holder_count, 1)

    def test_group_assignment_refused_with_the_pair_named(self):
        self.company.ctrl_duty_refuse_conflicts = True
        invoicing = self.env.ref("account.group_account_invoice")
        admin = self.admin.with_context(**CLIENT_KEYS)
        # The user form.
        with self.assertRaisesRegex(ValidationError, "Selling vs invoicing"):
            admin.env["res.users"].browse(self.salesman.id).write({"groups_id": [Command.link(invoicing.id)]})
        self.assertNotIn(invoicing, self.salesman.groups_id)
        # The group form.
        with self.assertRaisesRegex(ValidationError, "'Selling' and 'Issuing invoices'"):
            admin.env["res.groups"].browse(invoicing.id).write({"users": [Command.link(self.salesman.id)]})
        self.assertNotIn(self.salesman, invoicing.users)
        # A new user.
        with self.assertRaisesRegex(ValidationError, "Selling vs invoicing"):
            admin.env["res.users"].create({
                "name": "Both", "login": "cc_new_both", "company_id": self.company.id,
                "company_ids": [Command.set(self.company.ids)],
                "groups_id": [Command.set([self.env.ref("sales_team.group_sale_salesman").id, invoicing.id])]})
        # A group made to imply the other duty.
        with self.assertRaisesRegex(ValidationError, "incompatible"):
            admin.env["res.groups"].browse(self.env.ref("ctrl_credit.group_credit_user").id).write(
                {"implied_ids": [Command.link(invoicing.id)]})
        # Switched off: Odoo's own behaviour.
        self.company.ctrl_duty_refuse_conflicts = False
        admin.env["res.users"].browse(self.salesman.id).write({"groups_id": [Command.link(invoicing.id)]})
        self.assertIn(invoicing, self.salesman.groups_id)

    def test_pair_held_already_does_not_block_other_changes(self):
        both = new_test_user(self.env, "cc_both2",
                             groups="sales_team.group_sale_salesman,account.group_account_invoice",
                             company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.company.ctrl_duty_refuse_conflicts = True
        both.with_user(self.admin).write({"groups_id": [Command.link(self.env.ref("base.group_partner_manager").id)]})
        self.assertIn(self.env.ref("base.group_partner_manager"), both.groups_id)

    # ------------------------------------------------------------------
    # Record level: the approver does not ship, the confirmer does not invoice
    # ------------------------------------------------------------------
    def test_approver_cannot_validate_the_delivery(self):
        self.company.ctrl_price_approval = True
        self.company.ctrl_duty_approver_not_shipper = True
        self.sales_mgr.groups_id += self.env.ref("stock.group_stock_user")
        order = self._sale(price=97.0)
        order.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        self._price_request(order).with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale")
        with self.assertRaisesRegex(UserError, f"You approved order {order.name}"):
            self._validate(order, self.sales_mgr)
        self.assertEqual(order.picking_ids.state, "assigned")
        self._validate(order, self.shipper)
        self.assertEqual(order.picking_ids.state, "done")

    def test_approver_may_validate_when_off(self):
        self.company.ctrl_price_approval = True
        self.sales_mgr.groups_id += self.env.ref("stock.group_stock_user")
        order = self._sale(price=97.0)
        order.with_user(self.salesman).action_confirm()
        self._price_request(order).with_user(self.sales_mgr).action_approve()
        self._validate(order, self.sales_mgr)
        self.assertEqual(order.picking_ids.state, "done")

    def test_confirmer_cannot_post_the_invoice(self):
        self.company.ctrl_duty_confirmer_not_invoicer = True
        self.salesman.groups_id += self.env.ref("account.group_account_invoice")
        order = self._sale()
        order.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        self.assertEqual(order.ctrl_confirmed_by_id, self.salesman)
        with self.assertRaisesRegex(UserError, "'Confirmed by'"):
            order.with_user(self.salesman).write({"ctrl_confirmed_by_id": self.billing.id})
        invoice = order._create_invoices()
        with self.assertRaisesRegex(UserError, f"You confirmed order {order.name}"):
            invoice.with_user(self.salesman).with_context(**CLIENT_KEYS).action_post()
        self.assertEqual(invoice.state, "draft")
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_confirmer_may_post_when_off(self):
        self.salesman.groups_id += self.env.ref("account.group_account_invoice")
        order = self._sale()
        order.with_user(self.salesman).action_confirm()
        invoice = order._create_invoices()
        invoice.with_user(self.salesman).action_post()
        self.assertEqual(invoice.state, "posted")

    # ------------------------------------------------------------------
    # Price and discount authority
    # ------------------------------------------------------------------
    def test_list_price_confirms_without_approval(self):
        self.company.ctrl_price_approval = True
        order = self._sale(price=100.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertFalse(self._price_request(order, ("pending", "approved")))

    def test_below_list_needs_the_sales_manager(self):
        self.company.ctrl_price_approval = True
        self.assertEqual(self.company.ctrl_price_band, 5.0)
        order = self._sale(price=97.0)
        self.assertIn("3.0% below", order.ctrl_price_problems)
        result = order.with_user(self.salesman).with_context(**CLIENT_KEYS).action_confirm()
        self.assertEqual(result["tag"], "display_notification")
        self.assertEqual(order.state, "draft")
        request = self._price_request(order)
        self.assertEqual(request.kind, "price_standard")
        # The salesman cannot confirm by a write, nor approve his own request.
        with self.assertRaisesRegex(UserError, "need approval before confirmation"):
            order.with_user(self.salesman).with_context(**CLIENT_KEYS).write({"state": "sale"})
        with self.assertRaises(UserError):
            self.env["sale.order"].with_user(self.salesman).create({
                "partner_id": self.customer.id, "state": "sale",
                "order_line": [Command.create({"product_id": self.gadget.id, "price_unit": 50.0})]})
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_vp).action_approve()
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.ctrl_confirmed_by_id, self.salesman)

    def test_beyond_the_band_needs_the_sales_vp(self):
        self.company.ctrl_price_approval = True
        order = self._sale(price=100.0, discount=10.0)
        order.with_user(self.salesman).action_confirm()
        request = self._price_request(order)
        self.assertEqual(request.kind, "price_exception")
        with self.assertRaises(AccessError):
            request.with_user(self.sales_mgr).action_approve()
        request.with_user(self.sales_vp).action_approve()
        self.assertEqual(order.state, "sale")

    def test_grade_discount_is_allowed(self):
        self.company.ctrl_price_approval = True
        self.grade_data["B"].max_discount = 8.0
        order = self._sale(discount=8.0)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        order2 = self._sale(discount=9.0)
        order2.with_user(self.salesman).action_confirm()
        self.assertEqual(order2.state, "draft")
        self.assertEqual(self._price_request(order2).kind, "price_standard")

    def test_grade_discount_bad_input(self):
        grade = self.grade_data["B"]
        for value in (-1.0, 100.5):
            with self.assertRaisesRegex(ValidationError, "Maximum discount"), self.cr.savepoint():
                grade.max_discount = value
                grade.flush_recordset()
        self.assertEqual(grade.max_discount, 0.0, "nothing half-written")

    def test_change_after_approval_needs_a_new_one(self):
        self.company.ctrl_price_approval = True
        self.company.ctrl_credit_order_approval = False
        order = self._sale(price=97.0)
        order.with_user(self.salesman).action_confirm()
        request = self._price_request(order)
        # Changed while pending: withdrawn.
        order.order_line.with_user(self.salesman).write({"price_unit": 96.0})
        self.assertEqual(request.state, "cancel")
        order.with_user(self.salesman).action_confirm()
        request = self._price_request(order)
        request.with_user(self.sales_mgr).action_approve()
        self.assertEqual(order.state, "sale")
        # Confirmed: a lower price is refused, a higher one is logged.
        with self.assertRaisesRegex(UserError, "needs approval"):
            order.order_line.with_user(self.salesman).with_context(**CLIENT_KEYS).write({"price_unit": 95.0})
        self.assertEqual(order.order_line.price_unit, 96.0)
        order.order_line.with_user(self.salesman).write({"price_unit": 100.0})
        self.assertTrue(any("96.00" in (m.body or "") and "100.00" in (m.body or "") for m in order.message_ids))
        with self.assertRaisesRegex(UserError, "needs approval"):
            order.order_line.with_user(self.salesman).write({"discount": 20.0})

    def test_off_keeps_odoo_behaviour(self):
        self.assertFalse(self.company.ctrl_price_approval)
        order = self._sale(price=50.0, discount=30.0)
        self.assertFalse(order.ctrl_price_problems)
        order.with_user(self.salesman).action_confirm()
        self.assertEqual(order.state, "sale")
        order.order_line.with_user(self.salesman).write({"price_unit": 40.0})
        self.assertEqual(order.order_line.price_unit, 40.0)

    # ------------------------------------------------------------------
    # Invoices checked against their orders
    # ------------------------------------------------------------------
    def _invoice(self, price=None, discount=None):
        order = self._sale(price=100.0)
        order.with_user(self.salesman).action_confirm()
        invoice = order._create_invoices()
        changes = {key: value for key, value in (("price_unit", price), ("discount", discount)) if value is not None}
        if changes:
            invoice.with_user(self.billing).write(
                {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, changes)]})
        return invoice

    def test_invoice_matching_its_order_posts(self):
        self.company.ctrl_invoice_price_check = True
        invoice = self._invoice()
        self.assertFalse(invoice.ctrl_invoice_mismatch)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")

    def test_invoice_differing_from_its_order_is_held_for_finance(self):
        self.company.ctrl_invoice_price_check = True
        invoice = self._invoice(price=90.0)
        self.assertIn("unit price", invoice.ctrl_invoice_mismatch)
        self.assertIn("Gadget", invoice.ctrl_invoice_mismatch)
        result = invoice.with_user(self.billing).with_context(**CLIENT_KEYS).action_post()
        self.assertEqual(result["params"]["title"], "Invoice held for finance")
        self.assertEqual(invoice.state, "draft")
        request = invoice._ctrl_approval_requests("invoice_check", ["pending"])
        self.assertIn("Gadget", request.reason)
        self.assertIn(self.finance, request._activities().user_id)
        # No other route posts it.
        with self.assertRaisesRegex(UserError, "held for finance"):
            invoice.with_user(self.billing).with_context(**CLIENT_KEYS)._post()
        with self.assertRaises(AccessError):
            request.with_user(self.billing).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.sales_mgr).action_approve()
        # Changed while held: the request no longer matches, finance cannot approve it.
        invoice.with_user(self.billing).write(
            {"invoice_line_ids": [Command.update(invoice.invoice_line_ids.id, {"discount": 5.0})]})
        with self.assertRaisesRegex(UserError, "content changed"):
            request.with_user(self.finance).action_approve()
        invoice.with_user(self.billing).action_post()
        request = invoice._ctrl_approval_requests("invoice_check", ["pending"])
        request.with_user(self.finance).action_approve()
        self.assertEqual(invoice.state, "posted")
        self.assertTrue(any("approved" in (message.body or "").lower() for message in invoice.message_ids))

    def test_invoice_check_off_keeps_odoo_behaviour(self):
        invoice = self._invoice(price=90.0)
        self.assertFalse(invoice.ctrl_invoice_mismatch)
        invoice.with_user(self.billing).action_post()
        self.assertEqual(invoice.state, "posted")
