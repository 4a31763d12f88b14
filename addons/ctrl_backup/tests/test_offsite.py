# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The encrypted off-site copy against a real SFTP server: OpenSSH's sshd, started here on 127.0.0.1 as the
current user with its own configuration, a temporary host key and a temporary user key."""
import base64
import getpass
import hashlib
import json
import os
import resource
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools.misc import exec_pg_environ, find_pg_tool

from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params

from .common import CtrlBackupCase

SSHD = "/usr/sbin/sshd"
TOOLS = ("rclone", "age", "age-keygen", "ssh-keygen", SSHD)
APT = "apt-get install rclone age openssh-server"
# A file-size limit on the second sshd: any file larger than this fails to be written, as on a full disk.
FULL_LIMIT = 8192
SECRET_PASSWORD = "S3cret-never-logged-7f3a"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port, proc):
    for _attempt in range(100):
        if proc.poll() is not None:
            raise AssertionError("sshd stopped at once (exit %s)" % proc.returncode)
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise AssertionError("sshd did not listen on port %s" % port)


@tagged("post_install", "-at_install")
class TestOffsiteCopy(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        missing = [name for name in TOOLS if not shutil.which(name)]
        if missing:
            # Not skipped: the off-site copy is a control and its test must run. Say how to get the tools.
            raise AssertionError("%s missing; install them: %s" % (", ".join(missing), APT))
        super().setUpClass()
        cls.tmp = tempfile.mkdtemp(prefix="ctrl_offsite_")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.target = os.path.join(cls.tmp, "target")
        os.mkdir(cls.target, 0o700)
        cls._keys()
        cls.port = cls._start_sshd("ok")
        cls.full_port = cls._start_sshd("full", file_limit=FULL_LIMIT)
        cls._source_database()
        cls.folder = tempfile.mkdtemp(prefix="ctrl_bk_offsite_")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)
        cls.remote = cls._remote("Loopback SFTP", cls.port)
        cls.plan = cls._approved_plan(name="Odoo DB offsite", plan_type="odoo_db", folder=cls.folder,
                                      retention_days=30, source_database=cls.source_db, copies=2,
                                      offsite_copy=True, offsite_remote_id=cls.remote.id)

    # ------------------------------------------------------------------ fixtures
    @classmethod
    def _run(cls, *cmd, **kw):
        return subprocess.run(cmd, check=True, capture_output=True, text=True, **kw)

    @classmethod
    def _keys(cls):
        tmp = cls.tmp
        cls._run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", os.path.join(tmp, "host_key"))
        # rclone reads PEM user keys (not the new OpenSSH format).
        cls._run("ssh-keygen", "-q", "-t", "ecdsa", "-m", "PEM", "-N", "", "-f", os.path.join(tmp, "user_key"))
        shutil.copy(os.path.join(tmp, "user_key.pub"), os.path.join(tmp, "authorized_keys"))
        with open(os.path.join(tmp, "user_key")) as handle:
            cls.user_key = handle.read()
        for name in ("age_key", "wrong_key"):
            cls._run("age-keygen", "-o", os.path.join(tmp, name))
        with open(os.path.join(tmp, "age_key"), "rb") as handle:
            cls.age_private = handle.read()
        with open(os.path.join(tmp, "wrong_key"), "rb") as handle:
            cls.wrong_private = handle.read()
        cls.age_public = cls._run("age-keygen", "-y", os.path.join(tmp, "age_key")).stdout.strip()

    @classmethod
    def _start_sshd(cls, name, file_limit=None):
        if os.geteuid() == 0 and not os.path.isdir("/run/sshd"):
            os.makedirs("/run/sshd", 0o755)  # sshd's privilege separation directory, when run as root
        port = free_port()
        config = os.path.join(cls.tmp, "sshd_%s.conf" % name)
        with open(config, "w") as handle:
            handle.write("\n".join([
                "Port %s" % port, "ListenAddress 127.0.0.1", "HostKey %s" % os.path.join(cls.tmp, "host_key"),
                "AuthorizedKeysFile %s" % os.path.join(cls.tmp, "authorized_keys"), "StrictModes no",
                "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
                "PermitRootLogin prohibit-password", "PidFile none", "Subsystem sftp internal-sftp", ""]))

        def limit():
            if file_limit:
                resource.setrlimit(resource.RLIMIT_FSIZE, (file_limit, file_limit))
                signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails instead

        log = open(os.path.join(cls.tmp, "sshd_%s.log" % name), "w")  # closed at cleanup
        proc = subprocess.Popen([SSHD, "-D", "-e", "-f", config], stdout=log, stderr=log, preexec_fn=limit)
        cls.addClassCleanup(log.close)
        cls.addClassCleanup(proc.wait)
        cls.addClassCleanup(proc.terminate)
        wait_for_port(port, proc)
        return port

    @classmethod
    def _source_database(cls):
        cls.source_db = "ctrl_bk_off_%s" % uuid.uuid4().hex[:8]
        subprocess.run([find_pg_tool("createdb"), "-T", "template0", cls.source_db], env=exec_pg_environ(),
                       check=True, capture_output=True)
        cls.addClassCleanup(subprocess.run, [find_pg_tool("dropdb"), "--if-exists", cls.source_db],
                            env=exec_pg_environ(), check=False, capture_output=True)
        conn = psycopg2.connect(dbname=cls.source_db, **pg_params())
        with conn, conn.cursor() as cr:
            cr.execute("CREATE TABLE res_partner (id serial primary key, name text)")
            cr.execute("INSERT INTO res_partner (name) SELECT 'p' || g FROM generate_series(1, 500) g")
            cr.execute("CREATE TABLE account_move (id serial primary key, ref text)")
            cr.execute("INSERT INTO account_move (ref) SELECT md5(g::text) FROM generate_series(1, 2000) g")
        conn.close()

    @classmethod
    def _remote(cls, name, port, path=None, **vals):
        return cls.env["ctrl.backup.remote"].with_user(cls.manager).create({
            "name": name, "backend_type": "sftp",
            "options": "host = 127.0.0.1\nport = %s\nuser = %s" % (port, getpass.getuser()),
            "remote_path": path or cls.target, "age_recipient": cls.age_public, "ssh_private_key": cls.user_key,
            **vals,
        }).with_user(cls.env.user)

    def _backup(self):
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "done", log.note)
        return log

    def _sha256(self, path):
        with open(path, "rb") as handle:
            return hashlib.sha256(handle.read()).hexdigest()

    def _drill(self, log, key, user=None):
        wizard = self.env["ctrl.backup.offsite.restore"].with_user(user or self.manager).create({
            "log_id": log.id, "private_key": base64.b64encode(key)})
        return wizard, wizard.result_log_id

    def _age(self, log, days):
        self.env.flush_all()
        self.env.cr.execute('UPDATE ctrl_backup_log SET "end" = %s WHERE id = %s',
                            (fields.Datetime.now() - timedelta(days=days), log.id))
        log.invalidate_recordset()

    # ------------------------------------------------------------------ the copy, its log, the restore drill
    def test_offsite_copy_is_encrypted_verified_and_restorable(self):
        log = self._backup()
        copy = log.offsite_log_ids
        self.assertEqual(len(copy), 1)
        self.assertEqual(copy.result, "done", copy.note)
        self.assertEqual((copy.kind, copy.remote_id, copy.plan_id), ("offsite", self.remote, self.plan))
        sent = os.path.join(self.target, os.path.basename(log.path) + ".age")
        sent_tar = os.path.join(self.target, os.path.basename(log.filestore_path) + ".age")
        self.assertEqual((copy.path, copy.filestore_path), (sent, sent_tar))
        self.assertLessEqual({os.path.basename(sent), os.path.basename(sent_tar)}, set(os.listdir(self.target)))
        self.assertFalse([name for name in os.listdir(self.target) if not name.endswith(".age")])
        with open(sent, "rb") as handle:
            body = handle.read()
        self.assertTrue(body.startswith(b"age-encryption.org/v1"))
        self.assertNotIn(b"PGDMP", body)
        # The log records what was sent (sha256, size) and the target's own checksums of it.
        self.assertEqual(copy.sha256, self._sha256(sent))
        self.assertEqual(copy.filestore_sha256, self._sha256(sent_tar))
        self.assertEqual(copy.size, os.path.getsize(sent) + os.path.getsize(sent_tar))
        # sshd's user has sha1sum and md5sum: the stronger one is asked for, once.
        self.assertEqual(copy.remote_hash, "size:%s sha1:%s" % (len(body), hashlib.sha1(body).hexdigest()))
        # The monthly restore test uses the local copy.
        test = self._restore_test(self.plan)
        self.assertEqual((test.result, test.restored_log_id), ("done", log), test.note)
        # The drill: the key given now decrypts the off-site copy into a scratch database; row counts compared.
        wizard, drill = self._drill(copy, self.age_private)
        self.assertEqual(drill.result, "done", drill.note)
        self.assertEqual((drill.kind, drill.restored_log_id), ("restore_test", copy))
        self.assertIn("account_move=2000/2000", drill.note)
        self.assertIn("res_partner=500/500", drill.note)
        self.assertEqual(wizard.action_restore()["res_id"], drill.id)
        # The key is stored nowhere: not in the wizard's table, not in the plan's folder.
        self.env.cr.execute("SELECT * FROM ctrl_backup_offsite_restore WHERE id = %s", (wizard.id,))
        self.assertNotIn(b"AGE-SECRET-KEY", repr(self.env.cr.fetchall()).encode())
        for name in os.listdir(self.folder):
            self.assertTrue(name.endswith((".dump", ".filestore.tar")), name)
            with open(os.path.join(self.folder, name), "rb") as handle:
                self.assertNotIn(b"AGE-SECRET-KEY", handle.read())
        # A wrong key: a failed drill saying why; the local copy is untouched.
        _wizard, wrong = self._drill(copy, self.wrong_private)
        self.assertEqual(wrong.result, "failed")
        self.assertIn("does not open this off-site copy", wrong.note)
        self.assertEqual(self._sha256(log.path), log.sha256)

    def test_offsite_copy_is_sent_by_the_job_not_the_scheduled_call(self):
        self.plan.with_user(self.operator).action_run_backup()
        Plan = self.env["ctrl.backup.plan"]
        deadline = time.monotonic() + 120
        while (self.plan.sudo().run_job or {}).get("kind") != "offsite":
            self.assertEqual(self.plan.run_state in ("queued", "running"), True, self.plan.run_step)
            self.assertLess(time.monotonic(), deadline)
            Plan._cron_run_queued()
            time.sleep(0.1)
        # The call that recorded the local copy only started the off-site job: its log is not finished yet.
        log = self.plan.run_log_id
        self.assertEqual((log.result, self.plan.run_state), ("done", "running"))
        self.assertEqual(log.offsite_log_ids.note, "Started; not finished.")
        self.assertEqual(self.plan.run_step, "Sending the off-site copy.")
        # The job's command line (its spec) carries no credential: they are in its environment only.
        job = json.dumps(self.plan.sudo().run_job)
        key_lines = [line for line in self.user_key.splitlines() if len(line) > 20]
        self.assertTrue(key_lines)
        self.assertFalse([line for line in key_lines if line in job])
        self.assertEqual(self._run_queued(self.plan), log)
        self.assertEqual(log.offsite_log_ids.result, "done", log.offsite_log_ids.note)
        self.assertFalse(os.path.exists(json.loads(job)["status"]))  # the job's status file is removed

    def test_tampered_offsite_copy_is_not_restored(self):
        copy = self._backup().offsite_log_ids
        with open(copy.path, "ab") as handle:
            handle.write(b"tampered")
        _wizard, drill = self._drill(copy, self.age_private)
        self.assertEqual(drill.result, "failed")
        self.assertIn("no longer matches the checksum", drill.note)

    # ------------------------------------------------------------------ failures: failed log, local copy good
    def _assert_failed_copy(self, remote, reason):
        self.plan.with_user(self.manager).write({"offsite_remote_id": remote.id})
        self.plan.with_user(self.manager).action_submit()
        self._approve(self.plan, [self.dept_head, self.it_head])
        log = self._backup()
        copy = log.offsite_log_ids
        self.assertEqual(copy.result, "failed")
        self.assertIn(reason, copy.note)
        self.assertEqual(self._sha256(log.path), log.sha256)  # the local copy stays good
        self.assertTrue(self.plan._is_overdue(fields.Datetime.now()))
        return copy

    def test_unreachable_target_fails_its_copy_only(self):
        closed = free_port()
        remote = self._remote("Closed port", closed, password=SECRET_PASSWORD)
        copy = self._assert_failed_copy(remote, "did not accept")
        self.assertIn("connection refused", copy.note)
        self.assertNotIn(SECRET_PASSWORD, copy.note)

    def test_full_target_fails_and_leaves_no_file(self):
        target = os.path.join(self.tmp, "full")
        os.mkdir(target)
        remote = self._remote("Full SFTP", self.full_port, path=target)
        self._assert_failed_copy(remote, "did not accept")
        self.assertEqual(os.listdir(target), [])  # no partial file, under the final name or another

    # ------------------------------------------------------------------ retention on both copies
    def test_retention_prunes_own_offsite_files_only(self):
        first = self._backup()
        old, forged = first.offsite_log_ids, self._backup().offsite_log_ids
        self._age(old, 31)
        self._age(forged, 31)
        with open(forged.path, "ab") as handle:
            handle.write(b"changed on the target")
        self._backup()
        self.assertTrue(old.pruned, old.kept_reason)
        self.assertFalse(os.path.exists(old.path) or os.path.exists(old.filestore_path))
        self.assertFalse(forged.pruned)
        self.assertIn("no longer matches the checksum", forged.kept_reason)
        self.assertTrue(os.path.exists(forged.path))

    # ------------------------------------------------------------------ approval, access, validation
    def test_changing_the_target_sends_the_plan_back(self):
        self.assertEqual(self.plan.state, "approved")
        self.remote.with_user(self.manager).write({"remote_path": self.target + "/other"})
        self.assertEqual(self.plan.state, "draft")
        self.plan.with_user(self.manager).action_submit()
        self._approve(self.plan, [self.dept_head, self.it_head])
        other = self._remote("Other", self.port)
        self.plan.with_user(self.manager).write({"offsite_remote_id": other.id})
        self.assertEqual(self.plan.state, "draft")

    def test_operator_cannot_read_or_set_credentials_or_target(self):
        remote = self.remote.with_user(self.operator)
        self.assertEqual(remote.remote_path, self.target)  # the target itself is readable
        for field in ("password", "ssh_private_key"):
            with self.assertRaises(AccessError):
                remote.read([field])
        for vals in ({"password": "x"}, {"ssh_private_key": "x"}, {"remote_path": "elsewhere"},
                     {"options": "host = evil.example.com"}):
            with self.assertRaises(AccessError):
                remote.write(vals)
        with self.assertRaises(AccessError):
            self.plan.with_user(self.operator).write({"offsite_remote_id": False})
        with self.assertRaises(AccessError):
            self.env["ctrl.backup.offsite.restore"].with_user(self.operator).create({
                "log_id": False, "private_key": base64.b64encode(self.age_private)})
        log = self.env["ctrl.backup.log"].with_user(self.operator)
        manual = self._plan(name="Hand logged")
        with self.assertRaises(AccessError):
            log.create({"plan_id": manual.id, "remote_id": self.remote.id})

    def test_plan_approvers_see_the_target_not_its_credentials(self):
        """The department head who approves the plan reads where its copy goes, as the form shows it."""
        values = self.plan.with_user(self.dept_head).web_read({"offsite_remote_id": {"fields": {
            "display_name": {}, "remote_path": {}}}})[0]["offsite_remote_id"]
        self.assertEqual((values["display_name"], values["remote_path"]), (self.remote.name, self.target))
        with self.assertRaises(AccessError):
            self.remote.with_user(self.dept_head).read(["password"])

    def test_credentials_are_write_only_even_for_managers(self):
        remote = self.remote.with_user(self.manager)
        remote.write({"password": SECRET_PASSWORD})
        # Read back in the same request, as the form does after a save: empty.
        self.assertEqual(remote.read(["password", "ssh_private_key"])[0]["password"], False)
        self.assertFalse(remote.ssh_private_key)
        self.assertTrue(remote.has_credentials)
        Secret = self.env["ctrl.backup.remote.secret"].with_user(self.manager)
        with self.assertRaises(AccessError):
            Secret.search([("value", "ilike", "S3cret")])
        with self.assertRaises(AccessError):
            Secret.browse(remote.sudo()._secret_record().id).read(["value"])
        # An empty value keeps the stored credential.
        remote.write({"password": False})
        self.assertEqual(remote.sudo()._secrets()["password"], SECRET_PASSWORD)

    def test_target_names_and_options_validated(self):
        bad = [
            {"remote_path": "-backups"}, {"remote_path": "backups/../etc"}, {"remote_path": "--config=/x"},
            {"options": "ssh = /bin/sh -c id"}, {"options": "pass = plain"}, {"options": "--config = x"},
            {"options": "sha1sum_command = id"}, {"backend_type": "sftp --config"},
            {"age_recipient": "AGE-SECRET-KEY-1QQQQ"}, {"age_recipient": "age1short"},
        ]
        for vals in bad:
            with self.assertRaises(ValidationError, msg=vals):
                self.remote.with_user(self.manager).write(vals)
        with self.assertRaises(UserError):
            self.env["ctrl.backup.offsite"]._spec("-x")
