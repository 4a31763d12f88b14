# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Credit groups (001/AR16.8: one aggregate cap for the customers under one
controlling person) and secured customers (001/AR02.7, N16: the limit is the
secured value of the collateral)."""
import base64
from datetime import timedelta

import freezegun
import psycopg2

from odoo import Command, fields, sql_db
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import CtrlCreditCase

DOCUMENT = base64.b64encode(b"%PDF-1.4 signed guarantee")


@tagged("post_install", "-at_install")
class TestCreditGroup(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # Only the credit checks stand between the orders and their confirmation.
        cls.company.sudo().write({
            "ctrl_credit_order_approval": False, "ctrl_price_approval": False, "ctrl_credit_checklist_all": False,
            "ctrl_credit_checklist_amount": 0,
        })
        Partner = cls.env["res.partner"]
        cls.controller = Partner.create({"name": "Mr Controller", "is_company": False})
        cls.member_a = Partner.create({"name": "Group Member A", "is_company": True})
        cls.member_b = Partner.create({"name": "Group Member B", "is_company": True})
        for member in (cls.member_a, cls.member_b):
            cls._grade(member, "A", limit=10000)
        cls.group = cls.env["ctrl.credit.group"].create({
            "name": "Controller Group", "controller_id": cls.controller.id, "credit_limit": 15000,
            "member_ids": [Command.set((cls.member_a | cls.member_b).ids)],
        })

    def test_group_cap_blocks_a_member_within_its_own_limit(self):
        self._order(partner=self.member_a, qty=80).action_confirm()   # A: 8,000 of its 10,000
        order = self._order(partner=self.member_b, qty=80)            # B: 8,000 of its 10,000; group 16,000 > 15,000
        self.assertIn("Controller Group", order.ctrl_credit_problems)
        self.assertNotIn("Over credit limit:", order.ctrl_credit_problems)
        with self.assertRaisesRegex(UserError, "group Controller Group"):
            order.action_confirm()
        self.assertEqual(order.state, "draft")
        self.assertEqual(self.group.exposure, 8000.0)
        self.assertEqual(self.group.available, 7000.0)
        # The customer shows the hold of its group.
        self.member_b.invalidate_recordset()
        self._order(partner=self.member_b, qty=70).action_confirm()   # group 15,000: the cap is used up
        self.member_a.invalidate_recordset()
        self.assertTrue(self.member_a.with_company(self.company).ctrl_credit_on_hold)
        self.assertIn("Controller Group", self.member_a.with_company(self.company).ctrl_credit_hold_summary)

    def test_ungraded_member_is_held_by_the_group(self):
        """The group's cap blocks a customer without a grade or limit of its own (not the native warning)."""
        plain = self.env["res.partner"].create({"name": "Ungraded Member", "is_company": True,
                                                "ctrl_credit_group_id": self.group.id})
        self.assertFalse(plain._ctrl_credit_controlled(self.company))
        self._order(partner=self.member_a, qty=100).action_confirm()
        with self.assertRaisesRegex(UserError, "group Controller Group"):
            self._order(partner=plain, qty=60).action_confirm()
        self._order(partner=plain, qty=50).action_confirm()

    def test_member_limit_still_blocks(self):
        order = self._order(partner=self.member_a, qty=101)           # 10,100 > A's 10,000, group fine
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            order.action_confirm()
        self.assertNotIn("Controller Group", order.ctrl_credit_problems)

    def test_override_names_the_group(self):
        """The group's cap is held and released like the customer's own limit: one hold, one release."""
        self._order(partner=self.member_a, qty=100).action_confirm()
        order = self._order(partner=self.member_b, qty=60)
        order.with_user(self.salesman).action_ctrl_credit_request_override()
        hold = self.env["ctrl.credit.hold"].search([("res_model", "=", "sale.order"), ("res_id", "=", order.id)])
        self.assertEqual(hold.reason, "over_limit")
        self.assertIn("Controller Group", hold.note)

    def test_group_in_another_company_does_not_count(self):
        self.group.company_id = self.env["res.company"].create({"name": "Other Group Company"})
        self._order(partner=self.member_a, qty=80).action_confirm()
        self._order(partner=self.member_b, qty=80).action_confirm()

    def test_members_rows_locked_together(self):
        """A member's confirmation locks every member's ledger row (in id order): another member's confirmation
        waits for it, so that two of them cannot both take the group's last credit."""
        self.env.flush_all()
        self.env.cr.execute("SELECT 1 FROM ctrl_credit_exposure WHERE partner_id = %s", (self.member_b.id,))
        self.assertFalse(self.env.cr.fetchall(), "member B has no ledger row yet")
        order = self._order(partner=self.member_a, qty=1)
        order._ctrl_credit_check_confirm()
        with sql_db.db_connect(self.env.cr.dbname).cursor() as other:
            other.execute("SET lock_timeout = '200ms'")
            with self.assertRaises(psycopg2.errors.LockNotAvailable):
                other.execute("""INSERT INTO ctrl_credit_exposure (partner_id, company_id) VALUES (%s, %s)
                                 ON CONFLICT (partner_id, company_id) DO NOTHING""",
                              (self.member_b.id, self.company.id))
            other.rollback()

    def test_one_extra_query(self):
        """The check of a member reads its group with one query more than a customer without a group."""
        loner = self.env["res.partner"].create({"name": "Loner", "is_company": True})
        self._grade(loner, "A", limit=10000)
        orders = self._order(partner=loner), self._order(partner=self.member_a)
        counts = []
        for order in orders:
            order._ctrl_credit_snapshot(lock=True)  # warm the caches
            self.env.invalidate_all()
            order = order.browse(order.id)
            start = self.env.cr.sql_log_count
            order._ctrl_credit_snapshot(lock=True)
            counts.append(self.env.cr.sql_log_count - start)
        self.assertLessEqual(counts[1] - counts[0], 1)  # the group's customers

    def test_delete_refused_while_it_has_customers(self):
        self.member_b.active = False  # an archived customer still owes, so still belongs
        self.member_a.ctrl_credit_group_id = False
        with self.assertRaisesRegex(UserError, "still has customers \\(Group Member B\\).*Remove them"):
            self.group.unlink()
        self.assertTrue(self.group.exists())
        self.member_b.ctrl_credit_group_id = False
        self.group.unlink()
        self.assertFalse(self.group.exists())

    def test_wrong_users(self):
        salesman = self.salesman
        with self.assertRaises(AccessError):
            self.env["ctrl.credit.group"].with_user(salesman).create({
                "name": "Mine", "controller_id": self.controller.id, "credit_limit": 10 ** 9})
        with self.assertRaises(AccessError):
            self.group.with_user(salesman).write({"credit_limit": 10 ** 9})
        with self.assertRaises(AccessError):
            self.member_a.with_user(salesman).write({"ctrl_credit_group_id": False})
        outsider = self.env["res.partner"].create({"name": "Outsider", "is_company": True})
        with self.assertRaises(AccessError):
            outsider.with_user(salesman).write({"ctrl_credit_group_id": self.group.id})
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(salesman).create(
                {"name": "Sneaky", "is_company": True, "ctrl_credit_group_id": self.group.id})
        self.assertEqual(self.member_a.ctrl_credit_group_id, self.group)
        with self.assertRaisesRegex(ValidationError, "Group credit limit"):
            self.group.credit_limit = 0
        contact = self.env["res.partner"].create({"name": "A's buyer", "parent_id": self.member_a.id})
        with self.assertRaisesRegex(ValidationError, "not its contact"):
            contact.ctrl_credit_group_id = self.group


