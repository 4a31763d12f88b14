# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import date, timedelta

import psycopg2
from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CtrlReceivableCase


# An HttpCase so that wkhtmltopdf, rendering the PDF, reads the report assets on the
# test's own cursor: a separate transaction would wait on the test (odoo-bin -i runs).
@tagged("post_install", "-at_install")
class TestBalanceConfirmation(CtrlReceivableCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customer.email = "aging@example.com"
        cls.other = cls.env["res.partner"].create({"name": "Postal Customer", "is_company": True})
        cls.paid = cls.env["res.partner"].create({"name": "Paid Customer", "is_company": True,
                                                  "email": "paid@example.com"})
        cls.inv1 = cls._invoice(1000.0, "2026-05-10", due="2026-06-09")
        cls.inv2 = cls._invoice(500.0, "2026-06-20", due="2026-07-20")
        cls._pay(cls.inv2, 200.0, "2026-07-05")  # after the as-of date: added back
        cls._invoice(300.0, "2026-07-02")  # after the as-of date: not listed
        cls.inv_other = cls._invoice(250.0, "2026-06-01", partner=cls.other)
        inv_paid = cls._invoice(100.0, "2026-05-01", partner=cls.paid)
        cls._pay(inv_paid, 100.0, "2026-05-15")
        cls.as_of = date(2026, 6, 30)

    def _campaign(self, as_of=None, **vals):
        return self.env["ctrl.balance.confirmation.campaign"].create({"date": as_of or self.as_of, **vals})

    def _confirmation(self, partner=None, sent=True):
        wizard = self._campaign(partner_ids=[Command.set((partner or self.customer).ids)], send=False)
        new, _existing = wizard._ctrl_create_confirmations()
        if sent:
            new.action_mark_sent()
        return new

    # ------------------------------------------------------------------
    def _frequency_tracking(self, partners):
        field = self.env["ir.model.fields"]._get("res.partner", "ctrl_recv_confirmation_frequency")
        return self.env["mail.tracking.value"].sudo().search(
            [("field_id", "=", field.id), ("mail_message_id.res_id", "in", partners.ids)])

    def test_frequency_follows_the_rule(self):
        """000/R05-05: a customer without a frequency of its own follows the rule: related parties
        (intra-group) monthly, the others the company's default. Nothing is written to the customer."""
        customer = self.customer.with_context(tracking_disable=False, mail_notrack=False)  # tracked, as by a user
        self.assertFalse(customer.ctrl_recv_confirmation_frequency)
        self.assertEqual(customer.ctrl_recv_effective_frequency, "yearly")
        customer.ctrl_recv_related_party = True
        self.assertEqual(customer.ctrl_recv_effective_frequency, "monthly", "intra-group: monthly")
        customer.ctrl_recv_related_party = False
        self.assertEqual(customer.ctrl_recv_effective_frequency, "yearly")
        self.company.ctrl_recv_confirmation_frequency = "half_yearly"  # an AR16 group
        customer.invalidate_recordset(["ctrl_recv_effective_frequency"])
        self.assertEqual(customer.ctrl_recv_effective_frequency, "half_yearly", "follows the company's default")
        partner = customer.create({"name": "AR16 customer", "ctrl_recv_related_party": True})
        self.assertEqual(partner.ctrl_recv_effective_frequency, "monthly")
        self.env.flush_all()
        self.env.cr.precommit.run()  # the tracking messages are written here
        self.assertFalse(any((customer | partner).mapped("ctrl_recv_confirmation_frequency")), "the rule is not stored")
        self.assertFalse(self._frequency_tracking(customer | partner), "no tracking message for the rule")
        # A frequency chosen for the customer wins over the rule, and its change is tracked.
        customer.ctrl_recv_related_party = True
        customer.ctrl_recv_confirmation_frequency = "quarterly"
        self.assertEqual(customer.ctrl_recv_effective_frequency, "quarterly")
        self.env.flush_all()
        self.env.cr.precommit.run()
        self.assertEqual(self._frequency_tracking(customer).new_value_char, "Quarterly")

    def test_due_customers_follow_each_company_rule(self):
        """The confirmation run reads the rule of the company it runs for."""
        self.customer.ctrl_recv_related_party = True
        self._confirmation(self.customer)
        self._confirmation(self.other)
        Confirmation = self.env["ctrl.balance.confirmation"]
        due = Confirmation._ctrl_recv_due_partner_ids(date(2026, 7, 31), self.company)
        self.assertEqual(due, self.customer, "the related party is due monthly, the other customer yearly")
        self.company.ctrl_recv_confirmation_frequency = "monthly"
        due = Confirmation._ctrl_recv_due_partner_ids(date(2026, 7, 31), self.company)
        self.assertEqual(due, self.customer | self.other, "the company's default applies to the others")
        self.other.ctrl_recv_confirmation_frequency = "none"
        due = Confirmation._ctrl_recv_due_partner_ids(date(2026, 7, 31), self.company, frequency="monthly")
        self.assertEqual(due, self.customer, "a frequency of its own wins over the company's default")

    def test_campaign_balances_and_idempotency(self):
        wizard = self._campaign()
        self.assertEqual(wizard.partner_ids, self.customer | self.other,
                         "customers with open receivables at the date, not the paid one")
        result = wizard.action_create()
        confirmations = self.env["ctrl.balance.confirmation"].search(result["domain"])
        self.assertEqual(len(confirmations), 2)
        mine = confirmations.filtered(lambda c: c.partner_id == self.customer)
        # 1000 + 500 (the 200 paid on 5 July is after the as-of date); the 2 July invoice is not yet there.
        self.assertEqual(mine.amount_balance, 1500.0)
        self.assertEqual(set(mine.line_ids.move_id.ids), {self.inv1.id, self.inv2.id})
        self.assertEqual(mine.state, "sent", "the customer with an email got the letter")
        self.assertEqual(mine.date_sent, date.today())
        mails = self.env["mail.mail"].search([("model", "=", mine._name), ("res_id", "=", mine.id)])
        self.assertEqual(len(mails), 1)
        self.assertEqual(mails.state, "outgoing", "queued, not sent inline")
        self.assertEqual(len(mails.attachment_ids), 1, "the letter is attached")
        postal = confirmations - mine
        self.assertEqual(postal.state, "draft", "no email: printed and posted by hand")
        self.assertEqual(postal.amount_balance, 250.0)
        # Again for the same date: nothing new.
        wizard = self._campaign(partner_ids=[Command.set((self.customer | self.other).ids)])
        new, existing = wizard._ctrl_create_confirmations()
        self.assertFalse(new)
        self.assertEqual(existing, confirmations)
        self.assertEqual(self.env["ctrl.balance.confirmation"].search_count(
            [("partner_id", "in", (self.customer | self.other).ids)]), 2)
        with self.assertRaisesRegex(psycopg2.IntegrityError, "partner_date_uniq"), mute_logger("odoo.sql_db"):
            self.env["ctrl.balance.confirmation"].create({"partner_id": self.customer.id, "date": self.as_of})

    def test_campaign_due_by_frequency(self):
        self._confirmation(self.customer)
        self._confirmation(self.other)
        self.other.ctrl_recv_confirmation_frequency = "monthly"
        later = self._campaign(as_of=date(2026, 7, 31))
        self.assertEqual(later.partner_ids, self.other, "yearly customer confirmed a month ago is not due")
        self.assertEqual(self._campaign(as_of=date(2026, 7, 31), frequency="yearly").partner_ids,
                         self.env["res.partner"])
        next_year = self._campaign(as_of=date(2027, 6, 30), frequency="yearly")
        self.assertEqual(next_year.partner_ids, self.customer, "a year later the yearly customer is due again")
        with self.assertRaisesRegex(UserError, "Customers: no customer to confirm"):
            self._campaign(as_of=date(2026, 7, 31), frequency="yearly").action_create()

    def test_confirm(self):
        confirmation = self._confirmation()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            confirmation.unlink()
        confirmation.action_confirm()
        self.assertEqual(confirmation.state, "confirmed")
        self.assertEqual(confirmation.customer_amount, 1500.0)
        self.assertEqual(confirmation.amount_difference, 0.0)
        with self.assertRaisesRegex(UserError, "Dispute needs a confirmation in state Sent"):
            confirmation.action_dispute()

    def test_send_needs_email(self):
        confirmation = self._confirmation(self.other, sent=False)
        with self.assertRaisesRegex(UserError, "Customer email: Postal Customer"):
            confirmation.action_send()
        self.assertEqual(confirmation.state, "draft")

    @freeze_time("2026-07-03")  # a Friday
    def test_dispute_working_days(self):
        confirmation = self._confirmation()
        with self.assertRaisesRegex(UserError, "Customer's reason"):
            confirmation.action_dispute()
        confirmation.dispute_reason = "Our books differ"
        confirmation.customer_amount = 1500.0
        with self.assertRaisesRegex(UserError, "equals our balance"):
            confirmation.action_dispute()
        self.assertEqual(confirmation.state, "sent")
        confirmation.customer_amount = 1299.996
        confirmation.action_dispute()
        self.assertEqual(confirmation.state, "disputed")
        self.assertEqual(confirmation.amount_difference, -200.0, "currency rounding")
        self.assertEqual(confirmation.date_cause_due, date(2026, 7, 6), "1 working day after a Friday: Monday")
        self.assertEqual(confirmation.date_resolve_due, date(2026, 7, 8), "3 working days: Wednesday")
        types = confirmation.activity_ids.activity_type_id
        self.assertIn(self.env.ref("ctrl_receivable.mail_activity_confirmation_cause"), types)
        self.assertIn(self.env.ref("ctrl_receivable.mail_activity_confirmation_resolve"), types)
        self.assertFalse(confirmation.hold_id, "the hold setting is off by default")
        with self.assertRaisesRegex(UserError, "Cause found: describe"):
            confirmation.action_record_cause()
        confirmation.dispute_cause = "Payment of 200 on 28 June not yet booked by us"
        confirmation.action_record_cause()
        self.assertEqual(confirmation.date_cause_found, date(2026, 7, 3))
        self.assertEqual(len(confirmation.activity_ids), 1, "the cause activity is done")
        with self.assertRaisesRegex(UserError, "Resolution: describe"):
            confirmation.action_resolve()
        confirmation.resolution = "Payment booked"
        confirmation.action_resolve()
        self.assertEqual(confirmation.state, "resolved")
        self.assertFalse(confirmation.activity_ids)

    def test_dispute_sla_escalation(self):
        manager = new_test_user(self.env, "recv_conf_boss", groups="ctrl_receivable.group_receivable_user",
                                company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        self.company.ctrl_recv_confirmation_manager_id = manager
        late = self._confirmation()
        on_time = self._confirmation(self.other)
        with freeze_time("2026-07-06"):  # a Monday
            for record in late | on_time:
                record.write({"dispute_reason": "Different", "customer_amount": 1.0})
                record.action_dispute()
            on_time.dispute_cause = "Found"
            on_time.action_record_cause()
        self.assertEqual(late.date_cause_due, date(2026, 7, 7))
        cause = self.env.ref("ctrl_receivable.escalation_ladder_confirmation_cause")
        resolution = self.env.ref("ctrl_receivable.escalation_ladder_confirmation_resolution")
        Ladder = self.env["ctrl.escalation.ladder"]
        self.assertEqual((cause | resolution)._run_all(today=date(2026, 7, 7)), 0, "not missed yet")
        self.assertEqual((cause | resolution)._run_all(today=date(2026, 7, 8)), 1, "cause missed on `late` only")
        boss = late.activity_ids.filtered(lambda a: a.user_id == manager)
        self.assertEqual(len(boss), 1)
        self.assertIn("no cause", boss.summary)
        self.assertFalse(on_time.activity_ids.filtered(lambda a: a.user_id == manager))
        self.assertEqual((cause | resolution)._run_all(today=date(2026, 7, 10)), 2, "both missed the resolution")
        self.assertEqual((cause | resolution)._run_all(today=date(2026, 7, 11)), 0, "once per confirmation")
        self.assertEqual(len(late.activity_ids.filtered(lambda a: a.user_id == manager)), 2)
        self.assertEqual(Ladder._for("confirmation_dispute_cause", self.company), cause)

    def test_hold_on_dispute_and_lift(self):
        self.company.ctrl_recv_confirmation_hold = True
        confirmation = self._confirmation()
        confirmation.write({"dispute_reason": "Different", "customer_amount": 900.0})
        confirmation.action_dispute()
        hold = confirmation.hold_id
        self.assertEqual((hold.reason, hold.mode, hold.state), ("confirmation", "block", "active"))
        self.assertTrue(self.customer.ctrl_credit_on_hold)
        confirmation.resolution = "Credit note issued"
        confirmation.action_resolve()
        self.assertEqual(hold.state, "lifted")
        self.assertFalse(self.customer.ctrl_credit_on_hold)

    def test_hold_unconfirmed_cron(self):
        self.company.write({"ctrl_recv_confirmation_hold": True, "ctrl_recv_confirmation_hold_mode": "warn"})
        Confirmation = self.env["ctrl.balance.confirmation"]
        confirmation = self._confirmation()
        recent = self._confirmation(self.other)
        confirmation.sudo().date_sent = date.today() - timedelta(days=31)
        recent.sudo().date_sent = date.today() - timedelta(days=29)
        self.assertEqual(Confirmation._cron_confirmation_holds(), 1)
        self.assertEqual((confirmation.hold_id.reason, confirmation.hold_id.mode), ("confirmation", "warn"))
        self.assertFalse(recent.hold_id)
        self.assertEqual(Confirmation._cron_confirmation_holds(), 0, "idempotent")
        self.assertEqual(self.env["ctrl.credit.hold"].search_count(
            [("partner_id", "=", self.customer.id), ("reason", "=", "confirmation")]), 1)
        confirmation.action_confirm()
        self.assertEqual(confirmation.hold_id.state, "lifted")
        self.company.ctrl_recv_confirmation_hold = False
        recent.sudo().date_sent = date.today() - timedelta(days=40)
        self.assertEqual(Confirmation._cron_confirmation_holds(), 0, "setting off: no hold")

    def test_settings_bad_input(self):
        with self.assertRaisesRegex(ValidationError, "'Cause within' must be at least 1 working day"):
            self.company.ctrl_recv_dispute_resolve_days = 0
        with self.assertRaisesRegex(ValidationError, "cannot be negative"):
            self.company.ctrl_recv_confirmation_hold_days = -1

    def test_letter_pdf(self):
        confirmation = self._confirmation()
        report = self.env.ref("ctrl_receivable.action_report_balance_confirmation")
        html = report._render_qweb_html(report.report_name, confirmation.ids)[0].decode()
        self.assertIn(self.inv1.name, html)
        self.assertIn("Balance confirmation", html)
        pdf, kind = report.with_context(force_report_rendering=True)._render_qweb_pdf(
            report.report_name, confirmation.ids)
        self.assertEqual(kind, "pdf")
        self.assertTrue(pdf.startswith(b"%PDF"))

    def test_access(self):
        confirmation = self._confirmation()
        as_user = confirmation.with_user(self.recv_user)
        as_user.action_confirm()
        self.assertEqual(confirmation.state, "confirmed")
        wizard = self.env["ctrl.balance.confirmation.campaign"].with_user(self.recv_user).create(
            {"date": date(2026, 5, 31), "send": False})
        self.assertEqual(wizard.partner_ids, self.customer, "the paid customer has nothing open on 31 May")
        draft = self._confirmation(self.other, sent=False)
        with self.assertRaises(AccessError):
            draft.with_user(self.recv_user).unlink()
        clerk = new_test_user(self.env, "recv_clerk", groups="account.group_account_invoice",
                              company_id=self.company.id, company_ids=[Command.set(self.company.ids)])
        with self.assertRaises(AccessError):
            confirmation.with_user(clerk).read(["amount_balance"])
        other_company = self.env["res.company"].create({"name": "Other Co"})
        foreign = self.env["ctrl.balance.confirmation"].sudo().create(
            {"partner_id": self.customer.id, "date": self.as_of, "company_id": other_company.id})
        self.assertNotIn(foreign, self.env["ctrl.balance.confirmation"].with_user(self.recv_user).search([]))
