# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestSecurity(TransactionCase):
    """The access groups admins assign: ctrl_backup's user and manager."""

    def test_groups_hierarchy(self):
        user_group = self.env.ref("ctrl_backup.group_backup_operator")
        manager_group = self.env.ref("ctrl_backup.group_backup_manager")
        self.assertIn(user_group, manager_group.trans_implied_ids)
        self.assertIn(self.env.ref("ctrl_base.group_ctrl_user"), user_group.trans_implied_ids)
        self.assertIn(self.env.ref("base.group_user"), user_group.trans_implied_ids)
        self.assertEqual(user_group.category_id.parent_id, self.env.ref("ctrl_base.module_category_internal_control"))
        self.assertIn(self.env.ref("base.user_admin"), manager_group.users)

    def test_user_gets_internal_control_access(self):
        user = new_test_user(self.env, "ctrl_backup_user", groups="ctrl_backup.group_backup_operator")
        self.assertTrue(user.has_group("ctrl_base.group_ctrl_user"))
        self.assertFalse(user.has_group("ctrl_backup.group_backup_manager"))
        self.assertTrue(self.env["ctrl.approval.request"].with_user(user).has_access("read"))
