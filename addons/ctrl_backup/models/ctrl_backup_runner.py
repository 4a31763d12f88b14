# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The backup run of a plan of type "This Odoo database": pg_dump and a tar of the filestore into the plan's
folder, the run's log, and the pruning of the runner's own files once their retention is over.

Nothing here is public: a client presses the plan's button, which queues a run of the plan's own database
into its own folder; the runs' scheduled action calls ``_start_backup`` and, once the detached job
(tools/backup_job.py) is over, ``_finish_backup``."""
import contextlib
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config, mute_logger
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.web.controllers.database import DBNAME_PATTERN

from ..tools import backup_job
from ..tools.backup_job import CHUNK

FOLDER_MODE = 0o700
JOB_SCRIPT = backup_job.__file__
# How long a started job may take to write its first status before it counts as lost (seconds).
JOB_START_GRACE = 120


def pg_params():
    """Connection parameters of this Odoo server's PostgreSQL, for psycopg2.connect."""
    params = {}
    for key, name in (("db_host", "host"), ("db_port", "port"), ("db_user", "user"), ("db_password", "password")):
        if config.get(key):
            params[name] = config[key]
    return params


def is_database_name(dbname):
    """A plain database name: nothing pg_dump could read as an option or a connection string."""
    return bool(dbname) and len(dbname) <= 63 and bool(re.match(DBNAME_PATTERN, dbname))


def sha256_in(folder_fd, name):
    """sha256 of the regular file ``name`` in the open folder, without following a link; None when missing."""
    try:
        fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW, dir_fd=folder_fd)
    except FileNotFoundError:
        return None
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return ""
        sha = hashlib.sha256()
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
        return sha.hexdigest()