@tagged("post_install", "-at_install")
class TestSecuredCustomer(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        # Collateral counts by date: the class runs on a fixed day (CTRL_TEST_TODAY, when set, still decides).
        cls.startClassPatcher(freezegun.freeze_time("2027-03-10 09:00:00", tick=True))
        super().setUpClass()
        cls.company.sudo().write({
            "ctrl_credit_order_approval": False, "ctrl_price_approval": False, "ctrl_credit_checklist_all": False,
            "ctrl_credit_checklist_amount": 0,
        })
        cls.grade_data["A"].limit_basis = "collateral"
        cls.secured = cls.env["res.partner"].create({"name": "Secured Customer", "is_company": True})
        cls._grade(cls.secured, "A", limit=50000)  # the limit of record does not count under this grade
        cls.today = fields.Date.context_today(cls.env["res.partner"])
        cls.credit_mgr = new_test_user(cls.env, "cc_collat_mgr", groups="base.group_user,"
                                       "ctrl_credit.group_credit_manager", company_id=cls.company.id,
                                       company_ids=[Command.set(cls.company.ids)])

    def _collateral(self, value, start=None, end=None, currency=None):
        return self.env["ctrl.credit.collateral"].create({
            "name": "Guarantee", "partner_id": self.secured.id, "collateral_type": "guarantee", "value": value,
            "currency_id": (currency or self.company.currency_id).id, "date_start": start or self.today,
            "date_end": end, "document": DOCUMENT, "document_name": "guarantee.pdf"})

    def _activate(self, collateral):
        """Submit (credit manager) and approve (general manager)."""
        collateral.with_user(self.credit_mgr).action_submit()
        self.assertEqual(collateral.state, "to_approve")
        collateral._ctrl_approval_requests("credit_collateral", ["pending"]).with_user(self.gm).action_approve()
        self.assertEqual(collateral.state, "active")
        return collateral

    def _limit(self, day=None):
        return self.secured._ctrl_credit_limits(self.company, day or self.today)[self.secured.id]

    def test_limit_follows_collateral(self):
        self.assertEqual(self._limit(), (0.0, True))   # secured grade, no collateral: no credit
        with self.assertRaisesRegex(UserError, "Over credit limit"):
            self._order(partner=self.secured, qty=10).action_confirm()
        guarantee = self._collateral(3000, end=self.today + timedelta(days=30))
        self.assertEqual(self._limit()[0], 0.0)        # a draft does not count
        self._activate(guarantee)
        self.assertEqual(guarantee.state, "active")
        self.assertEqual(self._limit()[0], 3000.0)
        self.secured.invalidate_recordset()
        self.assertEqual(self.secured.with_company(self.company).ctrl_credit_limit, 3000.0)
        self._order(partner=self.secured, qty=10).action_confirm()
        with self.assertRaisesRegex(UserError, "limit of"):
            self._order(partner=self.secured, qty=25).action_confirm()
        # Expiry: it counts the day before, not on the expiry date (no job needed).
        self.assertEqual(self._limit(self.today + timedelta(days=29))[0], 3000.0)
        self.assertEqual(self._limit(self.today + timedelta(days=30))[0], 0.0)
        # A future collateral counts from its start.
        later = self._collateral(2000, start=self.today + timedelta(days=10))
        self._activate(later)
        self.assertEqual(self._limit()[0], 3000.0)
        self.assertEqual(self._limit(self.today + timedelta(days=10))[0], 5000.0)
        # Foreign currency: converted at the day's rate, rounded.
        chf = self.setup_other_currency("CHF")  # 2 CHF for 1 of the company's currency
        self._activate(self._collateral(1001.0, currency=chf))
        self.assertEqual(self._limit()[0], 3500.5)
        guarantee.action_release()
        self.assertEqual(guarantee.state, "released")
        self.assertEqual(self._limit()[0], 500.5)
        with self.assertRaisesRegex(UserError, "not active"):
            guarantee.action_release()

    def test_mark_expired(self):
        guarantee = self._collateral(3000, start=self.today - timedelta(days=10), end=self.today)
        self._activate(guarantee)
        self.assertFalse(guarantee.counts)
        guarantee.action_expire()
        self.assertEqual(guarantee.state, "expired")
        running = self._collateral(3000, end=self.today + timedelta(days=1))
        self._activate(running)
        with self.assertRaisesRegex(UserError, "expiry date"):
            running.action_expire()

    def test_rating_grade_keeps_the_limit_of_record(self):
        self.grade_data["A"].limit_basis = "rating"
        self.assertEqual(self._limit(), (50000.0, True))

    def test_wrong_users_and_bad_input(self):
        guarantee = self._collateral(3000)
        salesman = self.salesman
        with self.assertRaises(AccessError):
            guarantee.with_user(salesman).action_submit()
        with self.assertRaises(AccessError):
            self.env["ctrl.credit.collateral"].with_user(salesman).create({
                "name": "Mine", "partner_id": self.secured.id, "value": 10 ** 9, "date_start": self.today})
        with self.assertRaises(AccessError):
            guarantee.with_user(salesman).write({"value": 10 ** 9})
        with self.assertRaises(AccessError):
            self.grade_data["A"].with_user(salesman).write({"limit_basis": "rating"})
        # Nobody moves the state by hand, not even a credit manager.
        with self.assertRaises(AccessError):
            guarantee.write({"state": "active"})
        with self.assertRaises(AccessError):
            self.env["ctrl.credit.collateral"].create({
                "name": "Forced", "partner_id": self.secured.id, "value": 1, "date_start": self.today,
                "state": "active"})
        self._activate(guarantee)
        with self.assertRaises(UserError):
            guarantee.write({"value": 10 ** 9})   # locked once active
        with self.assertRaisesRegex(UserError, "not a draft"):
            guarantee.with_user(self.credit_mgr).action_submit()
        no_document = self.env["ctrl.credit.collateral"].create({
            "name": "Unsigned", "partner_id": self.secured.id, "value": 100, "date_start": self.today})
        with self.assertRaisesRegex(UserError, "Document"):
            no_document.with_user(self.credit_mgr).action_submit()
        with self.assertRaisesRegex(ValidationError, "Secured value"):
            self._collateral(0)
        with self.assertRaisesRegex(ValidationError, "Expires on"):
            self._collateral(10, end=self.today)

    def test_collateral_counts_only_once_approved(self):
        """001/AR02.7: the secured limit is approved by the general manager, not by whoever records it."""
        guarantee = self._collateral(3000)
        guarantee.with_user(self.credit_mgr).action_submit()
        self.assertEqual(guarantee.state, "to_approve")
        self.assertFalse(guarantee.counts)
        self.assertEqual(self._limit()[0], 0.0)            # waiting: does not count
        request = guarantee._ctrl_approval_requests("credit_collateral", ["pending"])
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_credit_collateral"))
        # The credit manager cannot approve their own submission, nor can a salesman.
        self.credit_mgr.groups_id += self.env.ref("ctrl_base.group_approver_gm")
        with self.assertRaisesRegex(AccessError, "someone else"):
            request.with_user(self.credit_mgr).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.salesman).action_approve()
        with self.assertRaises(AccessError):
            guarantee.with_user(self.credit_mgr).write({"state": "active"})
        # The general manager reads what they approve, but cannot change it.
        self.assertEqual(guarantee.with_user(self.gm).value, 3000.0)
        with self.assertRaises(AccessError):
            guarantee.with_user(self.gm).check_access("write")
        request.with_user(self.gm).action_approve()
        self.assertEqual(guarantee.state, "active")
        self.assertEqual(guarantee.activated_by_id, self.gm)
        self.assertEqual(self._limit()[0], 3000.0)

    def test_collateral_change_while_pending_voids_the_approval(self):
        guarantee = self._collateral(3000)
        guarantee.with_user(self.credit_mgr).action_submit()
        request = guarantee._ctrl_approval_requests("credit_collateral", ["pending"])
        with self.assertRaisesRegex(UserError, "waits for approval"):
            guarantee.with_user(self.credit_mgr).write({"value": 10 ** 6})
        # Even a change behind the lock (superuser) makes the request unapprovable.
        guarantee.sudo().write({"value": 10 ** 6})
        with self.assertRaisesRegex(UserError, "content changed"):
            request.with_user(self.gm).action_approve()
        self.assertEqual(guarantee.state, "to_approve")
        self.assertEqual(self._limit()[0], 0.0)
        # Withdrawn, it is a draft again and may be corrected and submitted anew.
        guarantee.with_user(self.credit_mgr).action_ctrl_withdraw()
        self.assertEqual(request.state, "cancel")
        self.assertEqual(guarantee.state, "draft")
        guarantee.with_user(self.credit_mgr).write({"value": 4000})
        self._activate(guarantee)
        self.assertEqual(self._limit()[0], 4000.0)


