# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


@tagged("post_install", "-at_install")
class TestDeparturePassword(CtrlAssertMixin, TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.leaver_user = new_test_user(cls.env, "bk_leaver_user", groups="base.group_user")
        cls.employee = cls.env["hr.employee"].create({"name": "Leaver", "user_id": cls.leaver_user.id})
        cls.ctrl_manager = new_test_user(cls.env, "bk_ctrl_manager", groups="ctrl_base.group_ctrl_manager")

    def _depart(self):
        wizard = self.env["hr.departure.wizard"].create({
            "employee_id": self.employee.id, "departure_date": "2026-06-30",
        })
        wizard.action_register_departure()
        return self.employee.ctrl_checklist_ids.filtered(lambda c: c.code == "departure")

    def test_departure_wizard_starts_checklist_with_backup_items(self):
        checklist = self._depart()
        self.assertEqual(len(checklist), 1)
        codes = set(checklist.line_ids.mapped("code"))
        self.assertTrue({"backup_archive_data", "backup_return_media", "backup_user_deactivated",
                         "backup_head_signoff"} <= codes)

    def test_departure_blocked_until_items_done_or_override(self):
        checklist = self._depart()
        with self.assertRaisesRegex(UserError, "mandatory items are still open"):
            checklist.action_complete()
        self.assertEqual(checklist.state, "open")
        checklist.with_user(self.ctrl_manager)._override("Leaver left abroad; IT closes accounts next week")
        self.assertEqual(checklist.state, "override")
        self.assertTrue(self.employee._ctrl_checklist_closed("departure"))

    def test_active_user_blocks_its_item(self):
        self.assertIn("still active", self.employee._ctrl_checklist_check_user_deactivated())
        self.leaver_user.active = False
        self.assertEqual(self.employee._ctrl_checklist_check_user_deactivated(), "")

    def test_password_below_policy_refused(self):
        self.env["ir.config_parameter"].sudo().set_param("auth_password_policy.minlength", 10)
        with self.assertRaisesRegex(UserError, "at least 10 characters"):
            self.leaver_user.password = "short123"
        self.leaver_user.password = "long-enough-1"
        self.assertTrue(self.leaver_user.password is not None)
