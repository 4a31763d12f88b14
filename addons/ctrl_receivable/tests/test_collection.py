# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CJK, load_language

from .common import CtrlReceivableCase


class CollectionCase(CtrlReceivableCase):
    """Invoices dated relative to today, the shipped ladder A, and people
    in each acting role."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["account.move"])
        cls.company.write({"ctrl_recv_suspension_days": 30})
        company_ids = [Command.set(cls.company.ids)]
        cls.salesperson = new_test_user(cls.env, "recv_sales", email="sales@example.com",
                                        groups="sales_team.group_sale_salesman,ctrl_receivable.group_receivable_user",
                                        company_id=cls.company.id, company_ids=company_ids)
        cls.vp = new_test_user(cls.env, "recv_vp", groups="ctrl_base.group_approver_sales_vp",
                               company_id=cls.company.id, company_ids=company_ids)
        cls.gm = new_test_user(cls.env, "recv_gm",
                               groups="ctrl_base.group_approver_gm,ctrl_receivable.group_receivable_user",
                               company_id=cls.company.id, company_ids=company_ids)
        cls.ladder = cls.env.ref("ctrl_receivable.escalation_ladder_collection")
        cls.level_1 = cls.env.ref("ctrl_receivable.escalation_level_collection_1")
        cls.level_2 = cls.env.ref("ctrl_receivable.escalation_level_collection_2")
        cls.level_3 = cls.env.ref("ctrl_receivable.escalation_level_collection_3")
        cls.predue_level = cls.env.ref("ctrl_receivable.escalation_level_collection_predue")

    def _overdue(self, days, amount=1000.0, partner=None):
        due = self.today - timedelta(days=days)
        return self._invoice(amount, due - timedelta(days=30), due=due, partner=partner, user=self.salesperson)

    def _run(self, today=None):
        return self.ladder.sudo()._run_all(today=today or self.today)

    def _events(self, move, kind):
        return move.ctrl_recv_event_ids.filtered(lambda e: e.kind == kind)

    def _cron_until_done(self, calls=200):
        """Call the collection cron as ir.cron does: again while the call
        reports work done and work left. Returns the last progress."""
        cron = self.env.ref("ctrl_receivable.ir_cron_collection_escalation")
        for _call in range(calls):
            cron_job, progress = cron._add_progress()
            cron_job.env["account.move"].with_context(ir_cron_progress_id=progress.id)._cron_collection_escalation()
            if not (progress.done and progress.remaining):
                return progress
        return progress


# An HttpCase so that wkhtmltopdf, rendering the PDF, reads the report assets on the
# test's own cursor: a separate transaction would wait on the test (odoo-bin -i runs).
@tagged("post_install", "-at_install")
class TestCollectionLadder(CollectionCase, HttpCase):
    def test_events_name_the_invoice_customer_and_salesperson(self):
        contact = self.env["res.partner"].create({"name": "Buyer", "parent_id": self.customer.id})
        move = self._overdue(65, amount=2000.0, partner=contact)
        self._run()
        events = move.ctrl_recv_event_ids
        self.assertEqual(set(events.mapped("kind")), {"level", "activity", "hold", "case", "deduction"})
        for event in events:
            self.assertEqual((event.move_id, event.partner_id, event.user_id, event.company_id, event.level_id,
                              event.date, event.note),
                             (move, self.customer, self.salesperson, move.company_id, self.level_3, self.today,
                              self.level_3.name), event.kind)
        case = self.env["ctrl.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(events.filtered(lambda e: e.kind == "case").case_id, case)
        self.assertEqual(events.filtered(lambda e: e.kind == "deduction").amount, 1000.0)
        self.assertFalse(events.filtered(lambda e: e.kind != "deduction").mapped("amount")[0])

    def test_first_level_activity_mail_and_event(self):
        move = self._overdue(3)
        # Scoped to the test's invoice: the ladder runs for every live company (the demo's too).
        own_mails = [("model", "=", "account.move"), ("res_id", "=", move.id)]
        mails = self.env["mail.mail"].search_count(own_mails)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_1)
        activity = move.activity_ids.filtered(lambda a: a.user_id == self.salesperson)
        self.assertTrue(activity, "the salesperson phones the customer")
        self.assertEqual(activity.date_deadline, self.today + timedelta(days=10))
        self.assertGreater(self.env["mail.mail"].search_count(own_mails), mails, "the reminder is queued")
        reminder = self.env["mail.mail"].search(own_mails, order="id desc", limit=1)
        self.assertEqual(reminder.state, "outgoing", "queued, not sent inside the cron")
        self.assertIn(move.ctrl_recv_open_text, reminder.body_html, "the open amount, formatted with its currency")
        self.assertIn(move.name, reminder.body_html)
        self.assertEqual(set(move.ctrl_recv_event_ids.mapped("kind")), {"level", "activity", "mail"})
        self.assertIn("reached level", move.message_ids[0].body)

    def test_highest_level_only_with_hold_case_and_deduction(self):
        move = self._overdue(65, amount=2000.0)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_3, "only the highest level due runs")
        self.assertFalse(self.env["ctrl.escalation.step"].search([
            ("level_id", "in", (self.level_1 | self.level_2).ids), ("res_id", "=", move.id)]))
        hold = self.env["ctrl.credit.hold"].search([("partner_id", "=", self.customer.id),
                                                    ("reason", "=", "collection")])
        self.assertEqual((hold.state, hold.mode), ("active", "block"))
        case = self.env["ctrl.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual((case.kind, case.move_ids), ("legal", move))
        self.assertEqual([(a.user_id, a.date_deadline, a.summary) for a in case.activity_ids],
                         [(self.salesperson, case.report_deadline, "File the problem-account report")])
        entry = self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)])
        self.assertEqual((entry.user_id, entry.rate, entry.amount), (self.salesperson, 50.0, 1000.0))
        self.assertTrue(move.activity_ids.filtered(lambda a: a.user_id == self.gm))
        self.assertEqual(set(move.ctrl_recv_event_ids.mapped("kind")),
                         {"level", "activity", "hold", "case", "deduction"})

    def test_one_reminder_per_customer_listing_its_invoices(self):
        other = self.env["res.partner"].create({"name": "Other customer", "email": "other@example.com"})
        first, second = self._overdue(3, amount=1000.0), self._overdue(5, amount=250.0)
        elsewhere = self._overdue(4, amount=70.0, partner=other)
        moves = first | second | elsewhere
        own_mails = [("model", "=", "account.move"), ("res_id", "in", moves.ids)]
        self._run()
        mails = self.env["mail.mail"].search(own_mails)
        self.assertEqual(len(mails), 2, "one reminder per customer and level, not one per invoice")
        mine = mails.filtered(lambda m: m.res_id in (first | second).ids)
        self.assertIn(self.customer.name, mine.subject)
        for move in first | second:
            self.assertIn(move.name, mine.body_html)
            self.assertIn(move.ctrl_recv_open_text, mine.body_html)
        self.assertNotIn(elsewhere.name, mine.body_html, "another customer's invoice is in its own reminder")
        self.assertIn(elsewhere.name, (mails - mine).body_html)
        # Each invoice still records that it was reminded; a rerun sends nothing more.
        self.assertTrue(all(self._events(move, "mail") for move in moves))
        self._run()
        self.assertEqual(self.env["mail.mail"].search_count(own_mails), 2)
        # The go-live preview counts mails the same way: one per customer.
        self.assertEqual(len(self.level_1._mail_groups(moves)), 2)

    def test_reminder_list_keeps_to_the_invoice_customer(self):
        # The list's context key cannot pull another customer's invoice into a reminder.
        other = self.env["res.partner"].create({"name": "Other customer"})
        mine, theirs = self._overdue(3), self._overdue(3, partner=other)
        groups = ((mine.id, (mine.id, theirs.id, "x")),)
        listed = mine.with_context(ctrl_escalation_groups=groups).ctrl_recv_reminder_html
        self.assertIn(mine.name, listed)
        self.assertNotIn(theirs.name, listed)
        # Sent by a plain user over RPC, the key only shapes the list, kept to the invoice's own customer.
        as_user = mine.with_user(self.salesperson).with_context(ctrl_escalation_groups=groups)
        self.assertNotIn(theirs.name, as_user.ctrl_recv_reminder_html)

    def test_mail_per_group_needs_a_group_field(self):
        with self.assertRaisesRegex(ValidationError, "One mail per group"):
            self.level_2.sudo().write({"mail_per_group": True})

    def test_rerun_creates_nothing(self):
        moves = self._overdue(3) | self._overdue(15) | self._overdue(70)
        self.assertFalse(self._cron_until_done().remaining)
        counts = (self.env["ctrl.collection.event"].search_count([]), self.env["mail.activity"].search_count([]),
                  self.env["ctrl.recv.accountability"].search_count([]))
        self.assertEqual(self._run(), 0)
        self.env["account.move"]._cron_collection_escalation()
        self.env["account.move"]._cron_collection_escalation()
        self.assertEqual(counts, (self.env["ctrl.collection.event"].search_count([]),
                                  self.env["mail.activity"].search_count([]),
                                  self.env["ctrl.recv.accountability"].search_count([])))
        self.assertEqual(moves.mapped("ctrl_recv_level_id"), self.level_1 | self.level_2 | self.level_3)

    def test_deduction_is_cumulative_and_refunded(self):
        move = self._overdue(15, amount=1000.0)
        self._run()
        first = self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)])
        self.assertEqual((first.rate, first.amount), (20.0, 200.0))
        self.assertEqual((first.period, first.payroll, first.user_id, first.partner_id, first.company_id),
                         (first.date.strftime("%Y-%m"), True, move.invoice_user_id, move.commercial_partner_id,
                          move.company_id), "written in one INSERT, with what the ORM would compute")
        self._run(today=self.today + timedelta(days=50))
        entries = self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)], order="id")
        self.assertEqual(entries.mapped("rate"), [20.0, 30.0], "level 3 books only the increase to 50%")
        self.assertEqual(sum(entries.mapped("amount")), 500.0)
        # Half recovered: half of the deductions come back.
        self._pay(move, 500.0, self.today)
        refunds = self.env["ctrl.recv.accountability"]._ctrl_refund_recovered()
        self.assertEqual(refunds.amount, -250.0)
        self.assertFalse(self.env["ctrl.recv.accountability"]._ctrl_refund_recovered(), "booked once")
        self._pay(move, 500.0, self.today)
        self.env["ctrl.recv.accountability"]._ctrl_refund_recovered()
        self.assertEqual(sum(self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)]).mapped("amount")),
                         0.0, "full recovery refunds everything")

    def test_deduction_is_performance_on_the_invoice_amount(self):
        """001/AR03.16 「扣经办人员该票金额20%的计奖成绩」 on the company's default settings: 20% of the invoice's
        amount, partly paid or not, off the handler's bonus-counted performance; refunds follow what is
        recovered of the amount that was open."""
        self.assertEqual(self.company.ctrl_recv_deduction_basis, "invoice")
        move = self._overdue(15, amount=1000.0)
        self._pay(move, 400.0, self.today - timedelta(days=20))
        self._run()
        entry = self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)])
        self.assertEqual((entry.measure, entry.basis, entry.open_amount, entry.rate, entry.amount),
                         ("performance", 1000.0, 600.0, 20.0, 200.0))
        self._pay(move, 300.0, self.today)
        refund = self.env["ctrl.recv.accountability"]._ctrl_refund_recovered()
        self.assertEqual((refund.measure, refund.amount), ("performance", -100.0), "half of what was open")
        # The open amount instead, as a company may choose.
        self.company.ctrl_recv_deduction_basis = "open"
        other = self._overdue(15, amount=1000.0)
        self._pay(other, 400.0, self.today - timedelta(days=20))
        self._run()
        entry = self.env["ctrl.recv.accountability"].search([("move_id", "=", other.id)])
        self.assertEqual((entry.basis, entry.amount), (600.0, 120.0))

    def test_missed_deadline_escalates(self):
        move = self._overdue(2)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_1)
        self._run(today=self.today + timedelta(days=5))
        self.assertEqual(move.ctrl_recv_level_id, self.level_1, "the activity deadline (10 days) is not missed yet")
        self._run(today=self.today + timedelta(days=8))  # 10 overdue days, activity due yesterday... not yet
        move.activity_ids.write({"date_deadline": self.today - timedelta(days=1)})
        self._run()
        self.assertEqual(move.ctrl_recv_level_id, self.level_2, "a missed deadline escalates at once")

    def test_one_hold_per_customer_lifted_when_paid(self):
        first, second = self._overdue(70), self._overdue(65)
        self._run()
        hold = self.env["ctrl.credit.hold"].search([("partner_id", "=", self.customer.id),
                                                    ("reason", "=", "collection")])
        self.assertEqual(len(hold), 1, "one collection hold per customer")
        self.assertEqual(hold.state, "active")
        self.assertEqual(hold.sudo().activity_ids.user_id, self.salesperson,
                         "a customer without a salesperson: the invoice's salesperson follows the hold up")
        self._pay(first, first.amount_residual, self.today)
        self.env["account.move"]._ctrl_recv_lift_paid_holds()
        self.assertEqual(hold.state, "active", "another invoice is still at a holding level")
        self._pay(second, second.amount_residual, self.today)
        self.env["account.move"]._ctrl_recv_lift_paid_holds()
        self.assertEqual(hold.state, "lifted")
        case = self.env["ctrl.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(case.move_ids, first | second, "one case per customer with both invoices")

    def test_hold_note_in_each_reader_language(self):
        """The ladder writes the hold's note once, for readers of every language."""
        load_language(self.env, "zh_CN", ["ctrl_receivable"])
        invoice = self._overdue(70)
        self._run()
        hold = self.env["ctrl.credit.hold"].search([("partner_id", "=", self.customer.id),
                                                    ("reason", "=", "collection")])
        english, chinese = (hold.with_context(lang=lang).note for lang in ("en_US", "zh_CN"))
        self.assertTrue(english.startswith(f"{invoice.name} reached '"), english)
        self.assertFalse(CJK.search(english), english)
        self.assertIn(invoice.name, chinese)
        self.assertTrue(CJK.search(chinese), chinese)

    def test_thresholds_and_deductions_are_checked(self):
        self.level_2 = self.level_2.sudo()
        self.level_3 = self.level_3.sudo()
        with self.assertRaisesRegex(ValidationError, "strictly increase"):
            self.level_2.days = 1
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.level_2.ctrl_recv_deduction = 120.0
        with self.assertRaisesRegex(ValidationError, "between 0 and 100"):
            self.level_2.ctrl_recv_deduction = -1.0
        with self.assertRaisesRegex(ValidationError, "cannot deduct less"):
            self.level_3.ctrl_recv_deduction = 10.0

    def test_presets(self):
        for preset, days in [("ar02", [10, 30, 45]), ("ar04", [1, 16, 31]), ("s08", [15, 20, 30, 60]),
                             ("ar01", [61, 91, 121]), ("ladder_a", [1, 11, 61])]:
            self.env["ctrl.collection.preset"].create({"ladder_id": self.ladder.id, "preset": preset}).action_load()
            self.assertEqual(self.ladder.level_ids.filtered(lambda lv: lv.days > 0).sorted("days").mapped("days"),
                             days, preset)
            self.assertTrue(self.predue_level.exists(), "the reminder before the due date is not a preset's level")
        ar02 = self.env["ctrl.collection.preset"].create({"ladder_id": self.ladder.id, "preset": "ar02"})
        ar02.action_load()
        move = self._overdue(46)
        self._run()
        self.assertEqual(move.ctrl_recv_level_id.days, 45)
        case = self.env["ctrl.collection.case"].search([("partner_id", "=", self.customer.id)])
        self.assertEqual(case.kind, "problem", "AR02: 45 days makes a problem account")
        self.assertEqual(case.report_deadline, self.today + timedelta(days=7))
        with self.assertRaises(UserError):
            self.env["ctrl.collection.preset"].with_user(self.salesperson).create(
                {"ladder_id": self.ladder.id, "preset": "ar04"}).action_load()

    def test_reminder_letter_renders(self):
        move = self._overdue(15)
        pdf, _kind = self.env["ir.actions.report"].with_context(force_report_rendering=True)._render_qweb_pdf(
            "ctrl_receivable.action_report_collection_letter", move.ids)
        self.assertTrue(pdf.startswith(b"%PDF"))


