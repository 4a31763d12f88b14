# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The second, off-site copy of a backup (seed 000 B09-05 two copies; B06-09 encrypted): each file of a verified
local backup is encrypted with age to the target's public key and streamed by rclone to the target, checked
there (size and the target's own checksum), and logged as an "Off-site copy" log of the plan. Pruning and the
restore drill from the off-site copy live here too.

rclone is configured through its environment variables (RCLONE_CONFIG_<NAME>_...), never on its command line,
and every argument is passed as a list; a remote path is always "ctrloffsite:<folder>/<name>", so nothing a
user typed can become an option. Nothing here is public: the runner and the restore wizard call it."""
import json
import os
import shutil
import subprocess
import tempfile
from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..tools import backup_job
from ..tools.backup_job import create_private_file
from .ctrl_backup_remote import OBSCURED_PASSWORD, SECRET_OPTION
from .ctrl_backup_restore_test import drop_scratch, run_pg_tool, scratch_left_note
from .ctrl_backup_runner import is_database_name

REMOTE = "ctrloffsite"
SUFFIX = ".age"
HASH_TYPES = ("sha256", "sha1", "md5")
RCLONE_FLAGS = ["--retries", "1", "--low-level-retries", "2", "--contimeout", "15s", "--timeout", "120s"]
ERROR_MAX = 500


def tool(name):
    """Path of the Debian tool ``name``, or a UserError naming the package to install."""
    path = shutil.which(name)
    if not path:
        raise UserError(_("%(tool)s is not installed on the server, so no off-site copy can be made. Install it: "
                          "apt-get install rclone age", tool=name))
    return path


class CtrlBackupOffsite(models.AbstractModel):
    _name = "ctrl.backup.offsite"
    _description = "Off-site backup copy"

    # ------------------------------------------------------------------ rclone, configured by its environment
    @api.model
    def _rclone_env(self, remote):
        """The environment that defines the target as rclone remote ``ctrloffsite``; holds its credentials."""
        prefix = "RCLONE_CONFIG_%s_" % REMOTE.upper()
        env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": os.environ.get("HOME", "/tmp"),
               "RCLONE_CONFIG": os.devnull, "LANG": "C.UTF-8", prefix + "TYPE": remote.backend_type}
        for key, value in remote._parsed_options().items():
            env[prefix + key.upper()] = value
        secrets = remote.sudo()._secrets()
        if secrets.get("key_pem"):
            # rclone reads an inline PEM key on one line, its line ends written as \n.
            env[prefix + "KEY_PEM"] = "\\n".join(secrets["key_pem"].splitlines())
        if secrets.get("password"):
            key = SECRET_OPTION.get(remote.backend_type, "pass")
            value = secrets["password"]
            if remote.backend_type in OBSCURED_PASSWORD:
                value = self._obscure(value)
            env[prefix + key.upper()] = value
        return env

    @api.model
    def _secret_env_keys(self, remote):
        """The names (not the values) of the variables of ``_rclone_env`` that hold credentials."""
        prefix = "RCLONE_CONFIG_%s_" % REMOTE.upper()
        return [prefix + "KEY_PEM", prefix + SECRET_OPTION.get(remote.backend_type, "pass").upper()]

    @api.model
    def _obscure(self, value):
        """rclone's obscured form of a password, given through stdin (never an argument)."""
        proc = subprocess.run([tool("rclone"), "obscure", "-"], input=value, capture_output=True, text=True,
                              env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "RCLONE_CONFIG": os.devnull},
                              check=False)
        if proc.returncode:
            raise UserError(_("The password of the off-site target could not be prepared for the copy tool."))
        return proc.stdout.strip()

    @api.model
    def _scrub(self, remote, text):
        """``text`` without the target's credentials (nor their obscured form), shortened: safe for a log."""
        text = (text or "").strip()
        secrets = remote.sudo()._secrets()
        for value in secrets.values():
            for line in (value or "").splitlines():
                if len(line.strip()) >= 4:
                    text = text.replace(line.strip(), "***")
        return text[-ERROR_MAX:]

    @api.model
    def _rclone(self, remote, env, *args, stdout=None):
        """Run rclone ``args`` (a list: nothing in them is read as an option by a shell) against the target."""
        proc = subprocess.run([tool("rclone"), *RCLONE_FLAGS, *args], env=env, stdout=stdout or subprocess.PIPE,
                              stderr=subprocess.PIPE, check=False)
        if proc.returncode:
            raise UserError(_("The off-site target %(name)s did not accept the request: %(err)s",
                              name=remote.name, err=self._scrub(remote, proc.stderr.decode(errors="replace"))))
        return proc

    @api.model
    def _spec(self, path):
        """rclone's name of ``path`` on the target: always prefixed by the remote, so never an option."""
        if path.startswith("-") or "\0" in path or "\n" in path:
            raise UserError(_("%s is not a path on the off-site target.", path[:100]))
        return "%s:%s" % (REMOTE, path)

    @api.model
    def _remote_folder(self, remote):
        return remote.remote_path.rstrip("/") or "/"

    # ------------------------------------------------------------------ the copy, in the detached job
    @api.model
    def _start_copy(self, plan, local_log):
        """Open the off-site copy's log of ``local_log`` (a done backup) and start the job that encrypts and sends
        its files (tools/backup_job.py, kind "offsite"); returns the log and the job, or no job when it could not
        start (the log then says why). The target's credentials reach the job only through its environment."""
        remote = plan.offsite_remote_id
        log = self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "kind": "offsite", "start": fields.Datetime.now(), "operator_id": self.env.uid,
            "by_runner": True, "method": plan.method, "source": local_log.source, "result": "failed",
            "remote_id": remote.id, "local_log_id": local_log.id, "note": _("Started; not finished."),
        })
        try:
            remote._check_age_recipient()
            folder = self._remote_folder(remote)
            files = [[local_path, "%s/%s" % (folder.rstrip("/"), os.path.basename(local_path) + SUFFIX)]
                     for local_path in (local_log.path, local_log.filestore_path) if local_path]
            for _local, path in files:
                self._spec(path)  # refuses a name rclone could read as an option
            job = self.env["ctrl.backup.runner"]._start_job(plan, {
                "kind": "offsite", "rclone": tool("rclone"), "age": tool("age"), "rclone_flags": RCLONE_FLAGS,
                "remote": REMOTE, "recipient": remote.age_recipient.strip(), "folder": folder,
                "hash_types": list(HASH_TYPES), "files": files, "offsite_log": log.id,
                "secret_env": self._secret_env_keys(remote),
            }, env=self._rclone_env(remote))
        except Exception as err:
            log.write({"end": fields.Datetime.now(),
                       "note": _("Off-site copy failed: %s", self._scrub(remote, str(err)))})
            return log.sudo(False), None
        return log.sudo(False), job

    @api.model
    def _finish_copy(self, log, status):
        """Record the off-site job's result on its log: done only when, for each file, the target holds as many
        bytes as were sent and its checksum matches what was sent."""
        log = log.sudo()
        remote = log.remote_id
        try:
            values = self._copy_values(status, remote)
        except UserError as err:
            log.write({"end": fields.Datetime.now(),
                       "note": _("Off-site copy failed: %s", self._scrub(remote, str(err)))})
            return log.sudo(False)
        log.write(dict(values, end=fields.Datetime.now(), result="done", note=False))
        return log.sudo(False)

    @api.model
    def _copy_values(self, status, remote):
        if status["state"] != "done":
            raise UserError(self._job_error(status, remote))
        values = {"size": 0}
        for index, sent in enumerate(status["files"]):
            name = os.path.basename(sent["path"])
            check = sent["check"]
            if check is None:
                raise UserError(_("The off-site copy %s is not on the target after it was sent.", name))
            if check["size"] != sent["size"]:
                raise UserError(_("The off-site copy %(file)s holds %(remote)s bytes but %(sent)s were sent.",
                                  file=name, remote=check["size"], sent=sent["size"]))
            for kind, value in check["hashes"].items():
                if kind in sent["hashes"] and value and value.lower() != sent["hashes"][kind]:
                    raise UserError(_("The off-site copy %(file)s does not match what was sent (%(kind)s differs).",
                                      file=name, kind=kind))
            prefix = "filestore_" if index else ""
            values.update({"filestore_path" if index else "path": sent["path"],
                           prefix + "sha256": sent["hashes"]["sha256"],
                           prefix + "remote_hash": self._format_remote_hash(check)})
            values["size"] += sent["size"]
        return values

    @api.model
    def _job_error(self, status, remote):
        """The off-site job's failure in words (what rclone or age said is scrubbed again by the caller)."""
        error = status.get("error")
        if error == "offsite_send":
            return _("The off-site target %(name)s did not accept %(file)s: %(err)s", name=remote.name,
                     file=status["file"], err=status["stderr"])
        if error == "offsite_check":
            return _("The off-site target %(name)s did not accept the request: %(err)s", name=remote.name,
                     err=status["stderr"])
        if error == "age":
            return _("age could not encrypt %(file)s: %(err)s", file=status["file"], err=status["stderr"])
        return self.env["ctrl.backup.runner"]._job_error(status)

    @api.model
    def _remote_check(self, remote, env, path, hash_types):
        """Size and the ``hash_types`` checksums of ``path`` as the target reports them (rclone lsjson --stat);
        None when the file is not there."""
        types = [arg for kind in hash_types if kind in HASH_TYPES for arg in ("--hash-type", kind)]
        proc = subprocess.run([tool("rclone"), *RCLONE_FLAGS, "lsjson", "--stat", *types, self._spec(path)],
                              env=env, capture_output=True, check=False)
        if proc.returncode == 3 or (proc.returncode and b"not found" in proc.stderr):
            return None
        if proc.returncode:
            raise UserError(_("The off-site target %(name)s could not be checked: %(err)s", name=remote.name,
                              err=self._scrub(remote, proc.stderr.decode(errors="replace"))))
        entry = json.loads(proc.stdout or b"{}")
        return {"size": entry.get("Size"), "hashes": {k: v for k, v in (entry.get("Hashes") or {}).items() if v}}

    @api.model
    def _format_remote_hash(self, check):
        parts = ["size:%s" % check["size"]]
        parts += ["%s:%s" % (kind, value) for kind, value in sorted(check["hashes"].items())]
        return " ".join(parts)

    @api.model
    def _parse_remote_hash(self, text):
        values = dict(part.split(":", 1) for part in (text or "").split() if ":" in part)
        size = values.pop("size", None)
        return {"size": int(size) if size and size.isdigit() else None, "hashes": values}

    @api.model
    def _delete_quietly(self, env, path):
        subprocess.run([tool("rclone"), *RCLONE_FLAGS, "deletefile", self._spec(path)], env=env,
                       capture_output=True, check=False)

    # ------------------------------------------------------------------ pruning
    @api.model
    def _prune(self, plan):
        """Delete the off-site files past the plan's retention by the same rules as the local pruning: only the
        run's own files (its log recorded by the run), in the target's folder, named by the plan's naming rule
        and still matching the size and checksums recorded when they were sent. Anything else is kept and said."""
        Log = self.env["ctrl.backup.log"]
        if plan.keep_forever:
            return Log
        limit = fields.Datetime.now() - timedelta(days=plan.retention_days)
        old = Log.sudo().search([
            ("plan_id", "=", plan.id), ("kind", "=", "offsite"), ("result", "=", "done"), ("end", "<", limit),
            ("pruned", "=", False), ("kept_reason", "=", False), ("remote_id", "!=", False)])
        pruned, kept = Log, []
        pattern = plan._backup_file_pattern()
        for log in old:
            remote = log.remote_id
            try:
                env = self._rclone_env(remote)
                problems = self._prune_problems(log, env, pattern)
                if not problems:
                    for path in (log.path, log.filestore_path):
                        if path and self._remote_check(remote, env, path, []) is not None:
                            self._rclone(remote, env, "deletefile", self._spec(path))
            except UserError as err:  # the target cannot be reached: tried again at the next run
                plan.sudo()._message_log(body=_("Off-site copies past their retention could not be pruned: %s",
                                                self._scrub(remote, str(err))))
                return pruned
            if problems:
                reason = "; ".join(problems)
                log.write({"kept_reason": reason})
                kept.append("%s: %s" % (log.name, reason))
                continue
            log.write({"pruned": True})
            pruned |= log
        if kept:
            plan.sudo()._message_log(body=_(
                "These off-site copies are past their retention but were kept, not deleted, because they could "
                "not be shown to be this plan's own copies: %s. Check them and delete them by hand if they are.",
                "; ".join(kept)))
        return pruned

    @api.model
    def _prune_problems(self, log, env, pattern):
        problems = []
        if not log.by_runner:
            problems.append(_("its log was not recorded by the backup run"))
        folder = self._remote_folder(log.remote_id).rstrip("/")
        for path, recorded in ((log.path, log.remote_hash), (log.filestore_path, log.filestore_remote_hash)):
            if not path:
                continue
            name = path.rsplit("/", 1)[-1]
            if path != "%s/%s" % (folder, name):
                problems.append(_("%s is not in the target's folder", path))
            elif not name.endswith(SUFFIX) or not pattern.fullmatch(name[:-len(SUFFIX)]):
                problems.append(_("%s does not follow the plan's naming rule", name))
            elif not recorded:
                problems.append(_("%s has no checksum in its log", name))
            else:
                expected = self._parse_remote_hash(recorded)
                actual = self._remote_check(log.remote_id, env, path, list(expected["hashes"]))
                if actual is not None and (actual["size"] != expected["size"] or any(
                        actual["hashes"].get(kind) not in (None, value)
                        for kind, value in expected["hashes"].items())):
                    problems.append(_("%s no longer matches the checksum of its log", name))
        return problems

    # ------------------------------------------------------------------ restore drill from the off-site copy
    @api.model
    def _restore_drill(self, offsite_log, private_key):
        """Fetch the off-site copy of ``offsite_log``, decrypt it with ``private_key`` (bytes, used in memory:
        given to age on its stdin, never written), restore it into a scratch database and compare row counts
        with the source. Returns the restore-test log, done or failed with the reason."""
        plan, remote = offsite_log.plan_id, offsite_log.remote_id
        scratch = "ctrl_offsite_restore_%s" % os.getpid()
        start = fields.Datetime.now()
        result, note = "failed", ""
        workdir = None
        try:
            if not is_database_name(offsite_log.source):
                raise UserError(_("The backup's source %s is not a database name.", offsite_log.source))
            folder = self.env["ctrl.backup.runner"]._prepare_folder(plan)
            workdir = tempfile.mkdtemp(dir=folder, prefix=".ctrl-offsite-restore-")
            env = self._rclone_env(remote)
            encrypted = os.path.join(workdir, "copy.age")
            fd = create_private_file(encrypted)
            with os.fdopen(fd, "wb") as out:
                self._rclone(remote, env, "cat", self._spec(offsite_log.path), stdout=out)
            if backup_job.file_sha256(encrypted) != offsite_log.sha256:
                raise UserError(_("The off-site copy %s no longer matches the checksum recorded when it was sent.",
                                  offsite_log.path))
            dump = os.path.join(workdir, "restore.dump")
            os.close(create_private_file(dump))
            proc = subprocess.run([tool("age"), "--decrypt", "--identity", "-", "--output", dump, encrypted],
                                  input=private_key, capture_output=True, check=False)
            if proc.returncode:
                raise UserError(_("The private key given does not open this off-site copy (age: %s). Give the "
                                  "private key that matches the target's encryption public key.",
                                  proc.stderr.decode(errors="replace").strip()[:ERROR_MAX]))
            tester = self.env["ctrl.backup.restore.test"]
            run_pg_tool("dropdb", "--if-exists", "--", scratch, check=True)
            run_pg_tool("createdb", "--template=template0", "--", scratch, check=True)
            run_pg_tool("pg_restore", "--no-owner", "--dbname=" + scratch, "--", dump, check=True)
            source_counts = offsite_log.local_log_id.row_counts or tester._row_counts(offsite_log.source)
            restored = tester._row_counts(scratch)
            diffs = [t for t in source_counts if source_counts[t] != restored.get(t)]
            note = _("Restored from the off-site copy: %s",
                     ", ".join("%s=%s/%s" % (t, source_counts[t], restored.get(t)) for t in source_counts))
            result = "failed" if diffs else "done"
        except Exception as err:
            note = _("Restore from the off-site copy failed: %s", self._scrub(remote, str(err)))
        finally:
            if workdir:
                shutil.rmtree(workdir, ignore_errors=True)
            note = "; ".join(filter(None, [note, scratch_left_note(scratch, drop_scratch(scratch))]))
        return self.env["ctrl.backup.log"].sudo().create({
            "plan_id": plan.id, "kind": "restore_test", "start": start, "end": fields.Datetime.now(),
            "operator_id": self.env.uid, "by_runner": True, "method": plan.method, "source": offsite_log.source,
            "result": result, "restored_log_id": offsite_log.id, "note": note,
        }).sudo(False)
