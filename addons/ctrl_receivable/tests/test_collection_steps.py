# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue #24: the collection cron works in steps that each commit: the
monthly overdue lists one salesperson a call, the suspensions one hold per
customer for a batch of customers at once."""
import io
from datetime import timedelta

import openpyxl
from dateutil.relativedelta import relativedelta
from freezegun import freeze_time

from odoo import Command
from odoo.tests import new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import set_ctrl_live

from .test_collection import CollectionCase


class StepsCase(CollectionCase):
    """The test company and a second one, each with a customer and a
    salesperson of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other = cls.setup_other_company(name="Steps Second Company")["company"]
        set_ctrl_live(cls.other)
        cls.other.ctrl_recv_suspension_days = 30
        cls.companies = cls.company | cls.other
        both = [Command.set(cls.companies.ids)]
        cls.seller_b = new_test_user(cls.env, "recv_sales_b", email="sales_b@example.com",
                                     groups="sales_team.group_sale_salesman", company_id=cls.company.id,
                                     company_ids=both)
        cls.seller_other = new_test_user(cls.env, "recv_sales_other", email="sales_other@example.com",
                                         groups="sales_team.group_sale_salesman", company_id=cls.other.id,
                                         company_ids=both)
        cls.other_customer = cls.env["res.partner"].create({"name": "Second Company Customer", "is_company": True})

    def _overdue_in(self, company, days, partner, user, amount=1000.0):
        """An invoice of ``company`` due ``days`` ago."""
        due = self.today - timedelta(days=days)
        move = self.env["account.move"].with_company(company).create({
            "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": due - timedelta(days=30),
            "date": due - timedelta(days=30), "invoice_date_due": due, "invoice_user_id": user.id,
            "invoice_line_ids": [Command.create({"name": "goods", "quantity": 1, "price_unit": amount,
                                                 "tax_ids": [Command.clear()]})],
        })
        move.action_post()
        return move

    def _suspensions(self, partners=None):
        partners = partners or self.customer | self.other_customer
        return self.env["ctrl.credit.hold"].search([("reason", "=", "d13_suspension"),
                                                    ("partner_id", "in", partners.ids)])