@tagged("post_install", "-at_install")
class TestPromises(CollectionCase):
    def test_promise_pauses_then_broken_escalates(self):
        move = self._overdue(3)
        self._run()
        promise = self.env["ctrl.collection.promise"].create({
            "move_id": move.id, "date": self.today + timedelta(days=5), "amount": 400.0})
        self.assertEqual(move.ctrl_recv_promise_date, promise.date)
        self._run(today=self.today + timedelta(days=9))
        self.assertEqual(move.ctrl_recv_level_id, self.level_1, "paused while the promise is pending")
        # The date passes without payment: broken, escalated at once.
        self.env["ctrl.collection.promise"]._ctrl_settle_due(self.today + timedelta(days=6))
        self.assertEqual(promise.state, "broken")
        self.assertFalse(move.ctrl_recv_promise_date)
        self.assertEqual(move.ctrl_recv_level_id, self.level_2)
        self.assertTrue(self._events(move, "promise_broken"))

    def test_kept_promise(self):
        move = self._overdue(3)
        promise = self.env["ctrl.collection.promise"].create({
            "move_id": move.id, "date": self.today, "amount": 400.0})
        self._pay(move, 400.0, self.today)
        self.env["ctrl.collection.promise"]._ctrl_settle_due(self.today + timedelta(days=1))
        self.assertEqual(promise.state, "kept")
        self.assertFalse(move.ctrl_recv_level_id)

    def test_bad_promises(self):
        move = self._overdue(3)
        Promise = self.env["ctrl.collection.promise"]
        with self.assertRaisesRegex(ValidationError, "in the past"):
            Promise.create({"move_id": move.id, "date": self.today - timedelta(days=1), "amount": 100.0})
        with self.assertRaisesRegex(ValidationError, "above what is open"):
            Promise.create({"move_id": move.id, "date": self.today, "amount": 5000.0})
        self.assertFalse(Promise.search([("move_id", "=", move.id)]))
        self.assertFalse(move.ctrl_recv_promise_date)


