# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, a newcomer's first hour: each finding replayed by the role that
met it, with only that role's groups."""
import io
import re
import zipfile
from datetime import timedelta

from lxml import etree

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlCreditCase

# Policy references and technical names that must not reach a screen.
CODES = re.compile(r"\b\d{3}/[A-Z]|\b(?:S15|D6|D13|D16|AR\d\d)\b|\bV\d+ \d|hold_release|order_value|limit_change")


@tagged("post_install", "-at_install")
class TestNewcomer(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ctrl_credit_checklist_amount = 0
        cls.company.ctrl_credit_order_approval = True
        company = cls.company
        common = {"company_id": company.id, "company_ids": [Command.set(company.ids)]}
        cls.plain_salesman = new_test_user(cls.env, "cc_plain", groups="sales_team.group_sale_salesman", **common)
        cls.credit_sales_mgr = new_test_user(
            cls.env, "cc_mgr_credit",
            groups="sales_team.group_sale_manager,ctrl_credit.group_credit_user,"
                   "ctrl_base.group_approver_sales_manager", **common)
        cls.credit_vp = new_test_user(
            cls.env, "cc_vp_credit",
            groups="sales_team.group_sale_manager,ctrl_credit.group_credit_manager,ctrl_base.group_approver_sales_vp",
            **common)
        cls.today = fields.Date.context_today(cls.env["res.partner"])

    # Helpers ------------------------------------------------------------------
    def _invoice_due(self, partner, amount, days_overdue):
        """A posted invoice whose due date is ``days_overdue`` days before today."""
        due = self.today - timedelta(days=days_overdue)
        invoice = self.init_invoice("out_invoice", partner=partner, amounts=[amount], invoice_date=due, post=False)
        invoice.invoice_payment_term_id = False
        invoice.invoice_date_due = due
        invoice.line_ids.filtered(lambda line: line.display_type == "payment_term").date_maturity = due
        invoice.action_post()
        return invoice

    def _read_form_as(self, user, record):
        """Load the customer form as the web client does for ``user``: the
        view, then every field its arch shows, with the fields of its
        embedded sub-lists, in one web_read."""
        result = self.env[record._name].with_user(user).get_views([(False, "form")])
        arch = etree.fromstring(result["views"]["form"]["arch"])
        subviews = ("list", "form", "kanban")
        spec = {}
        for node in arch.iter("field"):
            if any(parent.tag in subviews for parent in node.iterancestors() if parent is not arch):
                continue
            children = [sub.get("name") for view in node if view.tag in subviews for sub in view.iter("field")
                        if next(p for p in sub.iterancestors() if p.tag in subviews) is view]
            spec[node.get("name")] = {"fields": dict.fromkeys(children, {})} if children else {}
        self.env.invalidate_all()
        values = record.with_user(user).web_read(spec)[0]
        return result, values

    def _release(self, order, user, reason="Season order, paid on time last year"):
        action = order.with_user(user).action_ctrl_credit_request_override()
        self.assertEqual(action["res_model"], "ctrl.credit.hold.release")
        wizard = self.env["ctrl.credit.hold.release"].with_user(user).with_context(**action["context"]).create(
            {"reason": reason})
        wizard.action_confirm()
        return wizard.hold_id

    # 1. Credit roles are not locked out of their customers -----------------------
    def test_customer_form_opens_for_every_sales_role(self):
        hold = self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", note="Cheque returned unpaid")
        self._invoice_due(self.customer, 500, 82)
        for user in (self.salesman, self.credit_sales_mgr, self.credit_vp, self.plain_salesman):
            with self.subTest(user=user.login):
                order = self._order(qty=1, user=user)
                _views, order_values = self._read_form_as(user, order)
                self.assertIn("Cheque returned unpaid", order_values["ctrl_credit_problems"])
                self._read_form_as(user, hold)
                views, values = self._read_form_as(user, self.customer)
                self.assertNotIn("credit_limit", values)
                if user.has_group("ctrl_credit.group_credit_user"):
                    self.assertEqual(values["ctrl_credit_limit"], 10000.0)
                    self.assertTrue(values["ctrl_credit_on_hold"])
                    self.assertIn("Cheque returned unpaid", values["ctrl_credit_hold_summary"])
                    self.assertIn("82 days past due", values["ctrl_credit_hold_summary"])
                else:
                    self.assertNotIn("ctrl_credit_limit", values, "the credit tab is not loaded for them")

    def test_plain_salesman_requests_a_release_but_decides_nothing(self):
        order = self._order(qty=150, user=self.plain_salesman)  # 15,000 over the 10,000 limit
        hold = self._release(order, self.plain_salesman)
        request = hold._ctrl_approval_requests("hold_release", ["pending"])
        self.assertTrue(request, "the salesman's request was created")
        self.assertEqual(request.requested_by_id, self.plain_salesman)
        with self.assertRaises(AccessError):
            request.with_user(self.plain_salesman).action_approve()
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            order.with_user(self.plain_salesman).action_confirm()
        with self.assertRaises(AccessError):
            hold.with_user(self.plain_salesman).write({"state": "lifted"})
        self.assertEqual(hold.state, "active")
        self.assertEqual(order.state, "draft")

    def test_release_only_for_sales_roles_and_readable_orders(self):
        other = self._order(qty=150, user=self.salesman)  # another salesperson's order
        hold = self.env["ctrl.credit.hold"]._ctrl_place(other.partner_id, "over_limit", source=other)
        with self.assertRaises(AccessError):
            hold.with_user(self.plain_salesman).action_request_release("not my order")
        with self.assertRaises(AccessError):
            hold.with_user(self.gm).action_request_release("not a salesperson")
        self.assertFalse(hold._ctrl_approval_requests("hold_release", ["pending"]))

    # 2. One override path, in plain words -----------------------------------------
    def test_manual_hold_is_requestable_and_the_banner_is_honest(self):
        self.env["ctrl.credit.hold"]._ctrl_place(self.customer, "manual", note="Cheque returned unpaid on 3 May")
        order = self._order(qty=1)
        self.assertIn("Cheque returned unpaid on 3 May", order.ctrl_credit_problems)
        self.assertNotIn(f"{self.customer.name}: Manual", order.ctrl_credit_problems)
        self.assertTrue(order.ctrl_credit_can_request)
        with self.assertRaisesRegex(UserError, "Request approval"):
            order.with_user(self.salesman).action_confirm()
        hold = self._release(order, self.salesman)
        self.assertEqual(hold.reason, "manual")
        order.invalidate_recordset()
        self.assertTrue(order.ctrl_credit_release_pending)
        self.assertFalse(order.ctrl_credit_can_request)
        self.assertIn("Release requested", order.ctrl_credit_release_status)
        self.assertIn("waiting for approval by", order.ctrl_credit_release_status)
        self.assertEqual(order.ctrl_credit_problems.count("Cheque returned unpaid"), 1)
        with self.assertRaisesRegex(UserError, "already requested"):
            order.with_user(self.salesman).action_ctrl_credit_request_override()
        with self.assertRaisesRegex(UserError, "waiting for approval"):
            order.with_user(self.salesman).action_confirm()

    def test_over_limit_release_banner_says_it_once(self):
        order = self._order(qty=150)
        self._release(order, self.salesman)
        order.invalidate_recordset()
        self.assertEqual(order.ctrl_credit_problems.count("Over credit limit"), 1, order.ctrl_credit_problems)
        self.assertTrue(order.ctrl_credit_release_pending)
        self.assertIn("Sales", order.ctrl_credit_release_status, "names who approves next")

    def test_confirm_hidden_while_an_approval_waits(self):
        arch = self.env["sale.order"].with_user(self.salesman).get_views([(False, "form")])["views"]["form"]["arch"]
        buttons = etree.fromstring(arch).xpath("//button[@name='action_confirm']")
        self.assertEqual(len(buttons), 2)
        for button in buttons:
            self.assertIn("ctrl_approval_pending", button.get("invisible"))
            self.assertIn("ctrl_credit_release_pending", button.get("invisible"))

    def test_partner_hold_indicator_reflects_every_blocking_hold(self):
        Partner = self.env["res.partner"].with_user(self.salesman)
        self.assertFalse(self.customer.ctrl_credit_on_hold)
        self._invoice_due(self.customer, 100, 82)
        self.customer.invalidate_recordset()
        self.assertTrue(self.customer.ctrl_credit_on_hold, "overdue blocks every order: the customer is on hold")
        self.assertFalse(self.customer._ctrl_credit_active_holds(), "without any hold record")
        with self.assertRaisesRegex(UserError, "Overdue"):
            self._order(qty=1).action_confirm()
        self.assertIn(self.customer, Partner.search([("ctrl_credit_on_hold", "=", True)]))
        self.assertNotIn(self.customer, Partner.search([("ctrl_credit_on_hold", "=", False)]))
        full = self.env["res.partner"].create({"name": "Limit used up", "is_company": True})
        self._grade(full, "B", limit=1000)
        self.init_invoice("out_invoice", partner=full, amounts=[1000], post=True)
        self.assertTrue(full.ctrl_credit_on_hold)
        self.assertIn(full, Partner.search([("ctrl_credit_on_hold", "=", True)]))
        fine = self.env["res.partner"].create({"name": "Fine", "is_company": True})
        self._grade(fine, "A", limit=100000)
        self.assertFalse(fine.ctrl_credit_on_hold)
        self.assertIn(fine, Partner.search([("ctrl_credit_on_hold", "=", False), ("id", "=", fine.id)]))

    # 3. Thresholds are not summed --------------------------------------------------
    def test_thresholds_have_no_total(self):
        checks = {"ctrl.approval.rule": ["amount_min", "amount_max"],
                  "ctrl.credit.grade": ["min_score", "max_score", "default_limit", "term_days", "deposit_percent"],
                  "ctrl.credit.visit.tier": ["limit_min", "term_min_days"]}
        for model, names in checks.items():
            described = self.env[model].with_user(self.credit_vp).fields_get(names, ["aggregator"])
            for name in names:
                self.assertFalse(described[name].get("aggregator"), f"{model}.{name} is summed")

    # 4. The watchlist lists held and overdue customers ----------------------------
    def test_watchlist_lists_held_and_overdue_customers(self):
        held = self.env["res.partner"].create({"name": "Held Without Limit", "is_company": True})
        self.env["ctrl.credit.hold"]._ctrl_place(held, "manual", note="Cheque returned unpaid")
        self._invoice_due(self.customer, 100, 82)  # far below its 10,000 limit
        fine = self.env["res.partner"].create({"name": "Comfortable", "is_company": True})
        self._grade(fine, "A", limit=100000)
        self.init_invoice("out_invoice", partner=fine, amounts=[100], post=True)
        action = self.env["res.partner"].with_user(self.salesman).action_ctrl_credit_export_xlsx()
        self.assertEqual((action["type"], action["report_type"]), ("ir.actions.report", "xlsx"))
        content = self.env["ir.actions.report"].with_user(self.salesman)._render_xlsx(action["report_name"], [])[0]
        with zipfile.ZipFile(io.BytesIO(content)) as workbook:
            strings = etree.fromstring(workbook.read("xl/sharedStrings.xml"))
        texts = [node.text for node in strings.iter("{*}t")]
        self.assertIn("Held Without Limit", texts)
        self.assertIn("Graded Customer", texts)
        self.assertNotIn("Comfortable", texts)
        self.assertTrue(any("82 days past due" in (text or "") for text in texts))

    # 5. Plain words on screen ------------------------------------------------------
    def test_no_policy_codes_or_technical_names_on_screen(self):
        data = self.env["ir.model.data"].search([("module", "=", "ctrl_credit"), ("model", "=", "ir.ui.view")])
        for view in self.env["ir.ui.view"].browse(data.mapped("res_id")):
            # What a user reads: texts and the labelling attributes (not field names, comments or expressions).
            for node in etree.fromstring(view.arch_db.encode()).iter(etree.Element):
                texts = [node.text or "", node.tail or ""] + [
                    node.get(attr) or "" for attr in ("string", "help", "placeholder", "title", "confirm")]
                for text in texts:
                    self.assertFalse(CODES.search(text), f"{view.xml_id}: {text}")
        field_ids = self.env["ir.model.data"].search(
            [("module", "=", "ctrl_credit"), ("model", "=", "ir.model.fields")]).mapped("res_id")
        for field in self.env["ir.model.fields"].browse(field_ids):
            for text in (field.field_description, field.help or "", *field.selection_ids.mapped("name")):
                self.assertFalse(CODES.search(text), f"{field.model}.{field.name}: {text}")
        for tier in self.env["ctrl.credit.visit.tier"].search([]):
            self.assertFalse(CODES.search(tier.name), tier.name)

    def test_new_documents_are_not_titled_slash(self):
        for model in ("ctrl.credit.evaluation", "ctrl.credit.limit.change"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            title = etree.fromstring(arch).xpath("//div[hasclass('oe_title')]")[0]
            self.assertEqual(title.xpath(".//field[@name='name']")[0].get("invisible"), "not id")
            self.assertIn("New", etree.tostring(title, encoding="unicode"))
