# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import shutil
import subprocess
import tempfile
import time
import uuid

import psycopg2

from odoo.tests import TransactionCase, new_test_user
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params
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

    def _run_queued(self, plan, timeout=120):
        """What the runs' scheduled action does after a Run backup / Restore test button: calls it until the plan's
        run is over (its job runs in a process of its own meanwhile); returns the run's log."""
        deadline = time.monotonic() + timeout
        while True:
            self.env["ctrl.backup.plan"]._cron_run_queued()
            if plan.run_state not in ("queued", "running"):
                return plan.run_log_id
            self.assertLess(time.monotonic(), deadline, "the run did not finish in %s s" % timeout)
            time.sleep(0.1)

    def _run_backup(self, plan, user=None):
        """Press Run backup (as ``user``) and run the queue until the backup is over; returns its log."""
        plan.with_user(user or self.operator).action_run_backup()
        return self._run_queued(plan)

    def _restore_test(self, plan, user=None):
        plan.with_user(user or self.operator).action_restore_test()
        return self._run_queued(plan)


class CtrlBackupRealCase(CtrlBackupCase):
    """An approved plan of type "This Odoo database" backing up a small committed database made for the test,
    into a folder of its own."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.source_db = "ctrl_bk_src_%s" % uuid.uuid4().hex[:8]
        subprocess.run([find_pg_tool("createdb"), "-T", "template0", cls.source_db], env=exec_pg_environ(),
                       check=True, capture_output=True)
        cls.addClassCleanup(cls._drop_source)
        conn = psycopg2.connect(dbname=cls.source_db, **pg_params())
        with conn, conn.cursor() as cr:
            cr.execute("CREATE TABLE res_partner (id serial primary key, name text)")
            cr.execute("INSERT INTO res_partner (name) SELECT 'p' || g FROM generate_series(1, 500) g")
            cr.execute("CREATE TABLE account_move (id serial primary key, amount numeric)")
            cr.execute("INSERT INTO account_move (amount) SELECT g FROM generate_series(1, 2000) g")
        conn.close()
        cls.folder = tempfile.mkdtemp(prefix="ctrl_bk_")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        cls.plan = cls._approved_plan(name="Odoo DB", plan_type="odoo_db", folder=cls.folder, retention_days=30,
                                      source_database=cls.source_db)

    @classmethod
    def _drop_source(cls):
        subprocess.run([find_pg_tool("dropdb"), "--if-exists", cls.source_db], env=exec_pg_environ(),
                       check=False, capture_output=True)