@tagged("post_install", "-at_install")
class TestD13States(CollectionCase):
    def _expected(self, move, today):
        fifth = (move.invoice_date_due.replace(day=1) + timedelta(days=32)).replace(day=5)
        nxt = (fifth.replace(day=1) + timedelta(days=32)).replace(day=5)
        return "collection" if today >= nxt else "unpaid" if today >= fifth else False

    def test_collection_report_goes_to_the_team_leader(self):
        team = self.env["crm.team"].create({"name": "North", "user_id": self.gm.id})
        led, alone = self._overdue(80), self._overdue(80)
        led.team_id = team
        alone.team_id = False
        self.env["account.move"]._ctrl_recv_update_d13(self.today, companies=self.company)
        self.assertEqual((led | alone).mapped("ctrl_recv_d13_state"), ["collection", "collection"])
        for move, user in ((led, self.gm), (alone, self.salesperson)):
            report = move.activity_ids.filtered(lambda a: "deputy GM" in (a.summary or ""))
            self.assertEqual(report.user_id, user)
            self.assertEqual(report.date_deadline, self.today + timedelta(days=3))

    def test_states_follow_the_calendar_and_suspend(self):
        moves = self._overdue(2) | self._overdue(40) | self._overdue(80) | self._overdue(130)
        Move = self.env["account.move"]
        Move._ctrl_recv_update_d13(self.today, companies=self.company)
        for move in moves:
            self.assertEqual(move.ctrl_recv_d13_state, self._expected(move, self.today), move.invoice_date_due)
        collection = moves.filtered(lambda m: m.ctrl_recv_d13_state == "collection")
        self.assertTrue(collection)
        self.assertTrue(collection[0].activity_ids.filtered(lambda a: "deputy GM" in (a.summary or "")))
        own_suspensions = [("reason", "=", "d13_suspension"), ("company_id", "=", self.company.id)]
        self.assertFalse(self.env["ctrl.credit.hold"].search(own_suspensions),
                         "not yet 30 days under collection")
        d13_events = [("kind", "=", "d13"), ("move_id", "in", moves.ids)]
        events = self.env["ctrl.collection.event"].search_count(d13_events)
        Move._ctrl_recv_update_d13(self.today, companies=self.company)
        self.assertEqual(self.env["ctrl.collection.event"].search_count(d13_events), events, "idempotent")
        # 30 days later they are still under collection: sales are suspended.
        Move._ctrl_recv_update_d13(self.today + timedelta(days=31), companies=self.company)
        holds = self.env["ctrl.credit.hold"].search(own_suspensions)
        self.assertEqual(holds.partner_id, self.customer)
        self.assertEqual(holds[0].mode, "block")
        # Paid invoices leave the states.
        for move in moves:
            self._pay(move, move.amount_residual, self.today)
        Move._ctrl_recv_update_d13(self.today, companies=self.company)
        self.assertFalse(any(moves.mapped("ctrl_recv_d13_state")))

    def test_states_move_on_their_day_at_month_edges(self):
        """The job reads the due invoices by date ranges of an index (issue
        #23): day after day, every invoice still moves exactly on the 5th,
        whatever the month's length or the day of the month it fell due."""
        start = self.today.replace(day=1)
        dues = [edge for months in (1, 2, 3) for first in [start - relativedelta(months=months)]
                for edge in (first, first + timedelta(days=1), first + timedelta(days=4),
                             first + relativedelta(months=1, days=-1))]
        moves = self.env["account.move"].browse()
        for due in dues:
            moves |= self._invoice(1000.0, due - timedelta(days=30), due=due, user=self.salesperson)
        Move = self.env["account.move"]
        for day in (start + timedelta(days=offset) for offset in range(70)):
            Move._ctrl_recv_update_d13(day, companies=self.company)
            for move in moves:
                self.assertEqual(move.ctrl_recv_d13_state, self._expected(move, day),
                                 f"due {move.invoice_date_due}, on {day}")

    def test_batched_and_resumable(self):
        moves = self._overdue(40) | self._overdue(80) | self._overdue(130)
        Move = self.env["account.move"]
        # Scoped to this test's company: other invoices in the database move on their own days.
        self.assertEqual(Move._ctrl_recv_update_d13(self.today, limit=2, companies=self.company), (2, 1))
        self.assertEqual(Move._ctrl_recv_update_d13(self.today, limit=2, companies=self.company), (1, 0))
        self.assertEqual(Move._ctrl_recv_update_d13(self.today, limit=2, companies=self.company), (0, 0))
        self.assertTrue(all(moves.mapped("ctrl_recv_d13_state")))
        self.assertEqual(self.env["ctrl.collection.event"].search_count([("kind", "=", "d13"),
                                                                         ("move_id", "in", moves.ids)]), 3)

    def test_monthly_overdue_list_once(self):
        self._overdue(20)
        # The 5th of next month: the invoice is overdue then, whatever today is.
        fifth = (self.today + relativedelta(months=1)).replace(day=5)
        Event = self.env["ctrl.collection.event"]
        Event._ctrl_send_overdue_lists(fifth - timedelta(days=1))
        own = [("kind", "=", "overdue_list"), ("company_id", "=", self.company.id)]
        self.assertFalse(Event.search_count(own), "not before the 5th")
        # Other salespeople of the database may have lists too: all of them, in one call.
        Event._ctrl_send_overdue_lists(fifth, limit=1000)
        lists = Event.search(own + [("user_id", "=", self.salesperson.id)])
        self.assertEqual(len(lists), 1)
        mail = self.env["mail.mail"].search([("subject", "like", "overdue invoices"),
                                             ("recipient_ids", "in", self.salesperson.partner_id.ids)])
        self.assertEqual(len(mail), 1)
        self.assertTrue(mail.attachment_ids.name.endswith(".xlsx"))
        activity = self.env["mail.activity"].sudo().search([("res_model", "=", "res.partner"),
                                                            ("res_id", "=", self.salesperson.partner_id.id)])
        self.assertEqual(activity.user_id, self.salesperson, "reasons and a promised date within 3 days (R13.2)")
        Event._ctrl_send_overdue_lists(fifth + timedelta(days=1))
        self.assertEqual(Event.search_count(own), 1, "once a month")


