# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.tests import new_test_user

from odoo.addons.account.tests.common import AccountTestInvoicingCommon
from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


class CtrlCreditCase(CtrlAssertMixin, AccountTestInvoicingCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        # The accountant running the tests also configures credit control.
        cls.env.user.groups_id += cls.env.ref("ctrl_credit.group_credit_manager") \
            + cls.env.ref("ctrl_base.group_ctrl_manager") + cls.env.ref("base.group_system")
        company = cls.env.company
        cls.company = company
        cls.salesman = new_test_user(
            cls.env, "cc_sales", groups="sales_team.group_sale_salesman,ctrl_credit.group_credit_user",
            company_id=company.id, company_ids=[Command.set(company.ids)])
        cls.sales_mgr = new_test_user(
            cls.env, "cc_mgr", groups="sales_team.group_sale_manager,ctrl_base.group_approver_sales_manager",
            company_id=company.id, company_ids=[Command.set(company.ids)])
        cls.finance = new_test_user(
            cls.env, "cc_fin", groups="account.group_account_manager,ctrl_base.group_approver_finance",
            company_id=company.id, company_ids=[Command.set(company.ids)])
        cls.gm = new_test_user(cls.env, "cc_gm", groups="base.group_user,ctrl_base.group_approver_gm",
                               company_id=company.id, company_ids=[Command.set(company.ids)])
        cls.grade_data = cls._make_grades(company)
        cls.customer = cls.env["res.partner"].create({"name": "Graded Customer", "is_company": True})
        cls._grade(cls.customer, "B", limit=10000)
        cls.product = cls.env["product.product"].create({
            "name": "Widget", "type": "consu", "is_storable": True, "list_price": 100.0,
            "invoice_policy": "order", "taxes_id": [Command.clear()],
        })

    @classmethod
    def _make_grades(cls, company):
        Grade = cls.env["ctrl.credit.grade"]
        grades = Grade.search([("company_id", "=", company.id)])
        if not grades:
            for code, low, high, policy, deposit in (("A", 85, 101, "credit", 0), ("B", 70, 85, "credit", 0),
                                                     ("C", 60, 70, "deposit", 30), ("D", 0, 60, "cash", 0)):
                Grade.create({"name": code, "code": code, "min_score": low, "max_score": high, "policy": policy,
                              "deposit_percent": deposit, "default_limit": 100000, "term_days": 30,
                              "company_id": company.id})
            grades = Grade.search([("company_id", "=", company.id)])
        return {g.code: g for g in grades}

    @classmethod
    def _grade(cls, partner, code, limit=0.0):
        # As an approved evaluation does: a direct change would become a request.
        partner.with_company(cls.company).sudo().with_context(ctrl_credit_limit_approved=True).write({
            "ctrl_credit_grade_id": cls.grade_data[code].id, "credit_limit": limit})

    def _order(self, partner=None, qty=1, price=100.0, currency=None, user=None):
        vals = {
            "partner_id": (partner or self.customer).id,
            "user_id": (user or self.salesman).id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty,
                                          "price_unit": price, "tax_id": [Command.clear()]})],
        }
        if currency:
            vals["pricelist_id"] = self.env["product.pricelist"].create(
                {"name": currency.name, "currency_id": currency.id}).id
        return self.env["sale.order"].with_user(user or self.salesman).create(vals)

    def _overdue_invoice(self, partner, amount, days):
        invoice = self.init_invoice("out_invoice", partner=partner, amounts=[amount],
                                    invoice_date="2020-01-01", post=False)
        invoice.invoice_date_due = "2020-01-01"
        invoice.invoice_payment_term_id = False
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").date_maturity = "2020-01-01"
        invoice.action_post()
        return invoice