@tagged("post_install", "-at_install")
class TestOverdueListSteps(StepsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # The 5th of next month: the invoices are overdue then, whatever today is.
        cls.fifth = (cls.today + relativedelta(months=1)).replace(day=5)

    def setUp(self):
        super().setUp()
        self.own = self._overdue(130) | self._overdue(20) | self._overdue(50)
        self._pay(self.own[1], 400.0, self.today)
        self.of_b = self._overdue_in(self.company, 25, self.customer, self.seller_b)
        self.of_other = self._overdue_in(self.other, 30, self.other_customer, self.seller_other)
        self.owners = [(self.company, self.salesperson), (self.company, self.seller_b),
                       (self.other, self.seller_other)]

    def _lists(self):
        return self.env["ctrl.collection.event"].search([("kind", "=", "overdue_list"),
                                                         ("company_id", "in", self.companies.ids)])

    def _sheet(self, event):
        book = openpyxl.load_workbook(io.BytesIO(event.sudo().env["ir.attachment"].search([
            ("res_model", "=", event._name), ("res_id", "=", event.id)]).raw))
        return [list(row) for row in book.active.iter_rows(values_only=True)]

    def test_one_list_per_call_resumable_and_once(self):
        Event = self.env["ctrl.collection.event"]
        calls = []
        for _call in range(20):
            done, remaining = Event._ctrl_send_overdue_lists(self.fifth)
            calls.append((done, remaining))
            if not remaining:
                break
        # Other salespeople of the database may have lists too: each call sends one and counts the rest down.
        self.assertEqual([done for done, _remaining in calls], [1] * len(calls))
        self.assertEqual([remaining for _done, remaining in calls], list(range(len(calls) - 1, -1, -1)))
        lists = self._lists()
        self.assertEqual(sorted((event.company_id.id, event.user_id.id) for event in lists),
                         sorted((company.id, user.id) for company, user in self.owners),
                         "each salesperson gets exactly one list per company")
        for _company, user in self.owners:
            mails = self.env["mail.mail"].search([("subject", "like", "overdue invoices"),
                                                  ("recipient_ids", "in", user.partner_id.ids)])
            self.assertEqual(len(mails), 1, user.login)
            self.assertTrue(mails.attachment_ids.name.endswith(".xlsx"))
        own_list = lists.filtered(lambda e: e.user_id == self.salesperson)
        self.assertEqual(own_list.note, "3 overdue invoices")
        self.assertEqual(Event._ctrl_send_overdue_lists(self.fifth), (0, 0), "a rerun sends nothing")
        self.assertEqual(Event._ctrl_send_overdue_lists(self.fifth + timedelta(days=1)), (0, 0), "once a month")
        self.assertEqual(self._lists(), lists)

    def test_spreadsheet_rows(self):
        self.env["account.move"]._ctrl_recv_update_d13(self.fifth, companies=self.companies)
        self.env["ctrl.collection.event"]._ctrl_send_overdue_lists(self.fifth, limit=100)
        event = self._lists().filtered(lambda e: e.user_id == self.salesperson)
        rows = self._sheet(event)
        self.assertEqual(rows[0], ["Invoice", "Customer", "Due date", "Days overdue", "Open amount",
                                   "Collection state", "Reason", "Measures", "Promised date"])
        states = dict(self.env["account.move"]._fields["ctrl_recv_d13_state"]._description_selection(self.env))
        expected = [[move.name, self.customer.name, str(move.invoice_date_due),
                     (self.fifth - move.invoice_date_due).days, move.amount_residual,
                     states.get(move.ctrl_recv_d13_state)]
                    for move in self.own.sorted(lambda m: (m.invoice_date_due, m.id))]
        self.assertEqual([row[:6] for row in rows[1:]], expected, "oldest due first, the open amount")
        self.assertEqual(expected[-1][4], 600.0, "a partly paid invoice lists what is still open")
        self.assertIn("Under collection", expected[0][5])
        self.assertEqual([row[1] for row in self._sheet(self._lists().filtered(
            lambda e: e.user_id == self.seller_other))[1:]], [self.other_customer.name],
            "a list holds the invoices of its own company only")
        # Read in chunks of two rows at a time: the same sheet.
        chunked = self.env["ctrl.collection.event"]._ctrl_overdue_xlsx(self.company, self.salesperson, self.fifth,
                                                                       chunk=2)
        book = openpyxl.load_workbook(io.BytesIO(chunked))
        self.assertEqual([list(row) for row in book.active.iter_rows(values_only=True)], rows)

    def test_cron_sends_the_remaining_lists_after_the_daily_gate(self):
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 1)
        cron = self.env.ref("ctrl_receivable.ir_cron_collection_escalation")
        sent = []
        with freeze_time(f"{self.fifth} 09:00:00"):
            for _call in range(200):
                cron_job, progress = cron._add_progress()
                before = len(self._lists())
                cron_job.env["account.move"].with_context(
                    ir_cron_progress_id=progress.id)._cron_collection_escalation()
                sent.append(len(self._lists()) - before)
                # ir.cron calls again while the call did something and something remains.
                if not (progress.done and progress.remaining):
                    break
            self.assertFalse(progress.remaining, "the cron ends with nothing left")
            self.assertEqual(self.env["ir.config_parameter"].sudo().get_param("ctrl_receivable.collection_daily"),
                             self.fifth.isoformat())
        self.assertLessEqual(max(sent), 1, "one list a call")
        self.assertEqual(sum(sent), 3, "the lists left after the first call are sent by the next ones")
        self.assertEqual(len(self._lists()), 3)