@tagged("post_install", "-at_install")
class TestCases(CollectionCase):
    def test_problem_account_cycle(self):
        move = self._overdue(50)
        case = self.env["ctrl.collection.case"]._ctrl_open_for(move, "problem")[self.customer]
        self.assertEqual(case.lead, "salesperson")
        self.assertTrue(case.activity_ids)
        with self.assertRaisesRegex(UserError, "write the problem-account report"):
            case.action_report()
        case.report = "<p>Customer in difficulty; proposes instalments.</p>"
        case.action_report()
        self.assertEqual(case.state, "reported")
        # 001/N85: finance gives the handling plan within 2 working days of the company's calendar.
        add_working_days = self.company._ctrl_recv_add_working_days
        self.assertEqual(case.answer_deadline, add_working_days(self.today, 2))
        self.assertGreater(case.answer_deadline, add_working_days(self.today, 1))
        with self.assertRaises(UserError):
            case.with_user(self.salesperson).action_send_back()
        case.with_user(self.recv_manager).action_send_back()
        self.assertEqual((case.state, case.report_deadline), ("open", self.today + timedelta(days=3)))
        case.action_report()
        case.answer = "<p>Accept 3 instalments with a guarantee.</p>"
        case.with_user(self.recv_manager).action_answer()
        self.assertEqual(case.state, "answered")

    def test_lead_by_overdue_amount(self):
        """001 AR02 family on the company's default settings: below 800,000 overdue the salesperson
        leads, from 800,000 up to 1,000,000 the marketing director, above it a task force led by the GM."""
        self.assertEqual((self.company.ctrl_recv_case_director_from, self.company.ctrl_recv_case_task_force_from),
                         (800000.0, 1000000.0))
        move = self._overdue(50, amount=799999.0)
        case = self.env["ctrl.collection.case"]._ctrl_open_for(move, "problem")[self.customer]
        self.assertEqual(case.lead, "salesperson")
        for amount, lead in ((1.0, "marketing_director"), (200000.0, "marketing_director"),
                             (1.0, "task_force")):
            self._overdue(50, amount=amount)
            case.invalidate_recordset(["lead", "overdue_amount"])
            self.assertEqual(case.lead, lead, f"overdue {case.overdue_amount}")

    def test_legal_limitation_reminder(self):
        move = self._overdue(200)
        case = self.env["ctrl.collection.case"]._ctrl_open_for(move, "legal")[self.customer]
        case.last_acknowledged = self.today - timedelta(days=3 * 365 - 60)
        ladder = self.env.ref("ctrl_receivable.escalation_ladder_legal_limitation")
        legal = new_test_user(self.env, "recv_legal", groups="ctrl_receivable.group_receivable_legal",
                              company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        ladder.sudo()._run_all(today=self.today)
        self.assertEqual(case._ctrl_escalation_level("legal_limitation")[case.id].days, -90)
        self.assertTrue(case.activity_ids.filtered(lambda a: a.user_id == legal))

    def test_limitation_follows_the_oldest_invoice_added(self):
        """The ladder serves the newest invoices first, so a customer's older invoice often joins its legal case
        later: the 3-year limitation then runs from that older due date, not from the first invoice's."""
        Case = self.env["ctrl.collection.case"]
        newer = self._overdue(70)
        case = Case._ctrl_open_for(newer, "legal")[self.customer]
        self.assertEqual(case.limitation_date, newer.invoice_date_due + relativedelta(years=3))
        older = self._overdue(200)
        self.assertEqual(Case._ctrl_open_for(older, "legal")[self.customer], case, "the open case is reused")
        self.env.flush_all()
        case.invalidate_recordset(["limitation_date"])
        self.assertEqual(case.limitation_date, older.invoice_date_due + relativedelta(years=3))

    def test_anomaly_report_within_a_day(self):
        action = self.customer.action_ctrl_recv_report_problem()
        case = self.env["ctrl.collection.case"].browse(action["res_id"])
        self.assertEqual(case.report_deadline, self.today + timedelta(days=1))


@tagged("post_install", "-at_install")
class TestWriteoff(CollectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.finance.groups_id += cls.env.ref("ctrl_base.group_approver_finance")
        cls.move = cls._invoice(3000.0, "2021-01-10", due="2021-02-10")
        # The allowance provided for it: a write-off uses at most what the allowance holds.
        cls.env["account.move"].create({
            "move_type": "entry", "date": "2020-12-31", "journal_id": cls.misc_journal.id,
            "line_ids": [Command.create({"account_id": cls.expense_account.id, "debit": 3000.0}),
                         Command.create({"account_id": cls.allowance_account.id, "credit": 3000.0})],
        }).action_post()

    def _writeoff(self, amount=3000.0, user=None):
        writeoff = self.env["ctrl.writeoff"].with_user(user or self.recv_manager).create({
            "partner_id": self.customer.id, "reason": "overdue_3y", "explanation": "No business since 2021.",
            "line_ids": [Command.create({"move_id": self.move.id, "amount": amount})],
        })
        self._attach_evidence(writeoff)
        return writeoff

    def _approve(self, writeoff):
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()

    def test_writeoff_recovery_and_cancel(self):
        writeoff = self._writeoff()
        writeoff.with_user(self.recv_manager).action_submit()
        self.assertEqual(self.move.ctrl_recv_d13_state, "doubtful")
        self._approve(writeoff)
        self.assertEqual(writeoff.state, "posted")
        allowance = writeoff.move_id.line_ids.filtered(lambda ln: ln.account_id == self.allowance_account)
        self.assertEqual(allowance.debit, 3000.0, "the allowance is charged")
        self.assertEqual(self.move.payment_state, "paid")
        self.assertEqual((self.move.ctrl_recv_d13_state, self.move.ctrl_recv_written_off), ("bad", 3000.0))
        self.assertEqual(writeoff.tax_filing_deadline, fields.Date.to_date(f"{writeoff.date.year + 1}-02-14"))
        self.assertTrue(writeoff.activity_ids, "the tax filing is an activity")
        # 账销案存: a later payment is a recovery.
        recovery = writeoff.action_recover(1000.0)
        self.assertEqual(recovery.state, "posted")
        self.assertEqual(writeoff.recovered_amount, 1000.0)
        with self.assertRaisesRegex(ValidationError, "at most"):
            writeoff.action_recover(2500.0)
        with self.assertRaisesRegex(UserError, "recoveries"):
            writeoff.action_cancel()

    def test_cancel_reverses(self):
        writeoff = self._writeoff()
        writeoff.with_user(self.recv_manager).action_submit()
        self._approve(writeoff)
        entry = writeoff.move_id
        writeoff.action_cancel()
        self.assertEqual(writeoff.state, "cancelled")
        self.assertTrue(entry.exists(), "posted entries are never deleted")
        self.assertEqual(writeoff.reversal_move_id.state, "posted")
        self.assertEqual(self.move.payment_state, "not_paid", "the invoice reopens")
        self.assertEqual(self.move.ctrl_recv_written_off, 0.0)

    def test_default_approvers_without_a_board_band(self):
        """001/AR02.38 names the board above the amount it authorises, but no amount: by default finance
        then the GM approve every write-off; the board's band is an inactive rule, a company choice."""
        Rule = self.env["ctrl.approval.rule"]
        gm_rule = self.env.ref("ctrl_receivable.approval_rule_writeoff_gm")
        board_rule = self.env.ref("ctrl_receivable.approval_rule_writeoff_board")
        self.assertFalse(board_rule.active)
        self.assertEqual((gm_rule.amount_min, gm_rule.amount_max), (0.0, 0.0))
        writeoff = self._writeoff()
        self.assertEqual(Rule._find_for(writeoff, "writeoff", 10000000.0), gm_rule)
        self.assertEqual(gm_rule.step_ids.sorted("sequence").group_id.mapped(lambda g: g.get_external_id()[g.id]),
                         ["ctrl_base.group_approver_finance", "ctrl_base.group_approver_gm"])
        # The company's choice (an Internal Control administrator's): the GM up to 500,000, the board above.
        gm_rule.sudo().amount_max = 500000.0
        board_rule.sudo().active = True
        self.assertEqual(Rule._find_for(writeoff, "writeoff", 600000.0), board_rule)

    def test_self_approval_and_bad_input(self):
        writeoff = self._writeoff(user=self.finance)
        writeoff.with_user(self.finance).action_submit()
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        with self.assertRaisesRegex(Exception, "segregation of duties|prepared|requested"):
            request.with_user(self.finance).action_approve()
        self.assertEqual(writeoff.state, "to_approve")
        with self.assertRaisesRegex(ValidationError, "above its open amount"):
            self._writeoff(amount=3500.0)
        no_evidence = self.env["ctrl.writeoff"].create({
            "partner_id": self.customer.id, "reason": "cost", "explanation": "Too small to chase.",
            "line_ids": [Command.create({"move_id": self.move.id, "amount": 100.0})]})
        with self.assertRaisesRegex(ValidationError, "choose the case type"):
            no_evidence.action_submit()
        no_evidence.case_type_id = self.env.ref("ctrl_receivable.writeoff_case_litigation")
        with self.assertRaisesRegex(UserError, "Judgment, ruling or arbitral award.*Collection records"):
            no_evidence.action_submit()
        self.assertEqual(no_evidence.state, "draft")


@tagged("post_install", "-at_install")
class TestCollectionAccess(CollectionCase):
    def test_users_cannot_write_the_logs(self):
        move = self._overdue(70)
        self._run()
        event = move.ctrl_recv_event_ids.filtered(lambda e: e.kind != "deduction")[:1]
        entry = self.env["ctrl.recv.accountability"].search([("move_id", "=", move.id)])
        for record in (event, entry):
            with self.assertRaises(AccessError):
                record.with_user(self.recv_user).write({"note": "edited"})
            with self.assertRaises(AccessError):
                record.with_user(self.recv_manager).unlink()
        self.assertTrue(event.with_user(self.recv_user).read(["kind"]))

    def test_guarantor_liability_recorded(self):
        self._overdue(70)
        self._run()
        hold = self.env["ctrl.credit.hold"].search([("reason", "=", "collection"),
                                                    ("partner_id", "=", self.customer.id)])
        guarantor = new_test_user(self.env, "recv_guarantor", groups="ctrl_base.group_approver_sales_manager",
                                  company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        request = hold.action_request_release(reason="Customer pays next week", guarantor=guarantor)
        for group in ("ctrl_base.group_approver_sales_manager", "ctrl_base.group_approver_finance"):
            approver = new_test_user(self.env, f"recv_{group[-7:]}", groups=group, company_id=self.company.id,
                                     company_ids=[Command.set(self.company.ids)])
            request.with_user(approver).action_approve()
        self.assertEqual(hold.state, "lifted")
        entry = self.env["ctrl.recv.accountability"].search([("kind", "=", "guarantee")])
        self.assertEqual((entry.user_id, entry.amount, entry.payroll), (guarantor, 1000.0, False))


class TestCollectionStatistics(CollectionCase):
    def test_run_keeps_the_statistics_of_what_it_fills(self):
        """A first run over a large backlog fills these tables faster than
        autovacuum analyzes them (issue #23): the engine analyzes them itself."""
        tables = set(self.ladder._statistics_tables())
        self.assertLessEqual({"ctrl_escalation_step", "ctrl_escalation_queue", "mail_activity", "mail_followers",
                              "mail_message", "account_move", "ctrl_collection_event", "ctrl_recv_accountability",
                              "ctrl_credit_hold", "ctrl_collection_case"}, tables)
        self.env.cr.execute("SELECT count(*) FROM pg_class WHERE oid = ANY(%s::regclass[])", [sorted(tables)])
        self.assertEqual(self.env.cr.fetchone()[0], len(tables), "each one is a table of the database")
        # Analyzing them runs inside the call's transaction (no VACUUM, which could not).
        self.env["ctrl.escalation.step"]._refresh_statistics(tables)
        self.ladder.sudo()._run_batch(today=self.today)
