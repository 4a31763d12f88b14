# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import timedelta

from psycopg2.errors import UniqueViolation

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import mute_logger

from .test_collection import CollectionCase


@tagged("post_install", "-at_install")
class TestBadDebtReview(CollectionCase):
    """003/R13.11, R1.28: the monthly bad-debt review (坏账申请批复表) with a
    finding of responsibility, approved by the department head before any
    write-off."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.ctrl_recv_class_bad_days = 360
        company_ids = [Command.set(cls.company.ids)]
        cls.head = new_test_user(cls.env, "recv_head", groups="ctrl_base.group_approver_department_head",
                                 company_id=cls.company.id, company_ids=company_ids)
        cls.seller = new_test_user(cls.env, "recv_seller", groups="sales_team.group_sale_salesman",
                                   company_id=cls.company.id, company_ids=company_ids)
        cls.month = cls.today.replace(day=1)
        cls.aged = cls._invoice(4000.0, cls.month - timedelta(days=430), due=cls.month - timedelta(days=400),
                                user=cls.salesperson)
        cls.recent = cls._invoice(1000.0, cls.month - timedelta(days=60), due=cls.month - timedelta(days=30),
                                  user=cls.salesperson)
        cls.legal = cls._invoice(2500.0, cls.month - timedelta(days=90), due=cls.month - timedelta(days=50),
                                 user=cls.salesperson)
        cls.env["ctrl.collection.case"].sudo()._ctrl_open_for(cls.legal, "legal")

    def _reviews(self):
        return self.env["ctrl.bad.debt.review"].search([("company_id", "=", self.company.id)])

    def _review(self, user=None):
        review = self.env["ctrl.bad.debt.review"].with_user(user or self.recv_user).create(
            {"company_id": self.company.id, "date": self.month})
        review.action_fill()
        return review

    def _find(self, review, user=None):
        for line in review.line_ids.with_user(user or self.recv_user):
            line.write({"responsible_user_id": self.salesperson.id, "responsible_share": 60.0,
                        "responsibility_reason": "Shipped beyond the limit without approval.",
                        "writeoff_reason": "court"})

    def test_cron_prepares_the_month_once(self):
        Review = self.env["ctrl.bad.debt.review"]
        Review._cron_prepare()
        Review._cron_prepare()
        review = self._reviews()
        self.assertEqual(len(review), 1, "once per company and month")
        self.assertEqual(review.period, self.month.strftime("%Y-%m"))
        lines = {line.move_id: line for line in review.line_ids}
        self.assertEqual(set(lines), {self.aged, self.legal}, "doubtful only: aged beyond 'Bad after', or in court")
        self.assertEqual((lines[self.aged].basis, lines[self.aged].amount, lines[self.aged].days_due),
                         ("aged", 4000.0, 400))
        self.assertEqual(lines[self.legal].basis, "legal")
        self.assertEqual(lines[self.aged].responsible_user_id, self.salesperson, "the salesperson, by default")
        self.assertTrue(review.activity_ids, "finance is asked to review it")
        # A second review of the month is refused by the database (two workers, or a user).
        with self.assertRaises(UniqueViolation), mute_logger("odoo.sql_db"):
            Review.create({"company_id": self.company.id, "date": self.month + timedelta(days=3)})
            Review.flush_model()

    def test_finding_approval_and_writeoffs(self):
        review = self._review()
        with self.assertRaisesRegex(ValidationError, "Finding"):
            review.action_submit()
        self.assertEqual(review.state, "draft")
        self._find(review)
        review.line_ids.filtered(lambda ln: ln.move_id == self.legal).decision = "keep"
        self.assertEqual(review.amount, 4000.0, "only what is proposed as bad debt")
        review.action_submit()
        self.assertEqual(review.state, "to_approve")
        with self.assertRaises(UserError):
            review.action_create_writeoffs()
        request = review._ctrl_approval_requests("bad_debt_review", ["pending"])
        self.assertEqual(request.rule_id, self.env.ref("ctrl_receivable.approval_rule_bad_debt_review"))
        request.with_user(self.head).action_approve()
        self.assertEqual(review.state, "approved")
        review.with_user(self.recv_user).action_create_writeoffs()
        writeoff = review.line_ids.writeoff_id
        self.assertEqual(len(writeoff), 1)
        self.assertEqual((writeoff.state, writeoff.reason, writeoff.amount, writeoff.line_ids.move_id),
                         ("draft", "court", 4000.0, self.aged))
        self.assertIn("60%", writeoff.explanation)
        self.assertIn("Shipped beyond the limit", writeoff.explanation)
        self.assertEqual(review.writeoff_count, 1)
        with self.assertRaisesRegex(UserError, "already has its write-off"):
            review.action_create_writeoffs()

    def test_writeoff_needs_the_approved_review(self):
        """003/R1.28 under the seed policy: no write-off without the approved finding."""
        self._configure_provisioning()
        self.company.ctrl_policy = "seed"
        self.assertTrue(self.company.ctrl_recv_writeoff_needs_review)
        by_hand = self.env["ctrl.writeoff"].with_user(self.recv_manager).create({
            "partner_id": self.customer.id, "reason": "court", "explanation": "Court ruling.",
            "line_ids": [Command.create({"move_id": self.aged.id, "amount": 4000.0})]})
        self._attach_evidence(by_hand)
        with self.assertRaisesRegex(UserError, "not a bad debt of an approved bad-debt review"):
            by_hand.with_user(self.recv_manager).action_submit()
        self.assertEqual(by_hand.state, "draft")
        by_hand.with_user(self.recv_manager).unlink()
        review = self._review()
        self._find(review)
        review.action_submit()
        review._ctrl_approval_requests("bad_debt_review", ["pending"]).with_user(self.head).action_approve()
        review.with_user(self.recv_user).action_create_writeoffs()
        for writeoff in review.line_ids.writeoff_id:
            self._attach_evidence(writeoff, case_type="writeoff_case_litigation")
            writeoff.with_user(self.recv_manager).action_submit()
            self.assertEqual(writeoff.state, "to_approve")

    def test_writeoff_without_review_under_odoo_defaults(self):
        self.assertFalse(self.company.ctrl_recv_writeoff_needs_review, "Odoo defaults: the write-off alone")

    def test_preparer_cannot_approve(self):
        self.recv_user.groups_id += self.env.ref("ctrl_base.group_approver_department_head")
        review = self._review()
        self._find(review)
        review.with_user(self.recv_user).action_submit()
        request = review._ctrl_approval_requests("bad_debt_review", ["pending"])
        with self.assertRaises(AccessError):
            request.with_user(self.recv_user).action_approve()
        self.assertEqual(review.state, "to_approve")

    def test_bad_share_refused(self):
        review = self._review()
        with self.assertRaisesRegex(ValidationError, "Share"):
            review.line_ids[:1].responsible_share = 120.0

    def test_wrong_users(self):
        review = self._review()
        line = review.line_ids[:1]
        # A salesperson neither reads nor writes the review.
        with self.assertRaises(AccessError):
            review.with_user(self.seller).read(["amount"])
        with self.assertRaises(AccessError):
            self.env["ctrl.bad.debt.review"].with_user(self.seller).create({"company_id": self.company.id})
        # State and snapshots change only through the buttons.
        with self.assertRaises(AccessError):
            review.with_user(self.recv_user).state = "approved"
        with self.assertRaises(AccessError):
            line.with_user(self.recv_user).amount = 1.0
        with self.assertRaises(AccessError):
            line.with_user(self.recv_user).days_due = 1
        with self.assertRaises(AccessError):
            line.with_user(self.recv_user).move_id = self.recent
        with self.assertRaisesRegex(AccessError, "listed by the server"):
            self.env["ctrl.bad.debt.review.line"].with_user(self.recv_user).create(
                {"review_id": review.id, "move_id": self.recent.id})
        with self.assertRaises(AccessError):
            self.env["ctrl.bad.debt.review"].with_user(self.recv_user).create(
                {"company_id": self.company.id, "date": self.month, "state": "approved"})
        # The department head approves; they do not edit.
        with self.assertRaises(AccessError):
            review.with_user(self.head).note = "edited"
        with self.assertRaises(AccessError):
            review.with_user(self.recv_user).unlink()
        self._find(review)
        review.action_submit()
        # Locked once submitted, and never deleted.
        with self.assertRaises(UserError):
            line.with_user(self.recv_user).responsible_share = 10.0
        with self.assertRaises(UserError):
            line.with_user(self.recv_user).unlink()
        with self.assertRaises(UserError):
            review.with_user(self.recv_manager).unlink()
        with self.assertRaises(AccessError):
            review.with_user(self.recv_user).action_cancel()
        self.assertEqual(review.state, "to_approve")

    def test_print(self):
        review = self._review()
        html = self.env["ir.actions.report"]._render_qweb_html(
            "ctrl_receivable.action_report_bad_debt_review", review.ids)[0]
        self.assertIn(self.aged.name.encode(), html)
