# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The restore test of a plan's backup: the dump is checked against its checksum, restored into a scratch
database, and key tables' row counts are compared with the source (seed 000 S09 B09-09).

Nothing here is public: the plan's button and its monthly scheduled action call ``_run(plan)``."""
import hashlib
import os
import subprocess

import psycopg2
from psycopg2 import sql as pgsql

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from .ctrl_backup_runner import CHUNK, is_database_name, pg_params

KEY_TABLES = ("res_partner", "res_users", "ir_attachment", "account_move")


def run_pg_tool(tool, *args, check=False):
    """Run a PostgreSQL client tool with Odoo's connection settings; with ``check``, a failure raises."""
    proc = subprocess.run([find_pg_tool(tool), *args], env=exec_pg_environ(), capture_output=True, text=True,
                          check=False)
    if check and proc.returncode:
        raise UserError(_("%(tool)s failed: %(err)s", tool=tool, err=proc.stderr.strip()[:500]))
    return proc


class CtrlBackupRestoreTest(models.AbstractModel):
    _name = "ctrl.backup.restore.test"
    _description = "Backup restore test"

    @api.model
    def _run(self, plan, log=None):
        """Restore ``log`` (by default the plan's latest backup) and log the result as a restore test."""
        plan.ensure_one()
        done = plan.log_ids.filtered(lambda lg: lg.kind == "backup" and lg.result == "done" and lg.by_runner
                                     and not lg.pruned and lg.path)
        # Only one of this plan's own finished backups is restored.
        log = (log & done) if log else done.sorted("end")[-1:]
        if not log:
            raise UserError(_("Plan %s has no finished backup to restore.", plan.name))
        scratch = "ctrl_restore_%s" % os.getpid()
        start = fields.Datetime.now()
        result, note = "failed", ""
        try:
            if not is_database_name(log.source):
                raise UserError(_("The backup's source %s is not a database name.", log.source))
            if self._sha256(log.path) != log.sha256:
                raise UserError(_("The backup file %s no longer matches the checksum of its log.", log.path))
            # Options and names are kept apart: nothing in a name can become an option.
            run_pg_tool("dropdb", "--if-exists", "--", scratch, check=True)
            run_pg_tool("createdb", "--template=template0", "--", scratch, check=True)
            run_pg_tool("pg_restore", "--no-owner", "--dbname=" + scratch, "--", log.path, check=True)
            source_counts = self._row_counts(log.source)
            restored = self._row_counts(scratch)
            diffs = [t for t in source_counts if source_counts[t] != restored.get(t)]
            note = ", ".join("%s=%s/%s" % (t, source_counts[t], restored.get(t)) for t in source_counts)
            result = "failed" if diffs else "done"
        except Exception as err:
            note = str(err)
        finally:
            run_pg_tool("dropdb", "--if-exists", "--", scratch)
        return self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "kind": "restore_test", "start": start, "end": fields.Datetime.now(),
            "operator_id": self.env.uid, "by_runner": True, "method": plan.method, "source": log.source,
            "result": result, "restored_log_id": log.id, "note": note,
        }).sudo(False)

    @api.model
    def _sha256(self, path):
        sha = hashlib.sha256()
        try:
            with open(path, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    sha.update(chunk)
        except OSError as err:
            raise UserError(_("The backup file %(path)s cannot be read: %(err)s", path=path,
                              err=err.strerror)) from err
        return sha.hexdigest()

    @api.model
    def _row_counts(self, dbname):
        conn = psycopg2.connect(dbname=dbname, **pg_params())
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT tablename FROM pg_tables WHERE schemaname='public'")
                tables = sorted(r[0] for r in cr.fetchall())
                keys = [t for t in tables if t in KEY_TABLES] or tables[:10]
                counts = {}
                for table in keys:
                    cr.execute(pgsql.SQL("SELECT count(*) FROM {}").format(pgsql.Identifier(table)))
                    counts[table] = cr.fetchone()[0]
                return counts
        finally:
            conn.close()

