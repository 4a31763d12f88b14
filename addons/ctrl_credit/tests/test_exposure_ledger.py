# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The credit exposure ledger (issue #23 item 1): kept by the database in the
transaction of each change, equal at every step to a full recomputation from
the documents, checked and fixed every night, one company's rows hidden from
another's users, and its row locked by a confirmation's check."""
import random

import psycopg2

from odoo import Command, fields, sql_db
from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import SQL, float_compare

from ..models.ctrl_credit_exposure import drop_triggers
from .common import CtrlCreditCase

LEDGER_LOGGER = "odoo.addons.ctrl_credit.models.ctrl_credit_exposure"


@tagged("post_install", "-at_install")
class TestExposureLedger(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        company = cls.company
        # No approval stands between the steps below and the documents they change.
        company.sudo().write({
            "ctrl_credit_order_approval": False, "ctrl_price_approval": False, "ctrl_credit_note_approval": False,
            "ctrl_duty_confirmer_not_invoicer": False, "ctrl_credit_checklist_all": False,
            "ctrl_credit_checklist_amount": 0, "ctrl_invoice_price_check": False,
        })
        cls.other_currency = cls.setup_other_currency("EUR")
        Partner = cls.env["res.partner"]
        cls.buyer_a = Partner.create({"name": "Ledger Buyer A", "is_company": True})
        cls.buyer_b = Partner.create({"name": "Ledger Buyer B", "is_company": True})
        cls.contact = Partner.create({"name": "Ledger Contact", "parent_id": cls.buyer_a.id})
        for buyer in (cls.buyer_a, cls.buyer_b):
            cls._grade(buyer, "A", limit=10 ** 9)
        cls.taxed = cls.env["product.product"].create({
            "name": "Ledger widget", "type": "consu", "list_price": 100.0, "invoice_policy": "order",
            "taxes_id": [Command.set(cls.tax_sale_a.ids)]})

    # ------------------------------------------------------------------
    # The comparison
    # ------------------------------------------------------------------
    def _ledger(self, partners):
        """{commercial partner id: [receivable, to invoice, drafts]} read from the ledger."""
        self.env.flush_all()
        rows = self.env["ctrl.credit.exposure"].sudo().search(
            [("partner_id", "in", partners.ids), ("company_id", "=", self.company.id)])
        rows.invalidate_recordset()
        return {row.partner_id.id: [row.receivable, row.to_invoice, row.drafts] for row in rows}

    def _documents(self, partners):
        """The same figures recomputed from the documents through the ORM."""
        result = {partner.id: [0.0, 0.0, 0.0] for partner in partners}
        lines = self.env["account.move.line"].search([
            ("partner_id.commercial_partner_id", "in", partners.ids), ("company_id", "=", self.company.id),
            ("parent_state", "=", "posted"), ("reconciled", "=", False),
            ("account_id.account_type", "=", "asset_receivable")])
        for line in lines:
            result[line.partner_id.commercial_partner_id.id][0] += line.amount_residual
        orders = self.env["sale.order"].search([("partner_id.commercial_partner_id", "in", partners.ids),
                                                ("state", "=", "sale"), ("company_id", "=", self.company.id)])
        for line in orders.order_line.filtered(lambda ln: ln.untaxed_amount_to_invoice > 0):
            ratio = line.price_total / line.price_subtotal if line.price_subtotal else 1.0
            result[line.order_id.partner_id.commercial_partner_id.id][1] += \
                line.untaxed_amount_to_invoice * ratio / (line.order_id.currency_rate or 1.0)
        moves = self.env["account.move"].search([
            ("commercial_partner_id", "in", partners.ids), ("state", "=", "draft"),
            ("move_type", "in", ("out_invoice", "out_refund")), ("company_id", "=", self.company.id)])
        for move in moves:
            result[move.commercial_partner_id.id][2] += move.amount_total_signed
        return result

    def _assert_ledger(self, partners, step):
        ledger, documents = self._ledger(partners), self._documents(partners)
        rounding = self.company.currency_id.rounding
        for partner in partners:
            kept = ledger.get(partner.id, [0.0, 0.0, 0.0])
            for name, have, want in zip(("receivable", "to invoice", "drafts"), kept, documents[partner.id]):
                self.assertEqual(float_compare(have, want, precision_rounding=rounding), 0,
                                 f"after {step}: {partner.name}'s {name} is {have} in the ledger, {want} in the "
                                 f"documents")
        # The view the nightly check and the install use agrees too.
        self.assertEqual(self.env["ctrl.credit.exposure"]._ctrl_differences(partners.ids), [], step)

    # ------------------------------------------------------------------
    # The steps
    # ------------------------------------------------------------------
    def _new_invoice(self, rng, move_type="out_invoice"):
        partner = rng.choice([self.buyer_a, self.buyer_b, self.contact])
        currency = rng.choice([self.company.currency_id, self.other_currency])
        return self.init_invoice(move_type, partner=partner, amounts=[rng.randint(1, 500) * 3.33],
                                 invoice_date=fields.Date.today(), taxes=rng.choice([self.tax_sale_a, None]),
                                 currency=currency)

    def _moves(self, states):
        return self.env["account.move"].search([
            ("commercial_partner_id", "in", (self.buyer_a | self.buyer_b).ids), ("state", "in", states),
            ("move_type", "in", ("out_invoice", "out_refund"))])

    def _open_invoices(self):
        return self._moves(["posted"]).filtered(
            lambda m: m.move_type == "out_invoice" and m.payment_state in ("not_paid", "partial"))

    def _orders(self, states):
        return self.env["sale.order"].search([
            ("partner_id.commercial_partner_id", "in", (self.buyer_a | self.buyer_b).ids), ("state", "in", states)])

    def _pay(self, invoice, share):
        amount = invoice.currency_id.round(invoice.amount_residual * share)
        self.env["account.payment.register"].with_context(active_model="account.move", active_ids=invoice.ids).create(
            {"amount": amount, "payment_date": fields.Date.today()})._create_payments()

    def _step(self, rng):
        """One random change of a document that bears on the exposure; returns its name."""
        actions = ["invoice", "invoice", "order", "order", "refund"]
        drafts, posted, open_ = self._moves(["draft"]), self._moves(["posted"]), self._open_invoices()
        quotations, confirmed = self._orders(["draft"]), self._orders(["sale"])
        if drafts:
            actions += ["post", "post", "edit", "cancel"]
        if open_:
            actions += ["pay partly", "pay fully", "reverse"]
        if posted:
            actions += ["reset to draft"]
        if quotations:
            actions += ["confirm", "confirm"]
        to_bill = confirmed.filtered(lambda o: o.invoice_status == "to invoice")
        if to_bill:
            actions += ["invoice order", "invoice order"]
        if confirmed:
            actions += ["cancel order", "edit order"]
        action = rng.choice(actions)
        if action == "invoice":
            self._new_invoice(rng)
        elif action == "refund":
            self._new_invoice(rng, "out_refund")
        elif action == "order":
            self.env["sale.order"].create({
                "partner_id": rng.choice([self.buyer_a, self.buyer_b, self.contact]).id,
                "pricelist_id": rng.choice([False, self.env["product.pricelist"].create({
                    "name": "Ledger EUR", "currency_id": self.other_currency.id}).id]),
                "order_line": [Command.create({"product_id": self.taxed.id, "product_uom_qty": rng.randint(1, 5),
                                              "price_unit": 100.0 + rng.randint(0, 50)})],
            })
        elif action == "post":
            rng.choice(drafts).action_post()
        elif action == "edit":
            move = rng.choice(drafts)
            line = move.invoice_line_ids[:1]
            move.write({"invoice_line_ids": [Command.update(line.id, {"quantity": rng.randint(1, 4),
                                                                      "price_unit": rng.randint(5, 900)})]})
        elif action == "cancel":
            rng.choice(drafts).button_cancel()
        elif action == "pay partly":
            self._pay(rng.choice(open_), 0.4)
        elif action == "pay fully":
            self._pay(rng.choice(open_), 1.0)
        elif action == "reverse":
            invoice = rng.choice(open_)
            invoice._reverse_moves([{"ref": "reversal", "invoice_date": fields.Date.today()}], cancel=True)
        elif action == "reset to draft":
            rng.choice(posted).button_draft()
        elif action == "confirm":
            rng.choice(quotations).action_confirm()
        elif action == "invoice order":
            invoice = rng.choice(to_bill)._create_invoices()
            if rng.random() < 0.5:
                invoice.action_post()
        elif action == "cancel order":
            rng.choice(confirmed)._action_cancel()
        elif action == "edit order":
            line = rng.choice(confirmed).order_line[:1]
            line.product_uom_qty += rng.randint(1, 3)
        return action

    def test_ledger_equals_recomputation_at_every_step(self):
        """Seeded random changes: the ledger equals the documents after each one."""
        rng = random.Random(23)
        partners = self.buyer_a | self.buyer_b
        done = set()
        for number in range(60):
            action = self._step(rng)
            done.add(action)
            self._assert_ledger(partners, f"step {number}: {action}")
        # The steps exercised each kind of change.
        self.assertGreaterEqual(done, {"invoice", "post", "edit", "cancel", "pay partly", "pay fully", "reverse",
                                       "order", "confirm", "invoice order", "cancel order"})
        # A contact moving to another customer takes its documents with it.
        self.contact.parent_id = self.buyer_b
        self._assert_ledger(partners, "contact moved")
        # The figures of the partner form are the ledger's.
        exposure = sum(self._documents(self.buyer_b)[self.buyer_b.id])
        self.assertEqual(float_compare(self.buyer_b.with_company(self.company).ctrl_credit_exposure, exposure,
                                       precision_rounding=self.company.currency_id.rounding), 0)

    def test_confirmation_sees_exposure_and_limit(self):
        """The order check reads the ledger: an invoice just posted counts at once."""
        self._grade(self.buyer_a, "A", limit=1000)
        invoice = self.init_invoice("out_invoice", partner=self.contact, amounts=[900.0],
                                    invoice_date=fields.Date.today())
        invoice.action_post()
        order = self._order(partner=self.buyer_a, qty=2, price=100.0)
        self.assertIn("Over credit limit", order.ctrl_credit_problems or "")
        invoice.button_draft()
        invoice.button_cancel()
        order.invalidate_recordset(["ctrl_credit_problems"])
        self.assertFalse(order.ctrl_credit_problems)

    def test_check_locks_the_customer_row(self):
        """A confirmation's check holds the customer's row: another transaction's check waits for it."""
        order = self._order(partner=self.buyer_a, qty=1, price=100.0)
        order._ctrl_credit_check_confirm()
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SET lock_timeout = '200ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable):
                other.execute("""INSERT INTO ctrl_credit_exposure (partner_id, company_id) VALUES (%s, %s)
                                 ON CONFLICT (partner_id, company_id) DO NOTHING""",
                              (self.buyer_a.id, self.company.id))
            other.rollback()

    def test_nightly_check_logs_and_fixes(self):
        """A planted difference is logged as an error and fixed; a second run finds nothing."""
        self.init_invoice("out_invoice", partner=self.buyer_a, amounts=[250.0], invoice_date=fields.Date.today(),
                          post=True)
        self.init_invoice("out_invoice", partner=self.buyer_b, amounts=[40.0], invoice_date=fields.Date.today())
        self.env.flush_all()
        partners = self.buyer_a | self.buyer_b
        self.env.cr.execute(SQL("UPDATE ctrl_credit_exposure SET receivable = receivable + 123.45 "
                                "WHERE partner_id = %s", self.buyer_a.id))
        self.env.cr.execute(SQL("DELETE FROM ctrl_credit_exposure WHERE partner_id = %s", self.buyer_b.id))
        Exposure = self.env["ctrl.credit.exposure"]
        self.assertEqual(len(Exposure._ctrl_differences(partners.ids)), 2)
        with self.assertLogs(LEDGER_LOGGER, "ERROR") as logs:
            fixed = Exposure._cron_ctrl_check()
        self.assertGreaterEqual(fixed, 2)
        self.assertTrue(any(f"partner {self.buyer_a.id} " in line and "receivable" in line for line in logs.output))
        self.assertTrue(any(f"partner {self.buyer_b.id} " in line and "drafts" in line for line in logs.output))
        self.assertEqual(Exposure._ctrl_differences(partners.ids), [])
        self._assert_ledger(partners, "nightly fix")
        # Idempotent: nothing of these customers is logged or changed again.
        with self.assertNoLogs(LEDGER_LOGGER, "ERROR"):
            self.assertEqual(Exposure._cron_ctrl_check(), 0)

    def test_refill_from_documents(self):
        """Install on a database with history: the ledger is filled from the documents, set-based."""
        invoice = self.init_invoice("out_invoice", partner=self.contact, amounts=[75.0],
                                    invoice_date=fields.Date.today(), post=True)
        self.env.flush_all()
        self.env.cr.execute(SQL("DELETE FROM ctrl_credit_exposure WHERE partner_id = %s", self.buyer_a.id))
        self.env["ctrl.credit.exposure"]._ctrl_refresh()
        self._assert_ledger(self.buyer_a, "refill")
        self.assertEqual(self._ledger(self.buyer_a)[self.buyer_a.id][0], invoice.amount_residual_signed)

    def test_company_rule_and_no_client_write(self):
        """One company's rows are not visible to another's users; nobody writes the ledger."""
        other = self.env["res.company"].create({"name": "Ledger Other Co"})
        invoice = self.init_invoice("out_invoice", partner=self.buyer_a, amounts=[60.0],
                                    invoice_date=fields.Date.today(), post=True)
        self.env.flush_all()
        self.env.cr.execute(SQL("INSERT INTO ctrl_credit_exposure (partner_id, company_id, receivable) "
                                "VALUES (%s, %s, 50)", self.buyer_a.id, other.id))
        Exposure = self.env["ctrl.credit.exposure"].with_user(self.salesman)
        rows = Exposure.search([("partner_id", "=", self.buyer_a.id)])
        self.assertEqual(rows.company_id, self.company)
        self.assertEqual(rows.receivable, invoice.amount_residual_signed)
        with self.assertRaises(AccessError):
            rows.write({"receivable": 0.0})
        with self.assertRaises(AccessError):
            Exposure.create({"partner_id": self.buyer_b.id, "company_id": self.company.id})
        with self.assertRaises(AccessError):
            rows.unlink()
        # A user of both companies sees each company's row only while that company is selected.
        self.salesman.company_ids += other
        both = Exposure.with_context(allowed_company_ids=[other.id]).search([("partner_id", "=", self.buyer_a.id)])
        self.assertEqual(both.company_id, other)

    def test_uninstall_drops_triggers(self):
        """Uninstalling drops the triggers on Odoo's tables (nothing writes into a dropped ledger)."""
        count = SQL("SELECT COUNT(*) FROM pg_trigger WHERE tgname LIKE 'ctrl\\_credit\\_exposure\\_%%'")
        self.assertEqual(self.env.execute_query(count)[0][0], 17)  # 5 tables x 3 statements, 2 row triggers
        self.env.cr.execute("SAVEPOINT ctrl_uninstall")
        drop_triggers(self.env.cr)
        self.assertEqual(self.env.execute_query(count)[0][0], 0)
        self.env.cr.execute("ROLLBACK TO SAVEPOINT ctrl_uninstall")
        self.assertEqual(self.env.execute_query(count)[0][0], 17)
