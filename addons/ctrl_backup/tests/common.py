# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.tests import TransactionCase, new_test_user

from odoo.addons.ctrl_base.tests.common import CtrlAssertMixin


class CtrlBackupCase(CtrlAssertMixin, TransactionCase):
    """Users for the backup workflows: operators, a manager and the ctrl_base approvers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True, mail_notrack=True))
        cls.operator = new_test_user(cls.env, "bk_operator", groups="ctrl_backup.group_backup_operator")
        cls.checker = new_test_user(cls.env, "bk_checker", groups="ctrl_backup.group_backup_operator")
        cls.manager = new_test_user(cls.env, "bk_manager", groups="ctrl_backup.group_backup_manager")
        cls.dept_head = new_test_user(
            cls.env, "bk_dept_head", groups="base.group_user,ctrl_base.group_approver_department_head")
        cls.it_head = new_test_user(cls.env, "bk_it_head", groups="base.group_user,ctrl_base.group_approver_it_head")
        cls.gm = new_test_user(cls.env, "bk_gm_user", groups="base.group_user,ctrl_base.group_approver_gm")
        cls.department = cls.env["hr.department"].create({"name": "Finance (backup tests)"})
        cls.head_employee = cls.env["hr.employee"].create({"name": "Head", "user_id": cls.dept_head.id})
        cls.department.manager_id = cls.head_employee

    @classmethod
    def _plan(cls, **vals):
        return cls.env["ctrl.backup.plan"].with_user(cls.manager).create({
            "name": "ERP daily", "data_class": "important", "schedule": "daily", "retention_days": 30,
            "executor_id": cls.operator.id, "checker_id": cls.checker.id, "department_id": cls.department.id,
            **vals,
        }).with_user(cls.env.user)

    @classmethod
    def _approve(cls, record, approvers):
        """Decide each step of the pending request of ``record`` with the given users, in order."""
        request = record.ctrl_approval_ids.filtered(lambda r: r.state == "pending")
        for user in approvers:
            request.with_user(user).action_approve()
        return request

    @classmethod
    def _approved_plan(cls, **vals):
        plan = cls._plan(**vals)
        plan.with_user(cls.manager).action_submit()
        cls._approve(plan, [cls.dept_head, cls.it_head])
        return plan
