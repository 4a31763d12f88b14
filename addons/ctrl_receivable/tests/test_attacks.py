# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The attacks seen on the receivables controls, replayed as RPC clients
would: users holding only their own groups, any context key, public
methods, create/write/unlink within their access rights."""
import re
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CtrlReceivableCase

# Every context key the addon ever read (or could be guessed): none may skip a control.
CLIENT_CONTEXT = {"ctrl_provision_run": True, "ctrl_recv_skip": True, "tracking_disable": True}


@tagged("post_install", "-at_install")
class TestAttacks(CtrlReceivableCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        company_ids = [Command.set(cls.company.ids)]
        cls.gm = new_test_user(cls.env, "atk_gm", groups="ctrl_base.group_approver_gm",
                               company_id=cls.company.id, company_ids=company_ids)
        cls.seller = new_test_user(cls.env, "atk_seller",
                                   groups="sales_team.group_sale_salesman,ctrl_receivable.group_receivable_user",
                                   company_id=cls.company.id, company_ids=company_ids)
        # 2-3 years old at 2024-12-31: 20% of 2,000 = 400 to provide.
        cls.old_invoice = cls._invoice(2000.0, "2022-12-31", due="2023-01-30")
        cls.today = fields.Date.context_today(cls.env["account.move"])

    # ------------------------------------------------------------------
    # Helpers
    # ------------------------------------------------------------------
    def _run(self):
        return self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(
            self.company, self._date("2024-12-31"))

    def _submitted_run(self):
        run = self._run()
        run.action_submit()
        self.assertEqual((run.state, run.adjustment_amount), ("to_approve", 400.0))
        return run

    def _writeoff(self, amount, user):
        writeoff = self.env["ctrl.writeoff"].with_user(user).create({
            "partner_id": self.customer.id, "reason": "overdue_3y", "explanation": "No business since 2022.",
            "line_ids": [Command.create({"move_id": self.old_invoice.id, "amount": amount})],
        })
        self._attach_evidence(writeoff)
        return writeoff

    # ------------------------------------------------------------------
    # 1. Provision run
    # ------------------------------------------------------------------
    def test_01_provision_run_changed_after_submission(self):
        """Submitted for one amount, changed by its preparer, posted for another."""
        run = self._submitted_run()
        with self.assertRaisesRegex(AccessError, "Adjustment"):
            run.write({"adjustment_amount": 9999999.0})
        with self.assertRaisesRegex(AccessError, "Required allowance"):
            run.write({"required_amount": 9999999.0, "adjustment_amount": 9999999.0})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            run.write({"allowance_account_id": self.expense_account.id})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            run.write({"journal_id": self.company_data["default_journal_sale"].id})
        line = run.line_ids[:1]
        with self.assertRaises(AccessError):
            line.with_user(self.recv_manager).write({"required_amount": 9999999.0})
        with self.assertRaises(AccessError):
            self.env["ctrl.provision.run.line"].with_user(self.recv_manager).create(
                {"run_id": run.id, "required_amount": 9999999.0})
        with self.assertRaises(UserError):
            line.with_user(self.recv_manager).unlink()
        self.assertTrue(line.exists())
        self.assertEqual((run.adjustment_amount, run.allowance_account_id), (400.0, self.allowance_account))
        # Even a change that slipped past the guards (here: as superuser) voids the approval.
        run.sudo().write({"adjustment_amount": 9999999.0})
        with self.assertRaisesRegex(UserError, "changed after it was submitted"):
            run.with_user(self.finance).action_approve()
        self.assertEqual(run.state, "to_approve")
        self.assertFalse(run.move_id)
        run.sudo().write({"adjustment_amount": 400.0})
        run.with_user(self.finance).action_approve()
        self.assertEqual(run.state, "posted")
        self.assertEqual(sum(run.move_id.line_ids.mapped("debit")), 400.0, "what was submitted is what is posted")

    def test_02_provision_run_forged_posting(self):
        """Written to 'posted' with a forged approver, or created posted."""
        run = self._submitted_run()
        Run = self.env["ctrl.provision.run"].with_user(self.recv_manager)
        with self.assertRaisesRegex(AccessError, "Approved By|Status"):
            run.write({"state": "posted", "approved_by_id": self.finance.id})
        with self.assertRaises(AccessError):
            run.write({"approved_by_id": self.finance.id})
        with self.assertRaises(AccessError):
            run.with_context(**CLIENT_CONTEXT).write({"move_id": self.old_invoice.id})
        with self.assertRaisesRegex(AccessError, "leave it empty"):
            Run.create({"date": "2024-11-30", "scheme_id": self.provision.id, "state": "posted",
                        "approved_by_id": self.finance.id})
        self.assertEqual(run.state, "to_approve")
        self.assertFalse(run.approved_by_id)
        self.assertFalse(Run.search([("company_id", "=", self.company.id), ("period", "=", "2024-11")]))
        # The preparer cannot approve it either, whatever the context.
        with self.assertRaises(UserError):
            run.with_context(**CLIENT_CONTEXT).action_approve()
        self.assertEqual(run.state, "to_approve")

    def test_03_posted_run_back_to_draft_and_deleted(self):
        """A posted run written back to draft and deleted, its entry left behind."""
        run = self._submitted_run()
        run.with_user(self.finance).action_approve()
        entry = run.move_id
        self.assertEqual((run.state, run.approved_by_id), ("posted", self.finance))
        with self.assertRaises(AccessError):
            run.write({"state": "draft"})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            run.unlink()
        with self.assertRaises(AccessError):
            run.write({"move_id": False})
        self.assertEqual((run.state, run.move_id), ("posted", entry))
        # Its entry is not reset, cancelled or rewritten on its own, even by an accounting manager.
        self._assert_entry_kept(entry, run.name)
        # Cancelling reverses the entry; nothing is deleted.
        run.with_user(self.recv_manager).action_cancel()
        self.assertEqual(run.state, "cancelled")
        self.assertEqual(entry.state, "posted")
        self.assertEqual(run.reversal_move_id.reversed_entry_id, entry)
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            run.unlink()

    def test_04_provision_run_inputs_changed_in_draft(self):
        """A draft's inputs changed by hand: its figures must be computed again."""
        run = self._run()
        run.write({"allowance_account_id": self.allowance_account.id})
        self.assertFalse(run.computed_on)
        self.assertFalse(run.line_ids)
        self.assertEqual(run.adjustment_amount, 0.0)
        with self.assertRaisesRegex(UserError, "not computed"):
            run.action_submit()
        self.assertEqual(run.state, "draft")
        with self.assertRaises(AccessError):
            run.with_user(self.recv_user).action_compute()
        run.action_compute()
        self.assertTrue(run.computed_on)
        self.assertEqual(run.adjustment_amount, 400.0)
        # Withdrawing returns it to draft: then it may change.
        run.action_submit()
        run.action_ctrl_withdraw()
        self.assertEqual(run.state, "draft")
        self.assertFalse(run._pending_request())

    # ------------------------------------------------------------------
    # 2. Specific provision
    # ------------------------------------------------------------------
    def test_05_specific_provision_lifecycle(self):
        # A recent invoice (any day the test runs): the scheme provides less than 100%.
        bankrupt = self.env["res.partner"].create({"name": "Bankrupt Ltd", "is_company": True})
        self._invoice(1000.0, self.today - timedelta(days=10), partner=bankrupt)
        Specific = self.env["ctrl.provision.specific"].with_user(self.recv_user)
        with self.assertRaises(AccessError):
            Specific.create({"partner_id": bankrupt.id, "rate": 100.0, "reason": "Bankrupt",
                             "date": "2024-12-01", "state": "active"})
        specific = Specific.create({
            "partner_id": bankrupt.id, "rate": 100.0, "reason": "Bankrupt", "date": "2024-12-01",
            "attachment_ids": [Command.create({"name": "notice.pdf", "raw": b"%PDF"})],
        })
        specific.action_submit()
        self.assertEqual(specific.state, "to_approve")
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            specific.write({"rate": 10.0})
        with self.assertRaises(AccessError):
            specific.write({"state": "active"})
        with self.assertRaises(AccessError):
            specific.write({"specific_amount": 1.0})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            specific.with_user(self.recv_manager).unlink()
        self.assertEqual((specific.state, specific.rate), ("to_approve", 100.0))
        # A rejection returns it to draft.
        request = specific._ctrl_approval_requests("specific_rate", ["pending"])
        request.with_user(self.finance).action_reject("Show the court notice")
        self.assertEqual(specific.state, "draft")
        specific.action_submit()
        specific._ctrl_approval_requests("specific_rate", ["pending"]).with_user(self.finance).action_approve()
        self.assertEqual(specific.state, "active")
        with self.assertRaisesRegex(UserError, "cancel it and make a new one"):
            specific.write({"rate": 50.0})

    # ------------------------------------------------------------------
    # 3. Write-off
    # ------------------------------------------------------------------
    def test_06_writeoff_lines_raised_after_submission(self):
        """10.00 approved, 8,280.00 posted; state written to 'posted'."""
        writeoff = self._writeoff(10.0, self.recv_user)
        with self.assertRaises(AccessError):
            writeoff.write({"state": "posted"})
        writeoff.action_submit()
        self.assertEqual(writeoff.state, "to_approve")
        line = writeoff.line_ids
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            line.write({"amount": 1999.0})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            writeoff.write({"line_ids": [Command.update(line.id, {"amount": 1999.0})]})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            self.env["ctrl.writeoff.line"].with_user(self.recv_user).create(
                {"writeoff_id": writeoff.id, "move_id": self.old_invoice.id, "amount": 1000.0})
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            line.unlink()
        with self.assertRaisesRegex(UserError, "withdraw the request"):
            writeoff.write({"date": "2024-01-01"})
        for forged in ({"state": "posted"}, {"move_id": self.old_invoice.id}, {"recovered_amount": 5.0},
                       {"recovery_move_ids": [Command.link(self.old_invoice.id)]}, {"amount": 1999.0}):
            with self.assertRaises(AccessError):
                writeoff.with_context(**CLIENT_CONTEXT).write(forged)
        self.assertEqual((writeoff.state, writeoff.amount, line.amount), ("to_approve", 10.0, 10.0))
        with self.assertRaises(AccessError):
            writeoff.action_recover(1.0)
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        request.with_user(self.finance).action_approve()
        request.with_user(self.gm).action_approve()
        self.assertEqual(writeoff.state, "posted")
        self.assertEqual(sum(writeoff.move_id.line_ids.mapped("debit")), 10.0, "what was approved is what is posted")
        self.assertEqual(self.old_invoice.amount_residual, 1990.0)
        with self.assertRaises(UserError):
            line.write({"amount": 1999.0})
        with self.assertRaises(AccessError):
            writeoff.action_cancel()
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            writeoff.with_user(self.recv_manager).unlink()
        self._assert_entry_kept(writeoff.move_id, writeoff.display_name)

    def _assert_entry_kept(self, entry, document):
        for attack in (lambda move: move.button_draft(), lambda move: move.button_cancel(),
                       lambda move: move.write({"state": "draft"})):
            with self.assertRaisesRegex(UserError, f"belongs to {re.escape(document)}"):
                attack(entry.with_user(self.recv_manager))
        self.assertEqual(entry.state, "posted")

    def test_07_writeoff_rejection_returns_to_draft(self):
        writeoff = self._writeoff(10.0, self.recv_user)
        writeoff.action_submit()
        self.assertEqual(self.old_invoice.ctrl_recv_d13_state, "doubtful")
        request = writeoff._ctrl_approval_requests("writeoff", ["pending"])
        request.with_user(self.finance).action_reject("No evidence of collection")
        self.assertEqual(writeoff.state, "draft")
        self.assertFalse(self.old_invoice.ctrl_recv_d13_state)
        writeoff.line_ids.write({"amount": 20.0})
        self.assertEqual(writeoff.amount, 20.0, "a draft is edited again")

    # ------------------------------------------------------------------
    # 4. Confirmations, handovers, cases, promises: results set by their buttons
    # ------------------------------------------------------------------
    def test_08_confirmation_results(self):
        Confirmation = self.env["ctrl.balance.confirmation"].with_user(self.recv_user)
        with self.assertRaises(AccessError):
            Confirmation.create({"partner_id": self.customer.id, "date": "2024-12-31", "state": "confirmed"})
        confirmation = Confirmation.create({"partner_id": self.customer.id, "date": "2024-12-31"})
        confirmation.action_compute()
        self.assertEqual(confirmation.amount_balance, 2000.0)
        for forged in ({"state": "confirmed"}, {"date_reply": "2025-01-05"}, {"amount_balance": 1.0},
                       {"date_sent": "2025-01-02"}, {"line_ids": [Command.clear()]}):
            with self.assertRaises(AccessError):
                confirmation.with_context(**CLIENT_CONTEXT).write(forged)
        with self.assertRaises(AccessError):
            confirmation.line_ids[:1].write({"amount": 1.0})
        confirmation.action_mark_sent()
        confirmation.action_confirm()
        self.assertEqual((confirmation.state, confirmation.customer_amount), ("confirmed", 2000.0))
        with self.assertRaisesRegex(UserError, "recorded with the reply"):
            confirmation.write({"customer_amount": 1.0})
        with self.assertRaisesRegex(UserError, "can only change while it is a draft"):
            confirmation.write({"date": "2024-11-30"})
        self.assertEqual((confirmation.customer_amount, confirmation.date), (2000.0, self._date("2024-12-31")))

    def test_09_handover_signatures(self):
        leaver, successor, supervisor = (
            new_test_user(self.env, login, groups="sales_team.group_sale_salesman", company_id=self.company.id,
                          company_ids=[Command.set(self.company.ids)])
            for login in ("atk_leaver", "atk_successor", "atk_supervisor"))
        handover = self.env["ctrl.receivable.handover"].with_user(self.recv_user).create({
            "user_id": leaver.id, "successor_id": successor.id, "supervisor_id": supervisor.id})
        handover.action_confirm()
        now = fields.Datetime.now()
        for user in (self.recv_user, leaver):
            for forged in ({"date_signed_out": now}, {"date_signed_supervisor": now}, {"state": "signed"},
                           {"date_done": self.today}):
                with self.assertRaises(AccessError):
                    handover.with_user(user).with_context(**CLIENT_CONTEXT).write(forged)
        with self.assertRaises(AccessError):
            handover.with_user(self.recv_user).action_sign_supervisor()
        self.assertEqual(handover.state, "confirmed")
        self.assertFalse(handover.date_signed_out or handover.date_signed_in or handover.date_signed_supervisor)
        handover.with_user(leaver).action_sign_out()
        self.assertTrue(handover.date_signed_out)

    def test_10_case_results(self):
        invoice = self._invoice(500.0, "2024-01-31", due="2024-02-29")
        case = self.env["ctrl.collection.case"].with_user(self.seller).create(
            {"partner_id": self.customer.id, "move_ids": [Command.link(invoice.id)]})
        for forged in ({"state": "answered"}, {"date_reported": self.today}, {"report_deadline": "2099-01-01"},
                       {"answer_deadline": "2099-01-01"}):
            with self.assertRaises(AccessError):
                case.with_context(**CLIENT_CONTEXT).write(forged)
        with self.assertRaises(AccessError):
            case.write({"answer": "<p>Forgive the debt</p>"})
        case.write({"report": "<p>Customer in difficulty.</p>"})
        case.action_report()
        with self.assertRaisesRegex(UserError, "sent report cannot change"):
            case.write({"report": "<p>Rewritten</p>"})
        with self.assertRaises(AccessError):
            case.action_answer()
        case.with_user(self.recv_manager).write({"answer": "<p>Instalments.</p>"})
        case.with_user(self.recv_manager).action_answer()
        self.assertEqual(case.state, "answered")
        with self.assertRaisesRegex(UserError, "given plan cannot change"):
            case.with_user(self.recv_manager).write({"answer": "<p>Forgive the debt</p>"})

    def test_11_promise_results(self):
        invoice = self._invoice(500.0, "2024-01-31", due="2024-02-29")
        Promise = self.env["ctrl.collection.promise"].with_user(self.recv_user)
        when = self.today + timedelta(days=5)
        for forged in ({"state": "kept"}, {"user_id": self.recv_manager.id}, {"residual_at_promise": 1.0}):
            with self.assertRaises(AccessError):
                Promise.create({"move_id": invoice.id, "date": when, "amount": 100.0, **forged})
        self.assertFalse(invoice.ctrl_recv_promise_ids)
        promise = Promise.create({"move_id": invoice.id, "date": when, "amount": 100.0})
        self.assertEqual((promise.user_id, promise.residual_at_promise), (self.recv_user, 500.0))
        with self.assertRaises(AccessError):
            promise.write({"state": "kept"})
        with self.assertRaisesRegex(UserError, "record a new promise"):
            promise.write({"date": when + timedelta(days=300)})
        with self.assertRaisesRegex(UserError, "cannot be deleted"):
            promise.with_user(self.recv_manager).unlink()
        self.assertEqual((promise.state, invoice.ctrl_recv_promise_date), ("pending", when))

    # ------------------------------------------------------------------
    # 5. The invoice's collection state
    # ------------------------------------------------------------------
    def test_12_invoice_promise_date_by_hand(self):
        """A promise date written on the invoice, with no promise: the ladder skipped it."""
        invoice = self._invoice(500.0, "2024-01-31", due="2024-02-29")
        as_user = invoice.with_user(self.recv_user).with_context(**CLIENT_CONTEXT)
        with self.assertRaisesRegex(AccessError, "Promised payment"):
            as_user.write({"ctrl_recv_promise_date": self.today + timedelta(days=60)})
        level = self.env.ref("ctrl_receivable.escalation_level_collection_1")
        for forged in ({"ctrl_recv_level_id": level.id}, {"ctrl_recv_d13_state": "bad"},
                       {"ctrl_recv_d13_since": self.today}, {"ctrl_recv_written_off": 500.0}):
            with self.assertRaises(AccessError):
                as_user.write(forged)
        with self.assertRaisesRegex(AccessError, "Promised payment"):
            self.env["account.move"].with_user(self.recv_user).create({
                "move_type": "out_invoice", "partner_id": self.customer.id,
                "ctrl_recv_promise_date": self.today + timedelta(days=60)})
        self.assertFalse(invoice.ctrl_recv_promise_date or invoice.ctrl_recv_level_id or invoice.ctrl_recv_d13_state)
        self.assertEqual(invoice.ctrl_recv_written_off, 0.0)
        # A promise record is the way, and it sets the date.
        promise = self.env["ctrl.collection.promise"].with_user(self.recv_user).create(
            {"move_id": invoice.id, "date": self.today + timedelta(days=5), "amount": 100.0})
        self.assertEqual(invoice.ctrl_recv_promise_date, promise.date)

    # ------------------------------------------------------------------
    # 6. Payroll data
    # ------------------------------------------------------------------
    def test_13_deductions_are_private(self):
        Entry = self.env["ctrl.recv.accountability"].sudo()
        mine = Entry.create({"kind": "deduction", "user_id": self.recv_user.id, "company_id": self.company.id,
                             "amount": 100.0, "partner_id": self.customer.id})
        theirs = Entry.create({"kind": "deduction", "user_id": self.seller.id, "company_id": self.company.id,
                               "amount": 250.0, "partner_id": self.customer.id})
        other_company = self.env["res.company"].create({"name": "Other Co (payroll)"})
        foreign = Entry.create({"kind": "deduction", "user_id": self.seller.id, "company_id": other_company.id,
                                "amount": 900.0})
        ours = [("id", "in", (mine | theirs | foreign).ids)]
        self.assertEqual(Entry.with_user(self.recv_user).sudo(False).search(ours), mine)
        self.assertEqual(Entry.with_user(self.seller).sudo(False).search(ours), theirs)
        self.assertEqual(Entry.with_user(self.finance).sudo(False).search(ours).ids, [],
                         "a receivables user who is not the salesperson sees nothing")
        with self.assertRaises(AccessError):
            theirs.with_user(self.recv_user).sudo(False).read(["amount"])
        groups = Entry.with_user(self.recv_user).sudo(False).read_group(ours, ["amount:sum"], [])
        self.assertEqual(groups[0]["amount"], 100.0, "totals count only their own")
        self.assertEqual(Entry.with_user(self.recv_manager).sudo(False).search(ours), mine | theirs,
                         "managers read all of their companies")
        # The collection log's deduction events carry the same amounts.
        Event = self.env["ctrl.collection.event"].sudo()
        events = Event.create([Event._vals(self.old_invoice, kind, amount=250.0) | {"user_id": self.seller.id}
                               for kind in ("deduction", "level")])
        visible = Event.with_user(self.recv_user).search([("id", "in", events.ids)])
        self.assertEqual(visible.mapped("kind"), ["level"])
        self.assertEqual(Event.with_user(self.seller).search_count([("id", "in", events.ids)]), 2)
        self.assertEqual(Event.with_user(self.recv_manager).search_count([("id", "in", events.ids)]), 2)

    # ------------------------------------------------------------------
    # 7. Rendered summaries
    # ------------------------------------------------------------------
    def test_14_summaries_escape_bucket_names(self):
        payload = "<script>alert(1)</script>"
        bucket = self.provision.bucket_ids.filtered(lambda b: b.name == "2-3 years")
        bucket.with_user(self.recv_manager).name = payload
        run = self._run()
        html = str(run.bucket_summary_html)
        self.assertNotIn(payload, html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        run.sudo().expected_loss = [{"bucket_id": bucket.id, "name": payload, "rate": 20.0, "roll": None,
                                     "loss": 12.5}]
        html = str(run.expected_loss_html)
        self.assertNotIn(payload, html)
        self.assertIn("&lt;script&gt;alert(1)&lt;/script&gt;", html)
        self.assertIn("12.5%", html)

    # ------------------------------------------------------------------
    # 8. Context keys
    # ------------------------------------------------------------------
    def test_15_context_keys_skip_nothing(self):
        """The former ``ctrl_provision_run`` key (and any other) skips no check."""
        run = self._submitted_run()
        with self.assertRaises(UserError):
            run.with_context(**CLIENT_CONTEXT).action_approve()
        with self.assertRaises(AccessError):
            run.with_user(self.recv_user).with_context(**CLIENT_CONTEXT).action_cancel()
        with self.assertRaises(AccessError):
            run.with_user(self.recv_user).with_context(**CLIENT_CONTEXT).action_approve()
        with self.assertRaises(AccessError):
            run.with_context(**CLIENT_CONTEXT).write({"state": "posted"})
        self.assertEqual(run.state, "to_approve")
        self.assertFalse(run.move_id)
        run.with_user(self.finance).with_context(**CLIENT_CONTEXT).action_approve()
        self.assertEqual(run.state, "posted", "the approver's own decision posts it")
