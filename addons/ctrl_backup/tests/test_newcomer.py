# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21, a newcomer's first hour in the backup screens: plain words, named
records, helpful empty screens and only the buttons the server accepts."""
from lxml import etree

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestNewcomer(CtrlBackupCase):
    def test_no_policy_codes_or_technical_names_on_screen(self):
        self.assertPlainWords("ctrl_backup")

    def test_every_record_has_a_readable_name(self):
        self.assertGreater(self.assertReadableNames("ctrl_backup"), 10)
        employee = self.env["hr.employee"].create({"name": "Uploader"})
        upload = self.env["ctrl.backup.upload"].create({"employee_id": employee.id})
        self.assertEqual(upload.display_name, "Uploader")

    def test_empty_screens_explain_themselves(self):
        for xmlid in ("action_ctrl_backup_log", "action_ctrl_backup_loan", "action_ctrl_backup_destruction",
                      "action_ctrl_backup_restore_request", "action_ctrl_backup_incident"):
            action = self.env.ref(f"ctrl_backup.{xmlid}")
            self.assertIn("o_view_nocontent_smiling_face", action.help or "", xmlid)
            self.assertGreater(len(etree.fromstring(f"<div>{action.help}</div>").xpath("string()").strip()), 60)

    def test_new_documents_are_not_titled_slash(self):
        for model in ("ctrl.backup.loan", "ctrl.backup.destruction", "ctrl.backup.restore.request"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            title = etree.fromstring(arch).xpath("//div[hasclass('oe_title')]")[0]
            self.assertEqual(title.xpath(".//field[@name='name']")[0].get("invisible"), "not id", model)
            self.assertIn("New", etree.tostring(title, encoding="unicode"), model)

    def test_withdraw_shown_only_to_whom_the_server_allows(self):
        plan = self._plan()
        plan.with_user(self.manager).action_submit()
        other_manager = new_test_user(self.env, "bk_manager2", groups="ctrl_backup.group_backup_manager")
        self.assertTrue(plan.with_user(self.manager).ctrl_approval_can_withdraw)
        self.assertFalse(plan.with_user(other_manager).ctrl_approval_can_withdraw)
        with self.assertRaises(AccessError):
            plan.with_user(other_manager).action_ctrl_withdraw()
        for model in ("ctrl.backup.plan", "ctrl.backup.loan", "ctrl.backup.destruction",
                      "ctrl.backup.restore.request"):
            arch = self.env[model].get_views([(False, "form")])["views"]["form"]["arch"]
            button = etree.fromstring(arch).xpath("//button[@name='action_ctrl_withdraw']")[0]
            self.assertIn("not ctrl_approval_can_withdraw", button.get("invisible"), model)
        plan.with_user(self.manager).action_ctrl_withdraw()
        self.assertEqual(plan.state, "draft")
