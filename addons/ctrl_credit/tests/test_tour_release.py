# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The guided tour of a salesman's held order to an approved release, in the
browser, each person logged in with only the groups of their role. The tours
fail on an error dialog or a technical name on screen (ctrl_tour_utils.js)."""
from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


@tagged("post_install", "-at_install")
class TestReleaseTour(CtrlAssertMixin, HttpCase):
    def setUp(self):
        super().setUp()
        env = self.env
        company = env.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)], "tz": "UTC"}
        # The roles as the demo users hold them: groups only, names as people read them.
        self.salesman = new_test_user(
            env, "tour_salesman", name="Zhou Lei",
            groups="sales_team.group_sale_salesman,ctrl_credit.group_credit_user", **common)
        self.sales_manager = new_test_user(
            env, "tour_sales_manager", name="Sun Li",
            groups="sales_team.group_sale_manager,ctrl_credit.group_credit_user,"
                   "ctrl_base.group_approver_sales_manager", **common)
        self.finance = new_test_user(
            env, "tour_finance", name="Xu Hui",
            groups="account.group_account_manager,ctrl_credit.group_credit_user,ctrl_base.group_approver_finance",
            **common)
        grade = env["ctrl.credit.grade"].search([("company_id", "=", company.id), ("policy", "=", "credit")],
                                                limit=1)
        self.assertTrue(grade, "the tour needs a grade that allows credit")
        self.customer = env["res.partner"].create({"name": "Ready Mat Trading", "is_company": True})
        self.customer.with_company(company).sudo().with_context(ctrl_credit_limit_approved=True).write({
            "ctrl_credit_grade_id": grade.id, "credit_limit": 10000.0})
        self.hold = env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual",
                                                        note="Cheque returned unpaid by the bank")
        product = env["product.product"].create({"name": "Ready-mix concrete", "list_price": 100.0,
                                                 "taxes_id": [Command.clear()]})
        self.order = env["sale.order"].with_user(self.salesman).create({
            "partner_id": self.customer.id, "user_id": self.salesman.id,
            "order_line": [Command.create({"product_id": product.id, "product_uom_qty": 10, "price_unit": 100.0,
                                          "tax_id": [Command.clear()]})],
        })

    def test_held_order_to_approved_release(self):
        self.assertIn("Cheque returned unpaid", self.order.ctrl_credit_problems)

        self.start_tour("/odoo", "ctrl_credit_release_request_tour", login="tour_salesman")
        request = self.hold._ctrl_approval_requests("hold_release", ["pending"])
        self.assertEqual(request.requested_by_id, self.salesman)
        self.assertIn("bank transfer", request.reason)
        self.assertEqual(self.order.state, "draft")

        self.start_tour("/odoo", "ctrl_credit_release_approve_tour", login="tour_sales_manager")
        self.assertEqual((request.state, self.hold.state), ("pending", "active"), "finance decides next")
        self.start_tour("/odoo", "ctrl_credit_release_approve_tour", login="tour_finance")
        self.assertEqual(request.state, "approved")
        self.assertEqual(request.step_ids.mapped("user_id"), self.sales_manager | self.finance)
        self.assertEqual(self.hold.state, "lifted")

        self.start_tour("/odoo", "ctrl_credit_release_confirm_tour", login="tour_salesman")
        self.assertEqual(self.order.state, "sale")
