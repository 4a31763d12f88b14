# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, tagged

from odoo.addons.ctrl_base.tests.common import CtrlGroupsTestMixin


@tagged("post_install", "-at_install")
class TestSecurity(CtrlGroupsTestMixin, TransactionCase):
    user_group = "ctrl_receivable.group_receivable_user"
    manager_group = "ctrl_receivable.group_receivable_manager"
    native_group = "account.group_account_invoice"
