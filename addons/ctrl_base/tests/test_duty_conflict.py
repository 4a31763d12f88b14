# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Incompatible duties (003/D7 第四条, D17): the pairs, who holds them, the refusal."""
from odoo import Command
from odoo.exceptions import AccessError, ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from .common import CtrlAssertMixin


@tagged("post_install", "-at_install")
class TestDutyConflict(CtrlAssertMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.g_prepare = cls.env["res.groups"].create({"name": "Prepares write-offs"})
        cls.g_approve = cls.env.ref("ctrl_base.group_approver_finance")
        cls.pair = cls.env["ctrl.duty.conflict"].create({
            "name": "Preparing vs approving", "duty_a": "Preparing", "duty_b": "Approving",
            "group_a_ids": [Command.set(cls.g_prepare.ids)], "group_b_ids": [Command.set(cls.g_approve.ids)]})
        cls.preparer = new_test_user(cls.env, "dc_prep", groups="base.group_user", company_id=cls.company.id)
        cls.preparer.groups_id += cls.g_prepare
        cls.admin = new_test_user(cls.env, "dc_admin", groups="base.group_erp_manager,base.group_system",
                                  company_id=cls.company.id)
        cls.auditor = new_test_user(cls.env, "dc_ctrl", groups="ctrl_base.group_ctrl_manager",
                                    company_id=cls.company.id)

    def test_setting_off_by_default_allows_any_groups(self):
        self.assertFalse(self.company.ctrl_duty_refuse_conflicts)
        self.preparer.with_user(self.admin).write({"groups_id": [Command.link(self.g_approve.id)]})
        self.assertIn(self.g_approve, self.preparer.groups_id)
        holders = self.env["ctrl.duty.conflict.holder"].with_user(self.auditor).search(
            [("conflict_id", "=", self.pair.id)])
        self.assertEqual(holders.user_id, self.preparer)
        self.assertEqual(holders.groups_a, self.g_prepare.full_name)
        self.assertEqual(self.pair.holder_count, 1)

    def test_refused_with_the_pair_named(self):
        self.company.ctrl_duty_refuse_conflicts = True
        with self.assertRaisesRegex(ValidationError, "'Preparing' and 'Approving'.*Preparing vs approving"):
            self.preparer.with_user(self.admin).write({"groups_id": [Command.link(self.g_approve.id)]})
        with self.assertRaisesRegex(ValidationError, "Preparing vs approving"):
            self.g_approve.with_user(self.admin).write({"users": [Command.link(self.preparer.id)]})
        with self.assertRaisesRegex(ValidationError, "Preparing vs approving"):
            self.g_prepare.with_user(self.admin).write({"implied_ids": [Command.link(self.g_approve.id)]})
        self.assertNotIn(self.g_approve, self.preparer.groups_id)
        self.assertFalse(self.env["ctrl.duty.conflict.holder"].search([("conflict_id", "=", self.pair.id)]))
        # Another company's setting does not bind this company's users.
        self.company.ctrl_duty_refuse_conflicts = False
        self.env["res.company"].create({"name": "Strict Co", "ctrl_duty_refuse_conflicts": True})
        self.preparer.with_user(self.admin).write({"groups_id": [Command.link(self.g_approve.id)]})
        self.assertIn(self.g_approve, self.preparer.groups_id)

    def test_same_group_in_both_duties_refused(self):
        with self.assertRaisesRegex(ValidationError, "in both duties"):
            self.pair.write({"group_b_ids": [Command.link(self.g_prepare.id)]})

    def test_only_administrators_change_the_pairs_and_read_the_report(self):
        user = new_test_user(self.env, "dc_user", groups="ctrl_base.group_ctrl_user", company_id=self.company.id)
        self.assertEqual(self.pair.with_user(user).read(["name"])[0]["name"], "Preparing vs approving")
        with self.assertRaises(AccessError):
            self.pair.with_user(user).write({"group_b_ids": [Command.clear()]})
        with self.assertRaises(AccessError):
            self.env["ctrl.duty.conflict.holder"].with_user(user).search([])
