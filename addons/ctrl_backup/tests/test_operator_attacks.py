# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Issue 19: what a backup operator or manager could do to the server through the backup screens, refused.
Each attack is made as an RPC client would: public methods with the client's arguments, create and write,
context keys, by a user holding only their backup group."""
import inspect
import os
import shutil
import tempfile

from odoo import fields
from odoo.api import call_kw
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.models import check_method_name
from odoo.tests import new_test_user, tagged

from .common import CtrlBackupCase


@tagged("post_install", "-at_install")
class TestOperatorAttacks(CtrlBackupCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_operator = new_test_user(cls.env, "bk_op_att2", groups="ctrl_backup.group_backup_operator")
        cls.clerk = new_test_user(cls.env, "bk_op_att_clerk", groups="base.group_user")
        cls.folder = tempfile.mkdtemp(prefix="ctrl_bk_att_")
        cls.addClassCleanup(shutil.rmtree, cls.folder, True)

    def _db_plan(self, **vals):
        return self._approved_plan(name="ERP", plan_type="odoo_db", folder=self.folder, **vals)

    def _runner_log(self, plan, **vals):
        """A log as the backup run writes it (the run itself is exercised in test_real_backup)."""
        return self.env["ctrl.backup.log"].create({
            "plan_id": plan.id, "by_runner": True, "operator_id": self.operator.id, "result": "done",
            "path": os.path.join(self.folder, "ERP-20260101-000000.dump"), "sha256": "ab" * 32, "size": 10,
            "source": self.env.cr.dbname, "start": "2026-01-01 00:00:00", "end": "2026-01-01 00:10:00", **vals,
        })

    # ------------------------------------------------------------------ 1. only its own database
    def test_run_backup_takes_no_database_path_or_option_from_the_client(self):
        plan = self._db_plan()
        Plan = self.env["ctrl.backup.plan"].with_user(self.operator)
        for args, kwargs in ((["postgres"], {}), (["--file=%s/stolen" % self.folder], {}),
                             ([], {"dbname": "postgres"}), ([], {"log": 1})):
            for method in ("action_run_backup", "action_restore_test"):
                with self.assertRaises(TypeError, msg=(method, args, kwargs)):
                    call_kw(Plan, method, [[plan.id], *args], kwargs)
        self.assertFalse(plan.log_ids)
        self.assertEqual(os.listdir(self.folder), [])
        # The runner and the restore test are private: no client reaches them, with or without arguments.
        for model, name in (("ctrl.backup.runner", "_start_backup"), ("ctrl.backup.runner", "_finish_backup"),
                            ("ctrl.backup.runner", "_start_job"), ("ctrl.backup.runner", "_prune"),
                            ("ctrl.backup.restore.test", "_start"), ("ctrl.backup.restore.test", "_finish"),
                            ("ctrl.backup.plan", "_cron_run_queued"), ("ctrl.backup.plan", "_advance_run")):
            self.assertTrue(hasattr(self.env[model], name))
            with self.assertRaises(AccessError):
                check_method_name(name)

    def test_no_public_method_takes_a_database_path_or_option(self):
        allowed = {"self", "vals", "vals_list", "custodian"}
        for model in ("ctrl.backup.plan", "ctrl.backup.log", "ctrl.backup.runner", "ctrl.backup.restore.test"):
            for cls in type(self.env[model]).mro():
                if not cls.__module__.startswith("odoo.addons.ctrl_backup."):
                    continue
                for name, method in vars(cls).items():
                    if name.startswith("_") or not inspect.isfunction(method):
                        continue
                    params = set(inspect.signature(method).parameters)
                    self.assertLessEqual(params, allowed, "%s.%s" % (model, name))

    def test_source_database_is_a_database_name_of_this_server(self):
        plan = self._plan(name="ERP", plan_type="odoo_db", folder=self.folder).with_user(self.manager)
        for name in ("--file=/etc/cron.d/x", "-Z9", "host=evil dbname=x", "postgresql://evil/x", "a b",
                     "x;DROP", "ctrl_no_such_database_%s" % os.getpid()):
            with self.assertRaises(ValidationError, msg=name):
                plan.write({"source_database": name})
        self.assertFalse(plan.source_database)
        # Only a backup manager names another database, and that sends an approved plan back for approval.
        approved = self._db_plan()
        with self.assertRaises(AccessError):
            approved.with_user(self.operator).write({"source_database": self.env.cr.dbname})
        approved.with_user(self.manager).write({"source_database": self.env.cr.dbname})
        self.assertEqual(approved.state, "draft")
        self.assertIn("Database", approved.message_ids[0].body)
        with self.assertRaisesRegex(UserError, "not approved"):
            approved.with_user(self.operator).action_run_backup()

    def test_only_backup_staff_run_backups(self):
        plan = self._db_plan()
        with self.assertRaises(AccessError):
            plan.with_user(self.clerk).action_run_backup()
        self.assertFalse(plan.log_ids)
        self.assertFalse(plan.run_state)

    def test_the_run_is_the_servers(self):
        # A client neither queues, fakes nor steers a run by writing the plan's run fields: only the buttons and
        # the scheduled action set them.
        plan = self._db_plan()
        log = self._runner_log(plan)
        job = {"kind": "backup", "dump": "/etc/passwd", "status": "/tmp/x", "token": "x"}
        for user in (self.operator, self.manager):
            for vals in ({"run_state": "queued"}, {"run_state": "done", "run_log_id": log.id},
                         {"run_kind": "restore_test"}, {"run_step": "Finished."}, {"run_user_id": self.checker.id},
                         {"run_job": job}):
                with self.assertRaises(AccessError, msg=(user.login, vals)):
                    plan.with_user(user).write(vals)
                with self.assertRaises(AccessError, msg=(user.login, vals)):
                    self._plan(name="Forged %s" % user.login).with_user(user).write(vals)
        self.assertFalse(plan.run_state or plan.run_log_id)
        # Nor through a context key of the client's.
        plan.with_user(self.operator).with_context(ctrl_backup_run_job=job, run_state="done").action_run_backup()
        self.assertEqual(plan.run_state, "queued")
        self.assertEqual(plan.sudo().run_job, False)
        # What the server keeps of the job is not even readable by backup staff.
        with self.assertRaises(AccessError):
            plan.with_user(self.manager).read(["run_job"])

    # ------------------------------------------------------------------ 2. logs are evidence
    def test_runner_logs_cannot_be_made_or_changed_by_hand(self):
        plan = self._db_plan()
        log = self._runner_log(plan, result="failed", sha256=False, size=0, path=False, end=False)
        for user in (self.operator, self.manager):
            client = log.with_user(user).with_context(ctrl_backup_keep_approval=True)
            for vals in ({"result": "done"}, {"sha256": "00" * 32}, {"path": "/etc/passwd"}, {"size": 1},
                         {"end": fields.Datetime.now()}, {"start": "2020-01-01 00:00:00"},
                         {"checked_by_id": self.checker.id}, {"note": "all fine"}, {"source": "postgres"},
                         {"by_runner": False}, {"kept_reason": "x"}, {"filestore_sha256": "00" * 32}):
                with self.assertRaises(AccessError, msg=(user.login, vals)):
                    client.write(vals)
            with self.assertRaises(UserError):
                log.with_user(user).unlink()
        self.assertEqual((log.result, log.sha256, log.path, log.note), ("failed", False, False, False))
        # Nor does a hand-made log pass for the run's own, on any plan.
        manual = self._plan(name="Tapes")
        for target in (plan, manual):
            for vals in ({"by_runner": True}, {"path": "/var/lib/odoo/x.dump"}, {"filestore_sha256": "00" * 32},
                         {"kept_reason": "x"}):
                with self.assertRaises(AccessError, msg=(target.name, vals)):
                    self.env["ctrl.backup.log"].with_user(self.operator).create({"plan_id": target.id, **vals})
        self.assertFalse(manual.log_ids)
        log.with_user(self.operator).message_post(body="Disk was full that night.")
        self.assertIn("Disk was full", log.message_ids[0].body)

    def test_only_the_named_checker_verifies(self):
        plan = self._db_plan()
        log = self._runner_log(plan)
        for user in (self.operator, self.other_operator, self.manager):
            with self.assertRaises(UserError):
                log.with_user(user).action_verify()
        self.assertFalse(log.checked_by_id)
        # The checker must hold a backup role, when named and when verifying.
        with self.assertRaisesRegex(ValidationError, "not backup staff"):
            plan.with_user(self.manager).write({"checker_id": self.clerk.id})
        with self.assertRaisesRegex(ValidationError, "not backup staff"):
            self._plan(name="Clerk checks", checker_id=self.clerk.id)
        self.checker.sudo().write({"groups_id": [fields.Command.unlink(
            self.env.ref("ctrl_backup.group_backup_operator").id)]})
        with self.assertRaises(AccessError):
            log.with_user(self.checker).action_verify()
        self.assertFalse(log.checked_by_id)

    def test_custody_goes_to_a_company_user_only(self):
        log = self._runner_log(self._db_plan())
        portal = new_test_user(self.env, "bk_op_att_portal", groups="base.group_portal")
        with self.assertRaises(UserError):
            log.with_user(self.operator).action_hand_over(portal.id)
        self.assertFalse(log.custodian_id)

    # ------------------------------------------------------------------ 4. naming rule and folder
    def test_naming_rule_takes_known_placeholders_only(self):
        plan = self._plan(name="Names").with_user(self.manager)
        for rule in ("%(date)s%(plan)999999999s", "%(date)s%(plan)-5s", "%(date)s%(seq).3s", "%(date)s-%d",
                     "%(date)s-%(db)s", "%(date)s%", "%(plan)s/%(date)s", "%(date)s" + "x" * 200):
            with self.assertRaises(ValidationError, msg=rule):
                plan.write({"naming_rule": rule})
        plan.write({"naming_rule": "100%%-%(plan)s-%(date)s-%(seq)s"})
        stem = plan._backup_stem()
        self.assertTrue(stem.startswith("100%-Names-"), stem)
        pattern = plan._backup_file_pattern()
        self.assertTrue(pattern.fullmatch(stem + ".dump"))
        self.assertTrue(pattern.fullmatch(stem + ".filestore.tar"))
        self.assertFalse(pattern.fullmatch(stem + ".dump.sh"))
        self.assertFalse(pattern.fullmatch("payroll.xlsx"))

    def test_folder_is_a_folder_of_its_own(self):
        plan = self._plan(name="Folders").with_user(self.manager)
        for folder in ("/", "/tmp", "/etc", "backups/odoo", "/var/backups/../../etc", "/var/./backups"):
            with self.assertRaises(ValidationError, msg=folder):
                plan.write({"folder": folder})
        plan.write({"folder": "/var/backups/odoo"})
        # A folder other users share (like /tmp, reached through a link) is refused at run time.
        holder = tempfile.mkdtemp(prefix="ctrl_bk_link_")
        self.addCleanup(shutil.rmtree, holder, True)
        link = os.path.join(holder, "shared")
        os.symlink("/tmp", link)
        plan.write({"plan_type": "odoo_db", "folder": link})
        with self.assertRaisesRegex(UserError, "shared with other users"):
            self.env["ctrl.backup.runner"]._prepare_folder(plan)
        self.assertEqual(os.stat("/tmp").st_mode & 0o7777, 0o1777)

    # ------------------------------------------------------------------ 5. approved only as approved
    def test_changes_to_an_approved_plan_send_it_back_for_approval(self):
        plan = self._db_plan()
        changes = {
            "source_database": self.env.cr.dbname, "folder": self.folder + "/other", "offsite_copy": True,
            "retention_days": 60, "keep_forever": True, "schedule": "weekly", "executor_id": self.other_operator.id,
            "checker_id": self.operator.id, "naming_rule": "x-%(date)s", "plan_type": "manual",
        }
        for name, value in changes.items():
            if plan.state != "approved":
                plan.with_user(self.manager).action_submit()
                self._approve(plan, [self.dept_head, self.it_head])
            plan.with_user(self.manager).with_context(ctrl_backup_keep_approval=True).write({name: value})
            self.assertEqual(plan.state, "draft", name)
            self.assertFalse(plan.approved_on, name)
            body = plan.message_ids[0].body
            self.assertIn(plan._fields[name].string, body, name)
            self.assertIn("approved again", body, name)
