# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The backup run of a plan of type "This Odoo database": pg_dump and a tar of the filestore into the plan's
folder, the run's log, and the pruning of the runner's own files once their retention is over.

Nothing here is public: a client presses the plan's buttons, which call the runner for the plan's own
database and folder. A scheduled action calls ``_run_backup(plan)`` the same way."""
import contextlib
import hashlib
import os
import re
import shutil
import stat
import subprocess
import tarfile
import tempfile
import threading
from datetime import timedelta

import psycopg2

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config, mute_logger
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.web.controllers.database import DBNAME_PATTERN

FILE_MODE = 0o600
FOLDER_MODE = 0o700
CHUNK = 2**22


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


def create_private_file(path):
    """Create ``path`` readable by the Odoo service only, whatever the umask; refuse an existing file or link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


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
    def _run_backup(self, plan):
        """Back up the plan's database and filestore into its folder; returns the run's log."""
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
            "plan_id": plan.id, "start": fields.Datetime.now(), "operator_id": self.env.uid, "by_runner": True,
            "method": plan.method, "source": dbname, "result": "failed", "note": _("Started; not finished."),
        })
        try:
            values = self._dump(plan, dbname, folder)
        except Exception as err:
            log.write({"end": fields.Datetime.now(), "note": _("Failed: %s", err)})
            return log.sudo(False)
        values.update(end=fields.Datetime.now(), result="done", note=False)
        log.write(values)
        self._prune(plan)
        return log.sudo(False)

    @api.model
    def _dump(self, plan, dbname, folder):
        """pg_dump -Fc of ``dbname`` and a tar of its filestore, written side by side under temporary names
        and renamed only once both are complete, so a failed or interrupted run never leaves a file with the
        final name. Both files are private (0600) from their creation."""
        base = os.path.join(folder, plan._backup_stem())
        dump_path, tar_path = base + ".dump", base + ".filestore.tar"
        tmp_dump, tmp_tar = dump_path + ".part", tar_path + ".part"
        created = []
        tar_job = None
        try:
            for path in (tmp_dump, tmp_tar):
                os.close(create_private_file(path))
                created.append(path)
            # The filestore is archived while pg_dump runs: the two are independent, and pg_dump's time is
            # spent compressing in its own process.
            tar_job = _FilestoreTar(config.filestore(dbname), tmp_tar)
            tar_job.start()
            # Options and names are kept apart: nothing in a name can become an option.
            cmd = [find_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file=" + tmp_dump,
                   "--dbname=" + dbname]
            proc = subprocess.run(cmd, env=exec_pg_environ(), capture_output=True, text=True, check=False)
            if proc.returncode < 0:
                raise UserError(_("pg_dump was killed (signal %(signal)s) before it finished. %(stderr)s",
                                  signal=-proc.returncode, stderr=proc.stderr.strip()))
            if proc.returncode:
                raise UserError(_("pg_dump failed: %s", proc.stderr.strip()))
            tar_job.join()
            if tar_job.error:
                raise UserError(_("The filestore could not be archived: %s", tar_job.error))
            os.chmod(tmp_dump, FILE_MODE)
            # pg_dump rewrites the archive's table of contents at the end, so the dump is hashed once written
            # (it is still in the page cache).
            sha = hashlib.sha256()
            with open(tmp_dump, "rb") as handle:
                for chunk in iter(lambda: handle.read(CHUNK), b""):
                    sha.update(chunk)
            os.replace(tmp_dump, dump_path)
            os.replace(tmp_tar, tar_path)
        finally:
            if tar_job:
                tar_job.stop()
            for path in created:
                if os.path.lexists(path):
                    os.unlink(path)
        return {
            "path": dump_path, "filestore_path": tar_path,
            "size": os.path.getsize(dump_path) + os.path.getsize(tar_path),
            "sha256": sha.hexdigest(), "filestore_sha256": tar_job.sha256,
        }

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


class _FilestoreTar:
    """Tar a filestore in a thread of its own into an existing private file, hashing what it writes;
    stop() makes it give up at the next file and waits for it."""

    def __init__(self, filestore, path):
        self.filestore, self.path = filestore, path
        self.error = None
        self.sha256 = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ctrl_backup_filestore_tar", daemon=True)

    def _member(self, info):
        if self._stopping.is_set():
            raise InterruptedError("backup stopped")
        return info

    def _run(self):
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
            with _HashingWriter(fd) as out, tarfile.open(fileobj=out, mode="w") as tar:
                if os.path.isdir(self.filestore):
                    tar.add(self.filestore, arcname="filestore", filter=self._member)
            self.sha256 = out.sha.hexdigest()
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


class _HashingWriter:
    """A file written front to back, hashed as it is written (what tarfile needs: write and tell)."""

    def __init__(self, fd):
        self._file = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()

    def write(self, data):  # pylint: disable=method-required-super
        self.sha.update(data)
        return self._file.write(data)

    def tell(self):
        return self._file.tell()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()
