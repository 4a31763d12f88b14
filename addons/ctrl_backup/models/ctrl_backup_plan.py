# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
from datetime import timedelta

import psycopg2
from psycopg2 import sql as pgsql

from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import config
from odoo.tools.misc import exec_pg_environ, find_pg_tool

KEY_TABLES = ("res_partner", "res_users", "ir_attachment", "account_move")


class CtrlBackupPlan(models.Model):
    _name = "ctrl.backup.plan"
    _description = "Backup Plan"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _order = "name"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    data_class = fields.Selection(
        [("general", "General"), ("important", "Important")], required=True, default="general", tracking=True,
        help="Important: finance, drawings, contracts, surveillance, ERP (seed 000 S01).",
    )
    plan_type = fields.Selection(
        [("manual", "Logged by hand"), ("odoo_db", "This Odoo database")], required=True, default="manual",
    )
    source_system = fields.Char(tracking=True)
    source_path = fields.Char()
    method = fields.Selection(
        [("full", "Full"), ("incremental", "Incremental"), ("differential", "Differential"),
         ("on_demand", "On demand")],
        required=True, default="full", tracking=True,
    )
    schedule = fields.Selection(
        [
            ("3h", "Every 3 hours"), ("daily", "Daily"), ("weekly", "Weekly"), ("month_end", "Month end"),
            ("last_friday", "Last Friday of the month"), ("quarterly", "Quarterly"), ("half_yearly", "Half-yearly"),
            ("yearly", "Yearly"), ("on_change", "On configuration change"),
        ],
        required=True, default="daily", tracking=True,
    )
    medium_type = fields.Selection(
        [("disk", "Hard disk"), ("optical", "Optical disc"), ("tape", "Tape"), ("nas", "NAS"), ("cloud", "Cloud")],
        default="disk",
    )
    copies = fields.Integer(default=2, help="Number of copies kept.")
    offsite_copy = fields.Boolean(help="One copy is kept off-site.")
    retention_days = fields.Integer(default=30, required=True, tracking=True)
    naming_rule = fields.Char(default="%(plan)s-%(date)s", help="Python %-format with plan and date.")
    folder = fields.Char(help="Server folder for backups of this Odoo database.", tracking=True)
    executor_id = fields.Many2one("res.users", required=True, tracking=True, default=lambda self: self.env.user)
    checker_id = fields.Many2one("res.users", required=True, tracking=True)
    log_ids = fields.One2many("ctrl.backup.log", "plan_id")
    last_done = fields.Datetime(compute="_compute_last_done")

    _sql_constraints = [
        ("copies_positive", "CHECK(copies >= 1)", "A plan keeps at least one copy: set Copies to 1 or more."),
    ]

    @api.depends("log_ids.result", "log_ids.end")
    def _compute_last_done(self):
        for plan in self:
            done = plan.log_ids.filtered(lambda log: log.result == "done")
            plan.last_done = max(done.mapped("end")) if done else False

    @api.constrains("executor_id", "checker_id")
    def _check_executor_checker(self):
        for plan in self:
            if plan.executor_id == plan.checker_id:
                raise ValidationError(
                    _("Plan %s: the checker must be someone other than the executor. Pick another Checker.", plan.name)
                )

    @api.constrains("retention_days", "schedule", "method")
    def _check_retention(self):
        min_days = {"weekly": 7, "month_end": 28, "last_friday": 28, "quarterly": 90, "half_yearly": 180,
                    "yearly": 365}
        for plan in self:
            if plan.retention_days < 1:
                raise ValidationError(_("Plan %s: Retention (days) must be at least 1.", plan.name))
            needed = min_days.get(plan.schedule, 1)
            if plan.retention_days < needed:
                raise ValidationError(
                    _("Plan %(plan)s: a retention of %(days)s days is shorter than its schedule; "
                      "set Retention to at least %(needed)s days.",
                      plan=plan.name, days=plan.retention_days, needed=needed)
                )
            if plan.method in ("incremental", "differential") and plan.schedule in ("yearly", "on_change"):
                raise ValidationError(
                    _("Plan %s: incremental or differential backups need a regular schedule, not yearly or "
                      "on change. Choose a full backup or a shorter schedule.", plan.name)
                )

    # ------------------------------------------------------------------ missed runs
    SCHEDULE_HOURS = {"3h": 3, "daily": 24, "weekly": 24 * 7, "month_end": 24 * 31, "last_friday": 24 * 31,
                      "quarterly": 24 * 92, "half_yearly": 24 * 183, "yearly": 24 * 366}

    def _is_overdue(self, now):
        hours = self.SCHEDULE_HOURS.get(self.schedule)
        if not hours:
            return False
        since = self.last_done or self.create_date
        # One day of grace so a run in progress is not reported as missed.
        return since < now - timedelta(hours=hours + 24)

    @api.model
    def _cron_backup_check(self):
        """Give the executor an activity for each plan whose run is missed or failed; idempotent."""
        now = fields.Datetime.now()
        plans = self.search([("plan_type", "in", ("manual", "odoo_db"))])
        overdue = plans.filtered(lambda plan: plan._is_overdue(now))
        summary = _("Backup missed or failed")
        for index, plan in enumerate(overdue):
            if not plan.activity_ids.filtered(lambda act: act.summary == summary):
                plan.activity_schedule(
                    "mail.mail_activity_data_todo", user_id=plan.executor_id.id, summary=summary,
                    note=_("No successful run of plan %s within its schedule: run it or log why.", plan.name),
                )
            if index % 100 == 99:
                self.env["ir.cron"]._notify_progress(done=index + 1, remaining=len(overdue) - index - 1)
        return overdue

    # ------------------------------------------------------------------ real backups
    def _check_folder(self, needed_bytes=0):
        """Refuse a folder that is missing, not writable or short of space."""
        self.ensure_one()
        folder = self.folder
        if not folder or not os.path.isdir(folder):
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s does not exist. Create it or fix Folder.",
                              plan=self.name, folder=folder or "-"))
        try:
            with tempfile.NamedTemporaryFile(dir=folder, prefix=".ctrl-probe-"):
                pass
        except OSError as err:
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s is not writable (%(err)s). "
                              "Fix its permissions or choose another Folder.",
                              plan=self.name, folder=folder, err=err.strerror)) from err
        free = shutil.disk_usage(folder).free
        if needed_bytes and free < needed_bytes:
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s has %(free)s MB free but the backup "
                              "needs about %(need)s MB. Free some space or choose another Folder.",
                              plan=self.name, folder=folder, free=free // 2**20, need=needed_bytes // 2**20))

    def _db_size(self, dbname):
        # A plain connection, closed at once: a pooled one would keep the database from being dropped.
        conn = psycopg2.connect(dbname=dbname, **_pg_params())
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT pg_database_size(current_database())")
                return cr.fetchone()[0]
        finally:
            conn.close()

    def action_run_backup(self, dbname=None):
        """Back up this Odoo database (or dbname) with pg_dump -Fc plus its filestore."""
        self.ensure_one()
        if self.plan_type != "odoo_db":
            raise UserError(_("Plan %s is logged by hand: only plans of type 'This Odoo database' run here.",
                              self.name))
        dbname = dbname or self.env.cr.dbname
        self._check_folder(self._db_size(dbname))
        # The log starts failed: only a finished run turns it done, so an interruption leaves a failed log.
        log = self.env["ctrl.backup.log"].create({
            "plan_id": self.id, "start": fields.Datetime.now(), "operator_id": self.env.uid,
            "method": self.method, "source": dbname, "result": "failed",
            "note": _("Started; not finished."),
        })
        try:
            values = self._dump(dbname)
        except Exception as err:
            log.write({"end": fields.Datetime.now(), "note": _("Failed: %s", err)})
            return log
        values.update(end=fields.Datetime.now(), result="done", note=False)
        log.write(values)
        self._prune()
        return log

    def _backup_name(self):
        stamp = fields.Datetime.now().strftime("%Y%m%d-%H%M%S")
        try:
            return self.naming_rule % {"plan": self.name, "date": stamp}
        except (KeyError, ValueError, TypeError):
            return "%s-%s" % (self.name, stamp)

    def _dump(self, dbname):
        base = os.path.join(self.folder, self._backup_name().replace("/", "_"))
        dump_path, tar_path = base + ".dump", base + ".filestore.tar"
        tmp_dump, tmp_tar = dump_path + ".part", tar_path + ".part"
        try:
            cmd = [find_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", tmp_dump, dbname]
            proc = subprocess.run(cmd, env=exec_pg_environ(), capture_output=True, text=True, check=False)
            if proc.returncode:
                raise UserError(_("pg_dump failed: %s", proc.stderr.strip()))
            with tarfile.open(tmp_tar, "w") as tar:
                filestore = config.filestore(dbname)
                if os.path.isdir(filestore):
                    tar.add(filestore, arcname="filestore")
            sha = hashlib.sha256()
            with open(tmp_dump, "rb") as handle:
                for chunk in iter(lambda: handle.read(2**20), b""):
                    sha.update(chunk)
            os.replace(tmp_dump, dump_path)
            os.replace(tmp_tar, tar_path)
        finally:
            for path in (tmp_dump, tmp_tar):
                if os.path.exists(path):
                    os.unlink(path)
        return {
            "path": dump_path, "filestore_path": tar_path,
            "size": os.path.getsize(dump_path) + os.path.getsize(tar_path), "sha256": sha.hexdigest(),
        }

    def _prune(self):
        """Delete backup files older than the retention; their logs stay, marked pruned."""
        limit = fields.Datetime.now() - timedelta(days=self.retention_days)
        old = self.log_ids.filtered(lambda log: log.result == "done" and log.end and log.end < limit
                                    and not log.pruned)
        for log in old:
            for path in (log.path, log.filestore_path):
                if path and os.path.exists(path):
                    os.unlink(path)
            log.sudo().pruned = True
        return old

    # ------------------------------------------------------------------ restore test
    def action_restore_test(self, log=None):
        """Restore the latest dump into a scratch database and compare key tables' row counts."""
        self.ensure_one()
        log = log or self.log_ids.filtered(lambda lg: lg.result == "done" and not lg.pruned).sorted("end")[-1:]
        if not log:
            raise UserError(_("Plan %s has no finished backup to restore.", self.name))
        scratch = "ctrl_restore_%s" % os.getpid()
        env = exec_pg_environ()
        start = fields.Datetime.now()
        result, note = "failed", ""
        try:
            subprocess.run([find_pg_tool("dropdb"), "--if-exists", scratch], env=env, check=True,
                           capture_output=True)
            subprocess.run([find_pg_tool("createdb"), "-T", "template0", scratch], env=env, check=True,
                           capture_output=True)
            proc = subprocess.run([find_pg_tool("pg_restore"), "--no-owner", "-d", scratch, log.path],
                                  env=env, capture_output=True, text=True, check=False)
            if proc.returncode:
                raise UserError(_("pg_restore failed: %s", proc.stderr.strip()[:500]))
            source_counts = self._row_counts(log.source)
            restored = self._row_counts(scratch)
            diffs = [t for t in source_counts if source_counts[t] != restored.get(t)]
            note = ", ".join("%s=%s/%s" % (t, source_counts[t], restored.get(t)) for t in source_counts)
            result = "failed" if diffs else "done"
        except Exception as err:
            note = str(err)
        finally:
            subprocess.run([find_pg_tool("dropdb"), "--if-exists", scratch], env=env, capture_output=True,
                           check=False)
        return self.env["ctrl.backup.log"].create({
            "plan_id": self.id, "kind": "restore_test", "start": start, "end": fields.Datetime.now(),
            "operator_id": self.env.uid, "method": self.method, "source": log.source, "result": result,
            "restored_log_id": log.id, "note": note,
        })

    def _row_counts(self, dbname):
        conn = psycopg2.connect(dbname=dbname, **_pg_params())
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


def _pg_params():
    params = {}
    for key, name in (("db_host", "host"), ("db_port", "port"), ("db_user", "user"), ("db_password", "password")):
        if config.get(key):
            params[name] = config[key]
    return params
