# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Browser flow: a salesperson opens a held quotation, sees the credit banner
and clicks "Request approval" to ask for the hold's release."""
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import set_ctrl_live


@tagged("post_install", "-at_install")
class TestCreditHoldTour(HttpCase):
    def test_held_order_request_approval(self):
        env = self.env
        company = env.company
        set_ctrl_live(company)  # the credit checks act once the company's controls are active
        salesman = new_test_user(env, "tour_cc_sales", name="Zhou Lei",
                                 groups="sales_team.group_sale_salesman,ctrl_credit.group_credit_user",
                                 company_id=company.id, company_ids=[Command.set(company.ids)])
        grade = env["ctrl.credit.grade"].search([("company_id", "=", company.id), ("policy", "=", "credit")],
                                                limit=1)
        self.assertTrue(grade, "the tour needs a grade that allows credit")
        customer = env["res.partner"].sudo().with_context(ctrl_credit_limit_approved=True).create({
            "name": "Tour Held Customer", "is_company": True})
        customer.with_company(company).sudo().with_context(ctrl_credit_limit_approved=True).write({
            "ctrl_credit_grade_id": grade.id, "credit_limit": 1000.0})
        product = env["product.product"].create({"name": "Tour widget", "list_price": 200.0,
                                                 "taxes_id": [Command.clear()]})
        order = env["sale.order"].with_user(salesman).create({
            "partner_id": customer.id, "user_id": salesman.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10, "price_unit": 200.0,
                                          "tax_id": [Command.clear()]})],
        })
        self.assertIn("Over credit limit", order.ctrl_credit_problems)

        self.start_tour(f"/odoo/action-sale.action_quotations_with_onboarding/{order.id}", "ctrl_credit_hold_tour",
                        login="tour_cc_sales")

        hold = env["ctrl.credit.hold"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        self.assertEqual((hold.reason, hold.state), ("over_limit", "active"))
        request = hold._ctrl_approval_requests("hold_release", ["pending"])
        self.assertEqual(request.requested_by_id, salesman)
        self.assertIn("Season order", request.reason)
        self.assertEqual(order.state, "draft")
