# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.ctrl_base.tests.common import CtrlGroupsTestMixin


@tagged("post_install", "-at_install")
class TestSecurity(CtrlGroupsTestMixin, TransactionCase):
    user_group = "ctrl_backup.group_backup_operator"
    manager_group = "ctrl_backup.group_backup_manager"
    native_group = "base.group_user"
