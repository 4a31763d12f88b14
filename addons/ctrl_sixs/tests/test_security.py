# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import TransactionCase, tagged

from odoo.addons.ctrl_base.tests.common import CtrlGroupsTestMixin

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestSecurity(CtrlGroupsTestMixin, TransactionCase):
    user_group = "ctrl_sixs.group_sixs_user"
    manager_group = "ctrl_sixs.group_sixs_manager"
    native_group = "base.group_user"

    def test_inspector_between_user_and_manager(self):
        inspector = self.env.ref("ctrl_sixs.group_sixs_inspector")
        self.assertIn(self.env.ref(self.user_group), inspector.trans_implied_ids)
        self.assertIn(inspector, self.env.ref(self.manager_group).trans_implied_ids)


@tagged("post_install", "-at_install")
class TestAccessRights(SixsCase):
    def test_user_sees_own_areas_and_records_self_checks(self):
        user = self.worker_a.user_id
        Area = self.env["ctrl.sixs.area"].with_user(user)
        self.assertIn(self.zone1, Area.search([]))
        self.assertNotIn(self.zone2, Area.search([]))
        Audit = self.env["ctrl.sixs.audit"].with_user(user)
        check = Audit.create({"area_id": self.zone1.id, "tier": "self_check"})
        check.line_ids.write({"result": "ok"})
        check.action_done()
        self.assertEqual(check.state, "done")
        with self.assertRaisesRegex(AccessError, "inspectors create inspections"):
            Audit.create({"area_id": self.zone1.id, "tier": "routine"})
        with self.assertRaises(AccessError):
            Area.create({"name": "Mine", "level": "zone"})
        check.action_confirm()
        with self.assertRaisesRegex(AccessError, "managers publish"):
            check.action_publish()
        other = self.audit(self.zone2, findings=[(self.item1, self.worker_c, 2, 2)])
        self.assertNotIn(other, Audit.search([]))
        with self.assertRaises(AccessError):
            self.env["ctrl.sixs.point"].with_user(user).create({"area_id": self.zone1.id, "name": "Bonus to me"})

    def test_inspector_audits_everywhere_but_does_not_configure(self):
        Audit = self.env["ctrl.sixs.audit"].with_user(self.inspector)
        audit = Audit.create({"area_id": self.zone2.id, "tier": "unscheduled"})
        audit.line_ids.write({"result": "ok"})
        audit.action_done()
        self.assertEqual(audit.state, "done")
        self.assertIn(self.zone2, self.env["ctrl.sixs.area"].with_user(self.inspector).search([]))
        with self.assertRaises(AccessError):
            self.env["ctrl.sixs.plan"].with_user(self.inspector).create({
                "name": "Mine", "area_ids": [Command.set(self.zone1.ids)]})
        with self.assertRaises(AccessError):
            self.item1.with_user(self.inspector).deduction = 4

    def test_manager_configures_and_publishes(self):
        plan = self.env["ctrl.sixs.plan"].with_user(self.manager).create({
            "name": "Weekly", "tier": "weekly_committee", "area_ids": [Command.set(self.zone1.ids)]})
        self.assertTrue(plan)
        audit = self.audit(self.zone1, user=self.manager)
        self.assertEqual(audit.state, "published")
        self.env["ctrl.sixs.ranking"].with_user(self.manager)._compute_rankings(self.today, self.today)

    def test_multi_company(self):
        other = self.env["res.company"].create({"name": "Other 6S Co"})
        foreign = self.env["ctrl.sixs.area"].sudo().create({"name": "Foreign", "level": "zone",
                                                            "company_id": other.id})
        self.assertNotIn(foreign, self.env["ctrl.sixs.area"].with_user(self.manager).search([]))
        with self.assertRaises(AccessError):
            foreign.with_user(self.manager).read(["name"])