class CtrlBackupRunner(models.AbstractModel):
    _name = "ctrl.backup.runner"
    _description = "Backup run"

    # ------------------------------------------------------------------ what is backed up, where
    @api.model
    def _source_database(self, plan):
        """The plan's own Odoo database, or the database its approved plan names."""
        dbname = plan.source_database or self.env.cr.dbname
        if not is_database_name(dbname):
            raise UserError(_("Plan %(plan)s: %(db)s is not a database name. Fix Database (letters, digits, "
                              "'_', '.' and '-', starting with a letter or a digit).", plan=plan.name, db=dbname))
        return dbname

    @api.model
    def _database_exists(self, dbname):
        """Whether ``dbname`` is a database of this server now (a catalog lookup, which sees databases created
        after this transaction began)."""
        try:
            with mute_logger("odoo.sql_db"), self.env.cr.savepoint(flush=False):
                self.env.cr.execute("SELECT has_database_privilege(%s, 'CONNECT')", (dbname,))
        except psycopg2.Error:  # "database ... does not exist"
            return False
        return True

    @api.model
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

    @api.model
    def _prepare_folder(self, plan, needed_bytes=0):
        """The plan's folder, resolved and made private; refused when missing, not writable, shared with other
        users of the server, or short of space."""
        folder = plan.folder
        if not folder or not os.path.isdir(folder):
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s does not exist. Create it or fix Folder.",
                              plan=plan.name, folder=folder or "-"))
        real = os.path.realpath(folder)
        try:
            with tempfile.NamedTemporaryFile(dir=real, prefix=".ctrl-probe-"):
                pass
        except OSError as err:
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s is not writable (%(err)s). "
                              "Fix its permissions or choose another Folder.",
                              plan=plan.name, folder=folder, err=err.strerror)) from err
        info = os.stat(real)
        if real.count("/") < 2 or info.st_mode & (stat.S_ISVTX | stat.S_IWOTH) or info.st_uid != os.geteuid():
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s is shared with other users of the "
                              "server. Choose a folder of its own, such as /var/backups/odoo, that belongs to the "
                              "user the Odoo service runs as.", plan=plan.name, folder=folder))
        if stat.S_IMODE(info.st_mode) != FOLDER_MODE:
            os.chmod(real, FOLDER_MODE)
        free = shutil.disk_usage(real).free
        if needed_bytes and free < needed_bytes:
            raise UserError(_("Plan %(plan)s: the backup folder %(folder)s has %(free)s MB free but the backup "
                              "needs about %(need)s MB. Free some space or choose another Folder.",
                              plan=plan.name, folder=folder, free=free // 2**20, need=needed_bytes // 2**20))
        return real

    # ------------------------------------------------------------------ the run
    @api.model
    def _start_backup(self, plan, user):
        """Check the plan, open its log and start the backup job; returns the log and the job (what the plan keeps
        of it). The job runs detached: ``_job_status`` follows it, ``_finish_backup`` records its result."""
        plan.ensure_one()
        if plan.plan_type != "odoo_db":
            raise UserError(_("Plan %s is logged by hand: only plans of type 'This Odoo database' run here.",
                              plan.name))
        plan._check_approved()
        # What the plan holds was checked when it was saved; checked again in case it was stored otherwise.
        plan._check_naming_rule()
        plan._check_folder_path()
        dbname = self._source_database(plan)
        folder = self._prepare_folder(plan, self._db_size(dbname))
        # The log starts failed: only a finished run turns it done, so an interruption leaves a failed log.
        # Its result, files and checksums are the server's: written as superuser, never by the client.
        log = self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "start": fields.Datetime.now(), "operator_id": user.id, "by_runner": True,
            "method": plan.method, "source": dbname, "result": "failed", "note": _("Started; not finished."),
        })
        base = os.path.join(folder, plan._backup_stem())
        job = self._start_job(plan, {
            "kind": "backup", "pg_dump": find_pg_tool("pg_dump"), "dbname": dbname,
            "filestore": config.filestore(dbname), "dump": base + ".dump", "tar": base + ".filestore.tar",
        })
        return log, job

    @api.model
    def _finish_backup(self, plan, log, job, status):
        """Record the job's result on the run's log; returns the log and the run's next job (the off-site copy),
        if any. Once the run has no next job, the plan's expired files are pruned."""
        if status["state"] != "done":
            # Left behind only by a job killed outright; a job refused as "busy" wrote nothing of its own.
            self._remove_part_files(job, status)
            log.sudo().write({"end": fields.Datetime.now(), "note": _("Failed: %s", self._job_error(status))})
            return log, None
        if status.get("path") != job["dump"] or status.get("filestore_path") != job["tar"] or not all(
                os.path.isfile(path) for path in (job["dump"], job["tar"])):
            log.sudo().write({"end": fields.Datetime.now(),
                              "note": _("Failed: the backup files are not where the run wrote them.")})
            return log, None
        size = os.path.getsize(job["dump"]) + os.path.getsize(job["tar"])
        log.sudo().write({
            "end": fields.Datetime.now(), "result": "done", "note": False, "path": job["dump"],
            "filestore_path": job["tar"], "size": size, "sha256": status["sha256"],
            "filestore_sha256": status["filestore_sha256"], "row_counts": status.get("row_counts"),
        })
        next_job = self._after_local_copy(plan, log)
        if not next_job:
            self._prune(plan)
        return log, next_job

    @api.model
    def _remove_part_files(self, job, status):
        for path in backup_job.part_paths(job) if job.get("kind") == "backup" and status.get("error") != "busy" \
                else ():
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    @api.model
    def _after_local_copy(self, plan, log):
        """Hook: the plan's local copy is done and logged (``log``); returns the job that follows it, if any. The
        off-site copy extends it (models/ctrl_backup_runner_offsite.py); its failure is its own log and leaves
        ``log`` done."""
        return None

    # ------------------------------------------------------------------ the detached job
    @api.model
    def _runs_folder(self):
        """Where this database's jobs keep their status and lock files: private to the Odoo service."""
        folder = os.path.join(config["data_dir"], "ctrl_backup_runs", self.env.cr.dbname)
        os.makedirs(folder, mode=FOLDER_MODE, exist_ok=True)
        os.chmod(folder, FOLDER_MODE)
        return folder

    @api.model
    def _start_job(self, plan, spec, env=None):
        """Start backup_job.py with ``spec`` in a session of its own, so that it outlives the worker that started
        it and Odoo's limits of that worker; returns the spec with what follows the job. Secrets go in ``env``
        (the job's whole environment), never in ``spec``, which is on the job's command line."""
        folder = self._runs_folder()
        token = uuid.uuid4().hex
        spec = dict(spec, token=token, status=os.path.join(folder, "run-%s.json" % token),
                    lock=os.path.join(folder, "plan-%s.lock" % plan.id))
        subprocess.Popen(  # pylint: disable=consider-using-with
            [sys.executable, JOB_SCRIPT, json.dumps(spec)], env=env or exec_pg_environ(), cwd=folder,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True, close_fds=True)
        spec["started"] = time.time()
        return spec

    @api.model
    def _job_status(self, job):
        """The job's status: its own file, or "running" while it is alive without one, or "failed" ("lost")
        when its process is gone without a final status."""
        status = backup_job.read_status(job["status"])
        if status and status["state"] != "running":
            return status
        pid = status and status["pid"]
        if pid:
            with contextlib.suppress(ChildProcessError):  # reap it when this process started it
                os.waitpid(pid, os.WNOHANG)
            if _job_alive(pid, job["token"]):
                return status
            # It may have written its final status just after the first read.
            status = backup_job.read_status(job["status"])
            return status if status and status["state"] != "running" else {"state": "failed", "error": "lost"}
        if time.time() - job["started"] < JOB_START_GRACE:
            return {"state": "running"}
        return {"state": "failed", "error": "lost"}

    @api.model
    def _stop_job(self, job):
        """Stop the job and everything it started (its process group: pg_dump, age, rclone) and remove the
        backup's temporary files; waits a few seconds for it to end."""
        status = backup_job.read_status(job.get("status") or "") or {}
        pid = status.get("pid") if status.get("state") == "running" else None
        if pid and _job_alive(pid, job["token"]):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signal.SIGTERM)
            for _i in range(50):
                with contextlib.suppress(ChildProcessError):
                    os.waitpid(pid, os.WNOHANG)
                if not _job_alive(pid, job["token"]):
                    break
                time.sleep(0.1)
        self._remove_part_files(job, {})

    @api.model
    def _forget_job(self, job):
        for path in (job["status"], job["status"] + ".tmp"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(path)

    @api.model
    def _job_error(self, status):
        """The job's failure in words."""
        error = status.get("error")
        if error == "killed":
            return _("pg_dump was killed (signal %(signal)s) before it finished. %(stderr)s",
                     signal=status["signal"], stderr=status["stderr"])
        if error == "pg_dump":
            return _("pg_dump failed: %s", status["stderr"])
        if error == "filestore":
            return _("The filestore could not be archived: %s", status["detail"])
        if error == "tool":
            return _("%(tool)s failed: %(err)s", tool=status["tool"], err=status["stderr"])
        if error == "unreadable":
            return _("The backup file %(path)s cannot be read: %(err)s", path=status["path"], err=status["detail"])
        if error == "checksum":
            return _("The backup file %s no longer matches the checksum of its log.", status["path"])
        if error == "busy":
            return _("another run of this plan was still in progress.")
        if error == "timeout":
            return _("the run took longer than %s hours and was stopped.", status["hours"])
        if error == "cancelled":
            return _("the run was cancelled by %s.", status["user"])
        if error == "lost":
            return _("the run stopped before it finished (its process ended without a result).")
        return _("the run stopped: %s", status.get("detail") or error)

    # ------------------------------------------------------------------ pruning
    @api.model
    def _prune(self, plan):
        """Delete the runner's files older than the retention; their logs stay, marked pruned.

        A file is deleted only when its log is the runner's own, it lies in the plan's folder (links resolved),
        its name follows the plan's naming rule and its content still matches the checksum of its log.
        Anything else is kept and reported on the plan and on the log, never deleted."""
        Log = self.env["ctrl.backup.log"]
        if plan.keep_forever or not plan.folder:
            return Log
        limit = fields.Datetime.now() - timedelta(days=plan.retention_days)
        old = plan.log_ids.filtered(
            lambda log: log.kind == "backup" and log.result == "done" and log.end and log.end < limit
            and not log.pruned and not log.kept_reason and (log.path or log.filestore_path))
        if not old:
            return Log
        folder = os.path.realpath(plan.folder)
        try:
            folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError:
            return Log  # the folder is gone: nothing of the runner's is left to delete
        pruned, kept = Log, []
        try:
            pattern = plan._backup_file_pattern()
            for log in old:
                problems = self._prune_problems(log, folder, folder_fd, pattern)
                if problems:
                    reason = "; ".join(problems)
                    log.sudo().write({"kept_reason": reason})
                    kept.append("%s: %s" % (log.name, reason))
                    continue
                for path in (log.path, log.filestore_path):
                    if path:
                        with contextlib.suppress(FileNotFoundError):  # already gone: nothing to delete
                            os.unlink(os.path.basename(path), dir_fd=folder_fd)
                log.sudo().write({"pruned": True})
                pruned |= log
        finally:
            os.close(folder_fd)
        if kept:
            plan.sudo()._message_log(body=_(
                "These backups are past their retention but were kept, not deleted, because they could not be "
                "shown to be this plan's own backup files: %s. Check them and delete them by hand if they are.",
                "; ".join(kept)))
        return pruned

    @api.model
    def _prune_problems(self, log, folder, folder_fd, pattern):
        """Why the files of ``log`` may not be deleted (empty when they may)."""
        problems = []
        if not log.by_runner:
            problems.append(_("its log was not recorded by the backup run"))
        for path, digest in ((log.path, log.sha256), (log.filestore_path, log.filestore_sha256)):
            if not path:
                continue
            name = os.path.basename(path)
            if os.path.realpath(path) != os.path.join(folder, name):
                problems.append(_("%s is not in the plan's folder", path))
            elif not pattern.fullmatch(name):
                problems.append(_("%s does not follow the plan's naming rule", name))
            elif not digest:
                problems.append(_("%s has no checksum in its log", name))
            else:
                actual = sha256_in(folder_fd, name)
                if actual is not None and actual != digest:
                    problems.append(_("%s no longer matches the checksum of its log", name))
        return problems


def _job_alive(pid, token):
    """Whether ``pid`` is still the job started with ``token`` (not a finished one, nor another process that got
    its number)."""
    try:
        with open("/proc/%d/cmdline" % pid, "rb") as handle:
            return token.encode() in handle.read()
    except OSError:
        return False
