# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import calendar
import hashlib
import os
import shutil
import subprocess
import tarfile
import tempfile
import threading
from datetime import date, timedelta

import psycopg2
from psycopg2 import sql as pgsql

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tools import config
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.ctrl_base.models.ctrl_lifecycle_mixin import content_values

KEY_TABLES = ("res_partner", "res_users", "ir_attachment", "account_move")
# What the plan's approval covers. Changing one of these on a submitted or approved plan is allowed but sends
# the plan back to draft (it must be approved again before it runs); the chatter says what changed and who.
APPROVED_FIELDS = (
    "data_class", "data_type", "source_system", "source_path", "method", "schedule", "medium_type", "copies",
    "offsite_copy", "retention_days", "keep_forever", "naming_rule", "executor_id", "checker_id", "plan_type",
    "folder", "company_id", "department_id", "active",
)
MISSED_LADDER = "backup_missed"


def _month_end(day):
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _last_friday(year, month):
    last = date(year, month, calendar.monthrange(year, month)[1])
    return last - timedelta(days=(last.weekday() - 4) % 7)


class CtrlBackupPlan(models.Model):
    _name = "ctrl.backup.plan"
    _description = "Backup Plan"
    _inherit = ["mail.thread", "mail.activity.mixin", "ctrl.lifecycle.mixin", "ctrl.escalation.mixin"]
    _order = "name"

    # Set only by the approval (approved_on), the daily check (overdue_since) and the
    # "Configuration changed" button.
    _ctrl_protected_fields = ("approved_on", "overdue_since", "config_changed_on")
    _ctrl_content_fields = APPROVED_FIELDS
    _ctrl_approval_kind = "backup_plan"

    name = fields.Char(required=True, tracking=True)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one("res.company", required=True, default=lambda self: self.env.company)
    state = fields.Selection(
        [("draft", "Draft"), ("to_approve", "To approve"), ("approved", "Approved")],
        default="draft", required=True, readonly=True, copy=False, tracking=True,
        help="A plan runs and is watched for missed runs only once the department head and the IT head "
        "approved it.",
    )
    approved_on = fields.Datetime(readonly=True, copy=False)
    department_id = fields.Many2one("hr.department", string="Department", tracking=True)
    manager_id = fields.Many2one(
        "res.users", string="Manager", compute="_compute_manager_id", store=True, readonly=False, tracking=True,
        help="Told the next working day when a run is missed or failed (department manager by default).",
    )
    data_class = fields.Selection(
        [("general", "General"), ("important", "Important")], required=True, default="general", tracking=True,
        help="General: shared folders, office documents, e-mail. Important: finance, drawings, contracts, "
        "surveillance, ERP.",
    )
    data_type = fields.Selection(
        [("os", "Operating system"), ("software", "Application software"), ("system_data", "System data"),
         ("app_data", "Application data")],
        default="app_data",
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
    config_changed_on = fields.Date(
        string="Configuration changed on", tracking=True, copy=False,
        help="For plans run on a configuration change: the run is due the same day.",
    )
    medium_type = fields.Selection(
        [("disk", "Hard disk"), ("optical", "Optical disc"), ("tape", "Tape"), ("usb", "Removable disk"),
         ("nas", "NAS"), ("cloud", "Cloud")],
        default="disk",
    )
    copies = fields.Integer(default=2, help="Number of copies kept.")
    offsite_copy = fields.Boolean(help="One copy is kept off-site.")
    retention_days = fields.Integer(default=30, required=True, tracking=True)
    keep_forever = fields.Boolean(
        string="Keep permanently", tracking=True,
        help="Never prune this plan's backups (business data kept permanently).",
    )
    naming_rule = fields.Char(
        default="%(plan)s-%(date)s", required=True,
        help="Python %-format with %(plan)s, %(date)s (YYYYmmdd-HHMMSS) and %(seq)s; %(date)s is required so "
        "that each backup file carries its date.",
    )
    folder = fields.Char(help="Server folder for backups of this Odoo database.", tracking=True)
    executor_id = fields.Many2one("res.users", required=True, tracking=True, default=lambda self: self.env.user)
    checker_id = fields.Many2one("res.users", required=True, tracking=True)
    log_ids = fields.One2many("ctrl.backup.log", "plan_id")
    last_done = fields.Datetime(compute="_compute_last_done", store=True)
    overdue_since = fields.Date(
        readonly=True, copy=False, index=True,
        help="Set by the daily check when a run is missed or failed; the escalation counts from it.",
    )

    _sql_constraints = [
        ("copies_positive", "CHECK(copies >= 1)", "A plan keeps at least one copy: set Copies to 1 or more."),
    ]

    @api.depends("department_id.manager_id.user_id")
    def _compute_manager_id(self):
        for plan in self:
            plan.manager_id = plan.department_id.manager_id.user_id or plan.manager_id

    @api.depends("log_ids.result", "log_ids.end", "log_ids.kind")
    def _compute_last_done(self):
        for plan in self:
            done = plan.log_ids.filtered(lambda log: log.result == "done" and log.kind == "backup" and log.end)
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

    @api.constrains("copies", "offsite_copy")
    def _check_copies(self):
        for plan in self:
            if plan.offsite_copy and plan.copies < 2:
                raise ValidationError(
                    _("Plan %s: an off-site copy needs at least 2 copies (one local, one off-site). "
                      "Set Copies to 2 or more, or untick Off-site copy.", plan.name)
                )

    @api.constrains("naming_rule")
    def _check_naming_rule(self):
        for plan in self:
            rule = plan.naming_rule or ""
            try:
                probe = rule % {"plan": "P", "date": "20260101-000000", "seq": "001"}
            except (KeyError, ValueError, TypeError) as err:
                raise ValidationError(
                    _("Plan %(plan)s: the naming rule %(rule)s is not valid (%(err)s). Use %%(plan)s, %%(date)s "
                      "and %%(seq)s, e.g. %%(plan)s-%%(date)s.", plan=plan.name, rule=rule, err=err)
                ) from err
            if "20260101" not in probe:
                raise ValidationError(
                    _("Plan %(plan)s: the naming rule %(rule)s must contain %%(date)s so that each backup is "
                      "named with its date.", plan=plan.name, rule=rule)
                )

    # ------------------------------------------------------------------ approval
    # Chosen behaviour for plans (unlike the other documents, which refuse the change while submitted):
    # a covered field may change on a submitted or approved plan, but the plan goes back to draft, any
    # pending request is cancelled, and the chatter names the fields and who changed them.
    def _ctrl_check_write(self, vals):
        return super()._ctrl_check_write({key: value for key, value in vals.items() if key not in APPROVED_FIELDS})

    def write(self, vals):
        covered = [name for name in APPROVED_FIELDS if name in vals]
        submitted = self.filtered(lambda plan: not plan._ctrl_is_draft()) if covered else self.browse()
        before = {plan.id: content_values(plan, covered) for plan in submitted}
        result = super().write(vals)
        for plan in submitted:
            after = content_values(plan, covered)
            changed = [name for name in covered if after[name] != before[plan.id][name]]
            if changed:
                plan._ctrl_reopen(changed)
        return result

    def _ctrl_reopen(self, changed):
        """Back to draft after a change of ``changed`` on a submitted or approved plan."""
        self.ensure_one()
        for request in self._ctrl_approval_requests(self._ctrl_approval_kind, ["pending"]):
            request.step_ids.filtered(lambda s: s.state in ("waiting", "pending")).write({"state": "cancel"})
            request._finish("cancel", None)
        self._ctrl_set_state("draft", approved_on=False)
        self._message_log(body=_(
            "%(user)s changed %(fields)s: the plan is back to draft and must be approved again before it runs.",
            user=self.env.user.name, fields=self._ctrl_field_label(changed)))

    def action_submit(self):
        if not self.env.user.has_group("ctrl_backup.group_backup_manager"):
            raise AccessError(_("Only a Backup manager can submit a backup plan for approval."))
        for plan in self:
            if plan.state != "draft":
                raise UserError(_("Plan %s is already submitted or approved.", plan.name))
            plan._ctrl_submit(reason=_("Backup plan %(plan)s (%(schedule)s, %(method)s).", plan=plan.name,
                                       schedule=plan.schedule, method=plan.method))
        return True

    def _ctrl_on_approved(self, request):
        self._ctrl_write_protected({"approved_on": fields.Datetime.now()})

    def _check_approved(self):
        for plan in self:
            if plan.state != "approved" or not plan._ctrl_is_approved(plan._ctrl_approval_kind):
                raise UserError(_("Plan %s is not approved yet: submit it for the department head's and the IT "
                                  "head's approval first.", plan.name))

    def action_config_changed(self):
        """Record a configuration change: an on-change plan is due the same day."""
        if not self.env.user.has_group("ctrl_backup.group_backup_operator"):
            raise AccessError(_("Only backup staff record a configuration change."))
        self._ctrl_write_protected({"config_changed_on": fields.Date.context_today(self)})
        return True

    # ------------------------------------------------------------------ missed runs
    SCHEDULE_HOURS = {"3h": 3, "daily": 24, "weekly": 24 * 7}

    def _last_due_date(self, today):
        """The latest due day of a calendar schedule strictly before ``today`` (one day of grace)."""
        self.ensure_one()
        day = today - timedelta(days=1)
        if self.schedule == "month_end":
            due = _month_end(day)
            return due if due <= day else _month_end(day.replace(day=1) - timedelta(days=1))
        if self.schedule == "last_friday":
            due = _last_friday(day.year, day.month)
            if due > day:
                previous = day.replace(day=1) - timedelta(days=1)
                due = _last_friday(previous.year, previous.month)
            return due
        months = {"quarterly": 3, "half_yearly": 6, "yearly": 12}.get(self.schedule)
        if months:
            # Period ends: the last day of March/June/September/December (quarterly), ...
            candidates = [_month_end(date(year, month, 1)) for year in (day.year - 1, day.year)
                          for month in range(months, 13, months)]
            return max(d for d in candidates if d <= day)
        return None

    def _is_overdue(self, now):
        """True when the plan missed a run, or its latest run failed."""
        self.ensure_one()
        backups = self.log_ids.filtered(lambda log: log.kind == "backup").sorted("start")
        if backups and backups[-1].result == "failed" and (not self.last_done or backups[-1].start > self.last_done):
            return True
        since = self.last_done or self.approved_on or self.create_date
        if self.schedule == "on_change":
            # config_changed_on is a local day: compare it with the local days of ``now`` and the last run.
            changed, today = self.config_changed_on, fields.Date.context_today(self, now)
            done_on = self.last_done and fields.Date.context_today(self, self.last_done)
            return bool(changed) and changed < today and (not done_on or done_on < changed)
        hours = self.SCHEDULE_HOURS.get(self.schedule)
        if hours:
            # One period of grace (at least a day) so a run in progress is not reported as missed.
            return since < now - timedelta(hours=hours + max(hours, 24))
        due = self._last_due_date(now.date())
        # A calendar schedule is met by a run in the week before its due day.
        start = self.approved_on or self.create_date
        return due is not None and start.date() <= due and since.date() < due - timedelta(days=7)

    def _ctrl_escalation_domain(self, ladder):
        """Missed-run escalations wait for a working day of the company's calendar."""
        domain = super()._ctrl_escalation_domain(ladder)
        if ladder.code == MISSED_LADDER:
            calendar_ = (ladder.company_id or self.env.company).resource_calendar_id
            # The day may be given only by the server itself (cron, tests), never by a client's context.
            today = (self.env.su and self.env.context.get("ctrl_escalation_today")) or fields.Date.context_today(self)
            if calendar_ and not calendar_._works_on_date(today):
                domain = domain + [("id", "=", 0)]
        return domain

    @api.model
    def _cron_backup_check(self, batch=500):
        """Flag plans whose run is missed or failed, clear the ones back on track, then run the escalation
        ladder (executor the same day, manager the next working day). Idempotent; batched."""
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        plans = self.search([("state", "=", "approved"), ("company_id.ctrl_live", "=", True)])
        overdue = self.browse()
        for start in range(0, len(plans), batch):
            chunk = plans[start:start + batch]
            late = chunk.filtered(lambda plan: plan._is_overdue(now))
            late.filtered(lambda plan: not plan.overdue_since)._ctrl_write_protected({"overdue_since": today})
            back = chunk.filtered("overdue_since") - late
            if back:
                back._ctrl_write_protected({"overdue_since": False})
                back._ctrl_escalation_reset(MISSED_LADDER)
            overdue |= late
            self.env["ir.cron"]._notify_progress(done=start + len(chunk), remaining=len(plans) - start - len(chunk))
        ladder = self.env["ctrl.escalation.ladder"]._for(MISSED_LADDER)
        if ladder:
            ladder._run_all()
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
        """Size of ``dbname`` in bytes, 0 when there is no such database (pg_dump then fails and says so).

        Read through this database's cursor: no connection to ``dbname`` is opened, so nothing keeps it from
        being dropped, and a database closed to connections is still measured."""
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SELECT pg_database_size(oid) FROM pg_database WHERE datname = %s", (dbname,))
                row = self.env.cr.fetchone()
        except psycopg2.Error:  # no CONNECT right on it: pg_dump will say so
            return 0
        return row[0] if row else 0

    def action_run_backup(self, dbname=None):
        """Back up this Odoo database (or dbname) with pg_dump -Fc plus its filestore."""
        self.ensure_one()
        if self.plan_type != "odoo_db":
            raise UserError(_("Plan %s is logged by hand: only plans of type 'This Odoo database' run here.",
                              self.name))
        self._check_approved()
        dbname = dbname or self.env.cr.dbname
        if dbname not in (self.env.cr.dbname, self.source_system) and not self.env.su:
            raise AccessError(_("Plan %(plan)s backs up %(db)s only: another database must be named in the "
                                "plan's Source system, and the plan approved again.",
                                plan=self.name, db=self.source_system or self.env.cr.dbname))
        self._check_folder(self._db_size(dbname))
        # The log starts failed: only a finished run turns it done, so an interruption leaves a failed log.
        # Its result, file and checksum are the server's: written as superuser, never by the client.
        log = self.env["ctrl.backup.log"].sudo().create({
            "plan_id": self.id, "start": fields.Datetime.now(), "operator_id": self.env.uid,
            "method": self.method, "source": dbname, "result": "failed",
            "note": _("Started; not finished."),
        })
        try:
            values = self._dump(dbname)
        except Exception as err:
            log.write({"end": fields.Datetime.now(), "note": _("Failed: %s", err)})
            return log.sudo(False)
        values.update(end=fields.Datetime.now(), result="done", note=False)
        log.write(values)
        self._prune()
        return log.sudo(False)

    def _backup_name(self):
        stamp = fields.Datetime.now().strftime("%Y%m%d-%H%M%S")
        seq = "%03d" % (len(self.log_ids.filtered(lambda log: log.kind == "backup")) + 1)
        try:
            return self.naming_rule % {"plan": self.name, "date": stamp, "seq": seq}
        except (KeyError, ValueError, TypeError):
            return "%s-%s" % (self.name, stamp)

    def _dump(self, dbname):
        """pg_dump -Fc of ``dbname`` and a tar of its filestore, written side by side under temporary names
        and renamed only once both are complete, so a failed or interrupted run never leaves a file with the
        final name."""
        base = os.path.join(self.folder, self._backup_name().replace("/", "_"))
        dump_path, tar_path = base + ".dump", base + ".filestore.tar"
        tmp_dump, tmp_tar = dump_path + ".part", tar_path + ".part"
        tar_job = _FilestoreTar(config.filestore(dbname), tmp_tar)
        try:
            # The filestore is archived while pg_dump runs: the two are independent, and pg_dump's time is
            # spent compressing in its own process.
            tar_job.start()
            cmd = [find_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", tmp_dump, dbname]
            proc = subprocess.run(cmd, env=exec_pg_environ(), capture_output=True, text=True, check=False)
            if proc.returncode < 0:
                raise UserError(_("pg_dump was killed (signal %(signal)s) before it finished. %(stderr)s",
                                  signal=-proc.returncode, stderr=proc.stderr.strip()))
            if proc.returncode:
                raise UserError(_("pg_dump failed: %s", proc.stderr.strip()))
            tar_job.join()
            if tar_job.error:
                raise UserError(_("The filestore could not be archived: %s", tar_job.error))
            # pg_dump rewrites the archive's table of contents at the end, so the dump is hashed once written
            # (it is still in the page cache).
            sha = hashlib.sha256()
            with open(tmp_dump, "rb") as handle:
                for chunk in iter(lambda: handle.read(2**22), b""):
                    sha.update(chunk)
            os.replace(tmp_dump, dump_path)
            os.replace(tmp_tar, tar_path)
        finally:
            tar_job.stop()
            for path in (tmp_dump, tmp_tar):
                if os.path.exists(path):
                    os.unlink(path)
        return {
            "path": dump_path, "filestore_path": tar_path,
            "size": os.path.getsize(dump_path) + os.path.getsize(tar_path), "sha256": sha.hexdigest(),
        }

    def _prune(self):
        """Delete backup files older than the retention; their logs stay, marked pruned."""
        if self.keep_forever:
            return self.env["ctrl.backup.log"]
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
        done = self.log_ids.filtered(lambda lg: lg.result == "done" and not lg.pruned and lg.path)
        if log:
            # Only one of this plan's own finished backups is restored.
            log = done & self.env["ctrl.backup.log"].browse(log.id if isinstance(log, models.BaseModel) else log)
        else:
            log = done.sorted("end")[-1:]
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
        return self.env["ctrl.backup.log"].sudo().create({
            "plan_id": self.id, "kind": "restore_test", "start": start, "end": fields.Datetime.now(),
            "operator_id": self.env.uid, "method": self.method, "source": log.source, "result": result,
            "restored_log_id": log.id, "note": note,
        }).sudo(False)

    @api.model
    def _cron_restore_test(self):
        """Monthly restore test of every approved plan of this Odoo database (seed 000 S09 B09-09)."""
        logs = self.env["ctrl.backup.log"]
        for plan in self.search([("state", "=", "approved"), ("plan_type", "=", "odoo_db"),
                                 ("company_id.ctrl_live", "=", True)]):
            if plan.log_ids.filtered(lambda log: log.result == "done" and not log.pruned and log.kind == "backup"
                                     and log.path):
                logs |= plan.action_restore_test()
        return logs

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


class _FilestoreTar:
    """Tar a filestore in a thread of its own; stop() makes it give up at the next file and waits for it."""

    def __init__(self, filestore, path):
        self.filestore, self.path = filestore, path
        self.error = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ctrl_backup_filestore_tar", daemon=True)

    def _member(self, info):
        if self._stopping.is_set():
            raise InterruptedError("backup stopped")
        return info

    def _run(self):
        try:
            with tarfile.open(self.path, "w") as tar:
                if os.path.isdir(self.filestore):
                    tar.add(self.filestore, arcname="filestore", filter=self._member)
        except Exception as err:  # reported by the caller, which fails the run
            self.error = err

    def start(self):
        self._thread.start()

    def join(self):
        self._thread.join()

    def stop(self):
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()


def _pg_params():
    params = {}
    for key, name in (("db_host", "host"), ("db_port", "port"), ("db_user", "user"), ("db_password", "password")):
        if config.get(key):
            params[name] = config[key]
    return params
