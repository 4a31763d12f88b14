# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
import hashlib
import os
import shutil
import signal
import stat
import tarfile
import tempfile
import time
import uuid
from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.ctrl_backup.models.ctrl_backup_restore_test import drop_scratch, run_pg_tool
from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params

from .common import CtrlBackupRealCase


@tagged("post_install", "-at_install")
class TestRealBackup(CtrlBackupRealCase):
    """pg_dump/pg_restore against a small committed database made for the test."""

    def test_backup_records_size_sha_and_restores(self):
        # Whatever the umask and the folder's mode, the backup is readable by the Odoo service only.
        os.chmod(self.folder, 0o755)
        self.addCleanup(os.umask, os.umask(0))
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "done", log.note)
        self.assertTrue(log.by_runner)
        self.assertTrue(os.path.exists(log.path) and os.path.exists(log.filestore_path))
        self.assertFalse([f for f in os.listdir(self.folder) if f.endswith(".part")])
        self.assertEqual(stat.S_IMODE(os.stat(self.folder).st_mode), 0o700)
        for path in (log.path, log.filestore_path):
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
        with open(log.path, "rb") as handle:
            self.assertEqual(log.sha256, hashlib.sha256(handle.read()).hexdigest())
        with open(log.filestore_path, "rb") as handle:
            self.assertEqual(log.filestore_sha256, hashlib.sha256(handle.read()).hexdigest())
        self.assertEqual(log.size, os.path.getsize(log.path) + os.path.getsize(log.filestore_path))
        with open(log.path, "rb") as handle:
            self.assertEqual(handle.read(5), b"PGDMP")  # custom format
        test = self._restore_test(self.plan)
        self.assertEqual(test.result, "done", test.note)
        self.assertEqual(test.restored_log_id, log)
        self.assertIn("account_move=2000/2000", test.note)
        self.assertIn("res_partner=500/500", test.note)
        # The scratch database is gone (this plan's scratch only: "_" is a LIKE wildcard, hence the escapes).
        conn = psycopg2.connect(dbname="postgres", **pg_params())
        with conn.cursor() as cr:
            cr.execute("SELECT datname FROM pg_database WHERE datname LIKE %s",
                       (r"ctrl\_restore\_%s\_%%" % self.plan.id,))
            self.assertEqual(cr.fetchall(), [])
        conn.close()
        # A dump changed since the run is not restored as if it were the backup.
        with open(log.path, "ab") as handle:
            handle.write(b"tampered")
        tampered = self._restore_test(self.plan)
        self.assertEqual(tampered.result, "failed")
        self.assertIn("no longer matches", tampered.note)

    def test_scratch_is_dropped_while_a_session_is_still_on_it(self):
        # A cancelled restore's pg_restore session can outlive its process for a moment: the scratch still goes.
        scratch = "ctrl_restore_0_%s" % uuid.uuid4().hex[:12]
        run_pg_tool("createdb", "--template=template0", "--", scratch, check=True)
        self.addCleanup(run_pg_tool, "dropdb", "--if-exists", "--", scratch)
        lingering = psycopg2.connect(dbname=scratch, **pg_params())
        self.addCleanup(lingering.close)
        self.assertEqual(drop_scratch(scratch), "")
        conn = psycopg2.connect(dbname="postgres", **pg_params())
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (scratch,))
            self.assertIsNone(cr.fetchone())
        conn.close()

    def _source_execute(self, query):
        conn = psycopg2.connect(dbname=self.source_db, **pg_params())
        with conn, conn.cursor() as cr:
            cr.execute(query)
        conn.close()

    def test_restore_test_compares_with_the_backup_not_the_live_database(self):
        log = self._run_backup(self.plan)
        self.assertEqual(log.row_counts, {"account_move": 2000, "res_partner": 500})
        # A live database moves on after its backup: the restore test still compares with what was dumped.
        self._source_execute("INSERT INTO res_partner (name) SELECT 'late' FROM generate_series(1, 7)")
        self.addCleanup(self._source_execute, "DELETE FROM res_partner WHERE name = 'late'")
        test = self._restore_test(self.plan)
        self.assertEqual((test.result, test.restored_log_id), ("done", log), test.note)
        self.assertIn("res_partner=500/500", test.note)
        with self.assertRaises(AccessError), self.cr.savepoint():
            log.with_user(self.manager).write({"row_counts": {"res_partner": 507}})

    def test_filestore_is_archived_with_the_dump(self):
        filestore = config.filestore(self.source_db)
        os.makedirs(os.path.join(filestore, "ab"))
        self.addCleanup(shutil.rmtree, filestore, True)
        with open(os.path.join(filestore, "ab", "abcdef"), "wb") as handle:
            handle.write(b"attachment body" * 1000)
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "done", log.note)
        with tarfile.open(log.filestore_path) as tar:
            member = tar.extractfile("filestore/ab/abcdef")
            self.assertEqual(member.read(), b"attachment body" * 1000)

    def _age(self, log, days):
        self.env.flush_all()
        self.env.cr.execute("UPDATE ctrl_backup_log SET \"end\" = %s WHERE id = %s",
                            (fields.Datetime.now() - timedelta(days=days), log.id))
        log.invalidate_recordset()

    def _log_of_files(self, file, by_runner=True, **vals):
        """A log as a forged or older release's log could be: made on the server, with ``file``'s checksum."""
        with open(file, "rb") as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        log = self.env["ctrl.backup.log"].create({
            "plan_id": self.plan.id, "result": "done", "by_runner": by_runner, "path": file, "sha256": digest,
            "start": fields.Datetime.now() - timedelta(days=40), "end": fields.Datetime.now() - timedelta(days=40),
            **vals,
        })
        return log

    def _file(self, folder, name, body=b"company data"):
        path = os.path.join(folder, name)
        with open(path, "wb") as handle:
            handle.write(body)
        return path

    def test_prune_deletes_only_the_runners_own_files(self):
        folder = self._empty_folder()
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "done")
        self._age(log, 31)
        outside = tempfile.mkdtemp(prefix="ctrl_bk_victim_")
        self.addCleanup(shutil.rmtree, outside, True)
        stamp = "20260101-000000"
        victim = self._file(outside, "Odoo DB-%s.dump" % stamp)
        forged = {
            "outside the folder": self._log_of_files(victim),
            "not the run's own": self._log_of_files(self._file(folder, "Odoo DB-%s.dump" % stamp),
                                                    by_runner=False),
            "not named by the rule": self._log_of_files(self._file(folder, "payroll.xlsx")),
            "changed since": self._log_of_files(self._file(folder, "Odoo DB-20260102-000000.dump")),
        }
        with open(forged["changed since"].path, "ab") as handle:
            handle.write(b" and more")
        # A link in the folder, named like a backup, to a file elsewhere.
        link = os.path.join(folder, "Odoo DB-20260103-000000.dump")
        os.symlink(victim, link)
        forged["a link"] = self._log_of_files(victim, path=link)
        pruned = self.env["ctrl.backup.runner"]._prune(self.plan)
        self.assertEqual(pruned, log)
        self.assertTrue(log.pruned)
        self.assertFalse(os.path.exists(log.path) or os.path.exists(log.filestore_path))
        for what, kept in forged.items():
            self.assertFalse(kept.pruned, what)
            self.assertTrue(kept.kept_reason, what)
            self.assertTrue(os.path.lexists(kept.path), what)
        self.assertTrue(os.path.exists(victim))
        report = self.plan.message_ids[0].body
        self.assertIn("kept, not deleted", report)
        self.assertIn("payroll.xlsx", report)
        # Reported once: the next pruning leaves them alone and says nothing more.
        messages = len(self.plan.message_ids)
        self.assertFalse(self.env["ctrl.backup.runner"]._prune(self.plan))
        self.assertEqual(len(self.plan.message_ids), messages)

    def _use_pg_dump(self, script):
        """Run this plan's backups with ``script`` as pg_dump: a real executable in a folder set as Odoo's
        pg_path (the --pg_path option) for the rest of the test."""
        bindir = tempfile.mkdtemp(prefix="ctrl_bk_bin_")
        self.addCleanup(shutil.rmtree, bindir, True)
        path = os.path.join(bindir, "pg_dump")
        with open(path, "w", encoding="utf-8") as handle:
            handle.write("#!/bin/sh\n"
                         "# Stand-in for pg_dump: starts the archive in the --file like the real one.\n"
                         "for arg; do case \"$arg\" in --file=*) out=\"${arg#--file=}\";; esac; done\n"
                         "printf 'PGDMP half an archive' > \"$out\"\n" + script)
        os.chmod(path, os.stat(path).st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)
        self.addCleanup(config.__setitem__, "pg_path", config["pg_path"])
        config["pg_path"] = bindir

    def _empty_folder(self):
        """Point the plan at a folder of its own, to see what the run leaves behind."""
        folder = tempfile.mkdtemp(prefix="ctrl_bk_run_")
        self.addCleanup(shutil.rmtree, folder, True)
        self._move_plan(folder)
        return folder

    def _move_plan(self, folder=None, **vals):
        """A new folder or database sends the plan back to draft: approve it again."""
        self.plan.write(dict(vals, folder=folder) if folder else vals)
        self.assertEqual(self.plan.state, "draft")
        self.plan.with_user(self.manager).action_submit()
        self._approve(self.plan, [self.dept_head, self.it_head])

    def _assert_no_backup_file(self, folder):
        self.assertEqual(os.listdir(folder), [],
                         "neither a half-written .part nor a file with the final name may remain")

    def test_failed_dump_leaves_failed_log(self):
        # The real pg_dump fails (the database was dropped after the plan's approval): the log stays failed with
        # the reason, no file remains.
        missing = "ctrl_missing_%s" % uuid.uuid4().hex[:6]
        run_pg_tool("createdb", "--template=template0", "--", missing, check=True)
        self.addCleanup(run_pg_tool, "dropdb", "--if-exists", "--", missing)
        self._move_plan(source_database=missing)
        run_pg_tool("dropdb", "--", missing, check=True)
        folder = self._empty_folder()
        failed = self._run_backup(self.plan)
        self.assertEqual(failed.result, "failed")
        self.assertIn("pg_dump failed", failed.note)
        self.assertIn(missing, failed.note)
        self.assertFalse(failed.path or failed.sha256)
        self._assert_no_backup_file(folder)

    def test_pg_dump_gets_names_as_option_values(self):
        # What pg_dump receives: every name is the value of its own option, so none can be read as an option.
        record = os.path.join(tempfile.mkdtemp(prefix="ctrl_bk_argv_"), "argv")
        self.addCleanup(shutil.rmtree, os.path.dirname(record), True)
        self._use_pg_dump('printf "%%s\\n" "$@" > "%s"\nexit 1\n' % record)
        folder = self._empty_folder()
        self._run_backup(self.plan)
        with open(record, encoding="utf-8") as handle:
            args = handle.read().splitlines()
        self.assertEqual(len(args), 5, args)
        self.assertEqual(args[:2], ["--format=custom", "--no-owner"])
        self.assertTrue(args[2].startswith("--snapshot="), args[2])
        self.assertTrue(args[3].startswith("--file=%s/Odoo DB-" % folder), args[3])
        self.assertEqual(args[4], "--dbname=" + self.source_db)

    def test_dump_exiting_non_zero_leaves_failed_log(self):
        self._use_pg_dump("echo 'pg_dump: error: could not write to output file: No space left on device' >&2\n"
                          "exit 1\n")
        folder = self._empty_folder()
        failed = self._run_backup(self.plan)
        self.assertEqual(failed.result, "failed")
        self.assertIn("No space left on device", failed.note)
        self._assert_no_backup_file(folder)

    def test_dump_killed_mid_write_leaves_failed_log(self):
        # pg_dump dies half-way through the archive (the OOM killer, an operator's kill -9).
        self._use_pg_dump("kill -KILL $$\n")
        folder = self._empty_folder()
        failed = self._run_backup(self.plan)
        self.assertEqual(failed.result, "failed")
        self.assertIn("killed (signal %s)" % int(signal.SIGKILL), failed.note)
        self.assertFalse(failed.path or failed.sha256)
        self._assert_no_backup_file(folder)
        self.assertFalse(self.plan.last_done)

    def test_folder_removed_during_run_leaves_failed_log(self):
        # The backup folder disappears while pg_dump runs (a disk unmounted, a cleanup script).
        self._use_pg_dump('rm -rf "$(dirname "$out")"\n')
        folder = self._empty_folder()
        failed = self._run_backup(self.plan)
        self.assertEqual(failed.result, "failed")
        self.assertIn("Failed", failed.note)
        self.assertFalse(failed.path or failed.sha256)
        self.assertFalse(os.path.exists(folder))

    def test_interrupted_run_is_failed_not_done(self):
        # The backup's process is interrupted (Ctrl-C, SIGINT) while pg_dump is writing: the run stops at once,
        # its log is failed, and the half-written archive is removed.
        self._use_pg_dump("sleep 0.2\nkill -INT $PPID\nexec sleep 30\n")
        folder = self._empty_folder()
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "failed")
        self.assertIn("stopped", log.note)
        self.assertFalse(log.path or log.sha256)
        self.assertEqual(self.plan.run_state, "failed")
        self._assert_no_backup_file(folder)

    def test_run_killed_outright_is_failed_not_done(self):
        # The backup's process is killed (kill -9, the OOM killer) while pg_dump is writing: it leaves no result,
        # the next look at it finds it gone, fails the run and removes the half-written files.
        self._use_pg_dump("kill -KILL $PPID\nsleep 0.5\n")
        folder = self._empty_folder()
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "failed")
        self.assertIn("stopped before it finished", log.note)
        self.assertFalse(log.path or log.sha256)
        time.sleep(0.6)  # the stand-in pg_dump, orphaned, ends
        self._assert_no_backup_file(folder)

    def test_missing_folder_refused(self):
        self._move_plan(os.path.join(self.folder, "missing"))
        with self.assertRaisesRegex(UserError, "does not exist"):
            self.plan.action_run_backup()
        self.assertFalse(self.plan.log_ids)

    def test_read_only_folder_refused(self):
        self._move_plan("/proc/sys")
        with self.assertRaisesRegex(UserError, "not writable"):
            self.plan.action_run_backup()
        self.assertFalse(self.plan.log_ids)

    def test_unapproved_plan_does_not_run(self):
        draft = self._plan(name="Draft DB", plan_type="odoo_db", folder=self.folder)
        with self.assertRaisesRegex(UserError, "not approved yet"):
            draft.action_run_backup()
        self.assertFalse(draft.log_ids)

    def test_monthly_restore_test_cron(self):
        log = self._run_backup(self.plan)
        self.assertEqual(log.result, "done", log.note)
        queued = self.env["ctrl.backup.plan"]._cron_restore_test()
        self.assertIn(self.plan, queued)
        self.assertEqual((self.plan.run_state, self.plan.run_kind), ("queued", "restore_test"))
        mine = self._run_queued(self.plan)
        self.assertEqual(mine.kind, "restore_test")
        self.assertEqual(mine.result, "done", mine.note)
        self.assertEqual(mine.restored_log_id, log)

    def test_keep_forever_is_never_pruned(self):
        log = self._run_backup(self.plan)
        self.plan.keep_forever = True
        self._age(log, 400)
        self.assertFalse(self.env["ctrl.backup.runner"]._prune(self.plan))
        self.assertTrue(os.path.exists(log.path))

    def test_full_folder_refused(self):
        with self.assertRaisesRegex(UserError, "MB free"):
            self.env["ctrl.backup.runner"]._prepare_folder(
                self.plan, needed_bytes=shutil.disk_usage(self.folder).free + 2**30)