@tagged("post_install", "-at_install")
class TestSuspensionSteps(StepsCase):
    def setUp(self):
        super().setUp()
        self.moves = self._overdue(130) | self._overdue(100) | self._overdue(80)
        self.other_move = self._overdue_in(self.other, 120, self.other_customer, self.seller_other)
        self.Move = self.env["account.move"]

    def _update(self, day, limit=None):
        return self.Move._ctrl_recv_update_d13(day, limit=limit, companies=self.companies)

    def test_one_hold_per_customer_batched_idempotent_lifted(self):
        self._update(self.today)
        self.assertEqual(set(self.moves.mapped("ctrl_recv_d13_state")), {"collection"})
        self.assertFalse(self._suspensions(), "not yet 30 days under collection")
        later = self.today + timedelta(days=31)
        self.assertEqual(self._update(later, limit=1), (1, 1), "one customer a call, the other one left")
        self.assertEqual(self._update(later, limit=1), (1, 0))
        self.assertEqual(self._update(later, limit=1), (0, 0))
        holds = self._suspensions()
        own = holds.filtered(lambda h: h.partner_id == self.customer)
        other = holds - own
        self.assertEqual((len(own), own.company_id, own.state, own.mode), (1, self.company, "active", "block"),
                         "one hold for the customer's three invoices")
        self.assertEqual((len(other), other.company_id), (1, self.other))
        self.assertEqual((own.res_model, own.res_id), ("account.move", self.moves[0].id), "the oldest invoice")
        self.assertIn("3 invoices", own.note)
        self.assertIn(self.moves[0].name, own.note)
        self.assertEqual(own.sudo().activity_ids.user_id, self.salesperson)
        self.assertIn("Credit hold placed", self.customer.message_ids[0].body)
        hold_events = [("kind", "=", "hold"), ("move_id", "in", (self.moves | self.other_move).ids)]
        self.assertEqual(self.env["ctrl.collection.event"].search(hold_events).move_id, self.moves | self.other_move,
                         "each invoice's history shows the suspension")
        # Rerun, the next day too: nothing new.
        events = self.env["ctrl.collection.event"].search_count(hold_events)
        self.assertEqual(self._update(later), (0, 0))
        self.assertEqual(self._update(later + timedelta(days=1)), (0, 0))
        self.assertEqual(self._suspensions(), holds)
        self.assertEqual(self.env["ctrl.collection.event"].search_count(hold_events), events)
        # Paid invoice by invoice: lifted once none is left under collection.
        for move in self.moves[:2]:
            self._pay(move, move.amount_residual, later)
        self.Move._ctrl_recv_lift_paid_holds(later)
        self.assertEqual(own.state, "active", "an invoice is still under collection")
        self._pay(self.moves[2], self.moves[2].amount_residual, later)
        self.Move._ctrl_recv_lift_paid_holds(later)
        self.assertEqual((own.state, other.state), ("lifted", "active"), "each customer in its own company")
        self.assertIn("under collection", own.lift_reason)

    def test_release_by_approval_holds_until_a_new_invoice_crosses(self):
        # Under collection for 31 days already: suspended today.
        self._update(self.today - timedelta(days=31))
        self._update(self.today)
        own = self._suspensions(self.customer)
        approvers = self.env["res.users"]
        for group in ("ctrl_base.group_approver_sales_manager", "ctrl_base.group_approver_finance"):
            approvers |= new_test_user(self.env, f"steps_{group[-7:]}", groups=group, company_id=self.company.id,
                                       company_ids=[Command.set(self.company.ids)])
        request = own.action_request_release(reason="Pays on Monday")
        for approver in approvers:
            request.with_user(approver).action_approve()
        self.assertEqual(own.state, "lifted")
        self.assertEqual(self._update(self.today), (0, 0), "the release covers the invoices it was given for")
        self.assertEqual(self._suspensions(self.customer), own)
        # A fourth invoice crosses the suspension days after the release: suspended again.
        self._overdue(130)
        self._update(self.today)
        self._update(self.today + timedelta(days=31))
        again = self._suspensions(self.customer) - own
        self.assertEqual((len(again), again.state), (1, "active"))
        self.assertIn("4 invoices", again.note)

    def test_former_holds_per_invoice_are_kept_then_lifted(self):
        self._update(self.today)
        Hold = self.env["ctrl.credit.hold"]
        former = Hold.browse()
        for move in self.moves[:2]:
            former |= Hold._ctrl_place(move.partner_id, "d13_suspension", source=move, company=self.company)
        later = self.today + timedelta(days=31)
        self._update(later)
        self.assertEqual(self._suspensions(self.customer), former, "an active suspension is not placed twice")
        for move in self.moves:
            self._pay(move, move.amount_residual, later)
        self.Move._ctrl_recv_lift_paid_holds(later)
        self.assertEqual(set(former.mapped("state")), {"lifted"})

    def test_cron_reports_the_suspensions_left(self):
        self._update(self.today - timedelta(days=31))
        self.env["ir.config_parameter"].sudo().set_param("ctrl_base.escalation_batch_size", 1)
        self.assertFalse(self._cron_until_done().remaining)
        self.assertEqual(self._suspensions().partner_id, self.customer | self.other_customer,
                         "the batches went on until every customer was suspended")
