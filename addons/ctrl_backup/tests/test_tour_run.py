# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 21: the backup tour. A backup operator, logged in with only the operator's group, runs a backup from the
plan, is told at once that it runs in the background and keeps working; the run's scheduled action then runs
(as a cron worker would, between the tours) and the operator finds the plan's run done and its log's checksum;
the plan's checker, with only the staff's group, then opens the done log and verifies it.
The tours fail on an error dialog or a technical name on screen (ctrl_tour_utils.js)."""
import os
import shutil
import subprocess
import tempfile
import uuid

import psycopg2

from odoo.tests import HttpCase, tagged
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params

from .common import CtrlBackupCase

NAMES = {"operator": "Li Wei", "checker": "Wang Fang", "manager": "Chen Jing", "dept_head": "Zhao Min",
         "it_head": "Liu Yang", "gm": "Huang Tao"}


@tagged("post_install", "-at_install")
class TestRunBackupTour(CtrlBackupCase, HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role, name in NAMES.items():
            getattr(cls, role).name = name
        # Names a person would give: no underscore, which the tour would take for a technical name.
        cls.source_db = "erp%s" % uuid.uuid4().hex[:10]
        subprocess.run([find_pg_tool("createdb"), "-T", "template0", cls.source_db], env=exec_pg_environ(),
                       check=True, capture_output=True)
        cls.addClassCleanup(subprocess.run, [find_pg_tool("dropdb"), "--if-exists", cls.source_db],
                            env=exec_pg_environ(), check=False, capture_output=True)
        conn = psycopg2.connect(dbname=cls.source_db, **pg_params())
        with conn, conn.cursor() as cr:
            cr.execute("CREATE TABLE res_partner (id serial primary key, name text)")
            cr.execute("INSERT INTO res_partner (name) SELECT 'p' || g FROM generate_series(1, 300) g")
        conn.close()
        cls.folder = os.path.join(tempfile.gettempdir(), "backups-tour-%s" % uuid.uuid4().hex[:10])
        os.mkdir(cls.folder, 0o700)
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        cls.plan = cls._approved_plan(name="Nightly ERP", plan_type="odoo_db", folder=cls.folder,
                                      source_database=cls.source_db, naming_rule="ERP-%(date)s")

    def test_operator_runs_a_backup_and_keeps_working(self):
        self.assertEqual(self.plan.state, "approved")
        self.start_tour("/odoo", "ctrl_backup_run_queue_tour", login=self.operator.login)
        self.assertEqual((self.plan.run_state, self.plan.run_user_id), ("queued", self.operator))
        self.assertFalse(self.plan.log_ids, "the button ran nothing in the request")
        log = self._run_queued(self.plan)
        self.assertEqual(log.result, "done", log.note)
        self.start_tour("/odoo", "ctrl_backup_run_done_tour", login=self.operator.login)
        self.assertEqual(self.plan.log_ids, log)
        self.assertFalse(log.checked_by_id)
        self.start_tour("/odoo", "ctrl_backup_run_verify_tour", login=self.checker.login)
        self.assertEqual(log.checked_by_id, self.checker)
        self.assertTrue(log.checked_on)
