# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The restore test of a plan's backup: the dump is checked against its checksum, restored into a scratch
database, and key tables' row counts are compared with the source (seed 000 S09 B09-09).

Nothing here is public: the plan's queued run (its button, its monthly scheduled action) calls ``_start`` and,
once the detached job is over, ``_finish``."""
import subprocess
import uuid

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from ..tools import backup_job
from .ctrl_backup_runner import is_database_name, pg_params


def run_pg_tool(tool, *args, check=False):
    """Run a PostgreSQL client tool with Odoo's connection settings; with ``check``, a failure raises."""
    proc = subprocess.run([find_pg_tool(tool), *args], env=exec_pg_environ(), capture_output=True, text=True,
                          check=False)
    if check and proc.returncode:
        raise UserError(_("%(tool)s failed: %(err)s", tool=tool, err=proc.stderr.strip()[:500]))
    return proc


def drop_scratch(name):
    """Drop a scratch database, ending what is still connected to it (a killed pg_restore's session can
    outlive its process for a moment); returns PostgreSQL's error if it is still there, else ""."""
    proc = run_pg_tool("dropdb", "--if-exists", "--force", "--", name)
    if proc.returncode and "WITH" in proc.stderr:  # servers before PostgreSQL 13 have no FORCE
        proc = run_pg_tool("dropdb", "--if-exists", "--", name)
    return proc.stderr.strip()[:500] if proc.returncode else ""


def scratch_left_note(name, error):
    return _("The scratch database %(name)s could not be dropped (%(error)s); drop it by hand.",
             name=name, error=error) if error else ""


class CtrlBackupRestoreTest(models.AbstractModel):
    _name = "ctrl.backup.restore.test"
    _description = "Backup restore test"

    @api.model
    def _start(self, plan, user):
        """Open the restore test's log for the plan's latest backup and start the job that checks the dump's
        checksum and restores it into a scratch database; returns the log and the job."""
        plan.ensure_one()
        log = plan._restorable_backups().sorted("end")[-1:]
        if not log:
            raise UserError(_("Plan %s has no finished backup to restore.", plan.name))
        if not is_database_name(log.source):
            raise UserError(_("The backup's source %s is not a database name.", log.source))
        test = self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "kind": "restore_test", "start": fields.Datetime.now(), "operator_id": user.id,
            "by_runner": True, "method": plan.method, "source": log.source, "result": "failed",
            "restored_log_id": log.id, "note": _("Started; not finished."),
        })
        job = self.env["ctrl.backup.runner"]._start_job(plan, {
            "kind": "restore", "path": log.path, "sha256": log.sha256,
            "scratch": "ctrl_restore_%s_%s" % (plan.id, uuid.uuid4().hex[:12]),
            "tools": {tool: find_pg_tool(tool) for tool in ("dropdb", "createdb", "pg_restore")},
        })
        return test, job

    @api.model
    def _finish(self, plan, test, job, status):
        """Compare key tables' row counts of the source and the restored copy, drop the copy, record the result."""
        result, note = "failed", ""
        try:
            if status["state"] != "done":
                raise UserError(self.env["ctrl.backup.runner"]._job_error(status))
            # The backup's own counts (taken in the dumped snapshot); the live source for older backups.
            source_counts = test.restored_log_id.row_counts or self._row_counts(test.source)
            restored = self._row_counts(job["scratch"])
            diffs = [t for t in source_counts if source_counts[t] != restored.get(t)]
            note = ", ".join("%s=%s/%s" % (t, source_counts[t], restored.get(t)) for t in source_counts)
            result = "failed" if diffs else "done"
        except Exception as err:
            note = str(err)
        finally:
            left = scratch_left_note(job["scratch"], drop_scratch(job["scratch"]))
            note = "; ".join(filter(None, [note, left]))
        test.sudo().write({"end": fields.Datetime.now(), "result": result, "note": note})
        return test

    @api.model
    def _row_counts(self, dbname):
        conn = psycopg2.connect(dbname=dbname, **pg_params())
        try:
            with conn.cursor() as cr:
                return backup_job.row_counts(cr)
        finally:
            conn.close()