@tagged("post_install", "-at_install")
class TestCreditGroupLimitApproval(CtrlCreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.credit_mgr = new_test_user(cls.env, "cc_group_mgr", groups="base.group_user,"
                                       "ctrl_credit.group_credit_manager", company_id=cls.company.id,
                                       company_ids=[Command.set(cls.company.ids)])
        cls.controller = cls.env["res.partner"].create({"name": "Mr Controller", "is_company": False})
        cls.group = cls.env["ctrl.credit.group"].create({
            "name": "Approved Group", "controller_id": cls.controller.id, "credit_limit": 15000})

    def test_raise_applies_only_after_approval(self):
        group = self.group.with_user(self.credit_mgr)
        with self.assertRaisesRegex(UserError, "Proposed credit limit"):
            group.write({"credit_limit": 20000})
        group.write({"credit_limit_proposed": 20000})
        group.action_submit_limit()
        self.assertEqual(self.group.credit_limit, 15000.0)
        request = self.group._ctrl_approval_requests("credit_group", ["pending"])
        self.assertEqual(request.rule_id, self.env.ref("ctrl_credit.approval_credit_group"))
        self.credit_mgr.groups_id += self.env.ref("ctrl_base.group_approver_gm")
        with self.assertRaisesRegex(AccessError, "someone else"):
            request.with_user(self.credit_mgr).action_approve()
        with self.assertRaises(AccessError):
            self.group.with_user(self.salesman).action_submit_limit()
        request.with_user(self.gm).action_approve()
        self.assertEqual(self.group.credit_limit, 20000.0)
        self.assertFalse(self.group.credit_limit_proposed)

    def test_changed_proposal_voids_the_request(self):
        group = self.group.with_user(self.credit_mgr)
        group.write({"credit_limit_proposed": 20000})
        group.action_submit_limit()
        request = self.group._ctrl_approval_requests("credit_group", ["pending"])
        group.write({"credit_limit_proposed": 90000})
        self.assertEqual(request.state, "cancel")
        self.assertEqual(self.group.credit_limit, 15000.0)
        group.write({"credit_limit_proposed": 100})
        with self.assertRaisesRegex(UserError, "Proposed credit limit must be above"):
            group.action_submit_limit()

    def test_lowering_applies_at_once(self):
        self.group.with_user(self.credit_mgr).write({"credit_limit": 9000})
        self.assertEqual(self.group.credit_limit, 9000.0)
        self.assertFalse(self.group._ctrl_approval_requests("credit_group"))
