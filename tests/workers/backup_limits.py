# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A backup longer than Odoo's time limits of a worker completes and is verified (issue 19 item 6).

Copies the test database (ctrl_backup installed), makes an approved plan of type "This Odoo database" that
backs up a small database of its own, and starts Odoo on the copy with ``--workers=2 --limit-time-real=5
--limit-time-cpu=2`` and a cron worker. Then, over JSON-RPC only:

1. admin presses Run backup while a transaction on the source database holds a table locked, so pg_dump waits
   for it for HOLD seconds (more than three times the real-time limit);
2. the runs' scheduled action is run manually (in an HTTP worker, under the 5 s / 2 s limits) every second,
   and by the cron worker when triggered;
3. meanwhile the job's process and its pg_dump are checked: they run without the worker's CPU limit;
4. the lock is released; the scheduled action records the result.

Checks: the button and every call returned within the limit and no worker was killed for a limit, the dump
took longer than the limit, the run is done, its log's size and SHA-256 match the file, the server log has no
traceback. Prints one line ``backup limits: ...`` (failures as ``FAILED: ...`` on stderr before it); exits 1
when a check fails.

    python tests/workers/backup_limits.py --conf ~/.local/share/ctrl/odoo-<hash>-test.conf --source-db ctrl_test
"""
import argparse
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg2
import requests

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from scenario import Scenario, log

# The lowest real-time limit Odoo's prefork server bears: an idle HTTP worker waits 4 s (its beat) between
# watchdog pings, so under a limit of 4 s or less the master kills idle workers, and the requests they have
# just accepted with them.
LIMIT_REAL, LIMIT_CPU = 5, 2
# The cron worker sleeps up to 70 s between its rounds and is killed when that outlasts its own limit: its
# limit stays above that sleep; the low limits are those of the HTTP workers, where the runs' scheduled action
# is run manually below.
LIMIT_REAL_CRON = 120
RUNS_CRON = "ctrl_backup.ir_cron_backup_runs"

PREPARE = """

env = env(context=dict(env.context, tracking_disable=True, mail_notrack=True))
spec = SPEC
Users = env["res.users"].with_context(no_reset_password=True)
def user(login, groups):
    return Users.create({"name": login.replace("_", " ").title(), "login": login, "password": login,
                         "groups_id": [(6, 0, [env.ref(g).id for g in groups])]})
operator = user("limits_operator", ["ctrl_backup.group_backup_operator"])
checker = user("limits_checker", ["ctrl_backup.group_backup_operator"])
manager = user("limits_manager", ["ctrl_backup.group_backup_manager"])
head = user("limits_dept_head", ["base.group_user", "ctrl_base.group_approver_department_head"])
it_head = user("limits_it_head", ["base.group_user", "ctrl_base.group_approver_it_head"])
department = env["hr.department"].create({"name": "Limits test"})
department.manager_id = env["hr.employee"].create({"name": "Head", "user_id": head.id})
plan = env["ctrl.backup.plan"].with_user(manager).create({
    "name": "Limits", "plan_type": "odoo_db", "folder": spec["folder"], "source_database": spec["source"],
    "data_class": "important", "schedule": "daily", "retention_days": 30, "executor_id": operator.id,
    "checker_id": checker.id, "department_id": department.id})
plan.action_submit()
request = plan.sudo().ctrl_approval_ids.filtered(lambda r: r.state == "pending")
request.with_user(head).action_approve()
request.with_user(it_head).action_approve()
assert plan.sudo().state == "approved", plan.sudo().state
env.cr.commit()
print("PLAN_ID=%s" % plan.id)
"""


class BackupLimits(Scenario):
    def __init__(self, args):
        super().__init__(args)
        self.source = "ctrl_limits_src_%s" % uuid.uuid4().hex[:8]
        self.folder = os.path.join(tempfile.gettempdir(), "ctrl-limits-%s" % uuid.uuid4().hex[:8])
        self.calls_s = []
        self.facts = {}

    # ------------------------------------------------------------------ setup
    def make_source(self):
        self.sql(f'CREATE DATABASE "{self.source}"', dbname="postgres")
        self.sql("CREATE TABLE account_move (id serial primary key, amount numeric)", dbname=self.source)
        self.sql("INSERT INTO account_move (amount) SELECT g FROM generate_series(1, 20000) g", dbname=self.source)
        os.mkdir(self.folder, 0o700)

    def make_plan(self):
        code = PREPARE.replace("SPEC", repr({"folder": self.folder, "source": self.source}))
        proc = subprocess.run(
            [sys.executable, self.args.odoo_bin, "shell", "-c", self.args.conf, "-d", self.db, "--no-http",
             "--log-level=warn"], input=code, capture_output=True, text=True, timeout=600, check=False)
        ids = [line.split("=", 1)[1] for line in proc.stdout.splitlines() if line.startswith("PLAN_ID=")]
        if not ids:
            raise SystemExit(f"FAILED: could not make the plan: {proc.stdout[-800:]} {proc.stderr[-2000:]}")
        self.plan_id = int(ids[0])

    def start_odoo(self):
        self.port, self.gevent_port = self.free_port(), self.free_port()
        while self.gevent_port == self.port:
            self.gevent_port = self.free_port()
        cmd = [sys.executable, self.args.odoo_bin, "-c", self.args.conf, "-d", self.db, f"--db-filter=^{self.db}$",
               f"--http-port={self.port}", f"--gevent-port={self.gevent_port}", "--http-interface=127.0.0.1",
               "--workers=2", "--max-cron-threads=1", f"--limit-time-real={LIMIT_REAL}",
               f"--limit-time-cpu={LIMIT_CPU}", f"--limit-time-real-cron={LIMIT_REAL_CRON}", "--log-level=info",
               f"--logfile={self.logfile}"]
        env = {key: value for key, value in os.environ.items() if key != "ODOO_PGAPPNAME"}
        if os.path.exists(self.logfile):
            os.unlink(self.logfile)
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}"
        deadline = time.time() + 180
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"FAILED: Odoo exited at start (log: {self.logfile})")
            try:
                resp = requests.post(self.url + "/web/webclient/version_info", json={"params": {}}, timeout=10)
                if resp.ok and "result" in resp.json():
                    return
            except requests.RequestException:
                pass
            time.sleep(1)
        raise SystemExit(f"FAILED: Odoo did not answer on {self.url} in 180 s (log: {self.logfile})")

    def authenticate(self):
        """The login hashes admin's password and maps the routes in a worker under the low limit: on a busy
        machine it may be cut, which is not what is tested here, so it is tried again."""
        for attempt in range(5):
            try:
                return super().authenticate()
            except (requests.ConnectionError, SystemExit) as error:
                log(f"login attempt {attempt + 1} cut ({str(error)[:100]}), trying again")
                time.sleep(1)
        raise SystemExit("FAILED: admin could not log in within the limits")

    # ------------------------------------------------------------------ the run
    def timed(self, what, model, method, *args):
        start = time.time()
        ok, result = self.call("admin", model, method, *args, counter="cron")
        took = time.time() - start
        self.calls_s.append(took)
        if took >= LIMIT_REAL:
            self.fail(f"{what} took {took:.1f} s, more than the {LIMIT_REAL} s limit")
        # A worker killed for a limit answers no call; the cron worker holding the scheduled action is no failure.
        if not ok and "cannot be modified right now" not in str(result):
            self.fail(f"{what} failed: {result}")
        return ok, result

    def plan_row(self):
        rows = self.sql("SELECT run_state, run_job, run_log_id FROM ctrl_backup_plan WHERE id = %s", [self.plan_id])
        return rows[0]

    def check_limits_of(self, pid, what):
        """The job and its pg_dump run without the HTTP worker's CPU limit (soft = hard)."""
        try:
            text = Path(f"/proc/{pid}/limits").read_text()
        except OSError:
            return
        line = next(ln for ln in text.splitlines() if ln.startswith("Max cpu time"))
        soft, hard = line.split()[3:5]
        self.facts[f"{what}_cpu_limit"] = soft
        if soft != hard:
            self.fail(f"{what} runs with the worker's CPU limit ({line.strip()})")

    def run_backup(self, hold):
        cron_id = self.must("ir.model.data", "check_object_reference", *RUNS_CRON.split("."))[1]
        holder = self.connect(self.source)
        with holder.cursor() as cr:
            cr.execute("LOCK TABLE account_move IN ACCESS EXCLUSIVE MODE")
        ok, action = self.timed("Run backup", "ctrl.backup.plan", "action_run_backup", [self.plan_id])
        if not ok or action.get("tag") != "display_notification":
            self.fail(f"Run backup did not answer with a notification: {action}")
        started = None
        job = None
        while True:
            self.timed("the runs' scheduled action", "ir.cron", "method_direct_trigger", [cron_id])
            state, job, _log_id = self.plan_row()
            if state == "running" and started is None:
                started = time.time()
            if started and job and not self.facts.get("job_cpu_limit"):
                status = self.read_json(job["status"])
                if status and status.get("pid"):
                    self.check_limits_of(status["pid"], "job")
                    children = self.children_of(status["pid"])
                    if children:
                        self.check_limits_of(children[0], "pg_dump")
            if started and time.time() - started >= hold:
                break
            if state in ("done", "failed") or time.time() - self.t0 > self.args.wait:
                self.fail(f"the run is {state} while pg_dump should still wait for the lock")
                break
            time.sleep(1)
        holder.rollback()
        holder.close()
        deadline = time.time() + self.args.wait
        while time.time() < deadline:
            self.timed("the runs' scheduled action", "ir.cron", "method_direct_trigger", [cron_id])
            state, _job, log_id = self.plan_row()
            if state in ("done", "failed"):
                return log_id
            time.sleep(1)
        self.fail(f"the run did not finish in {self.args.wait} s after the lock was released")
        return None

    @staticmethod
    def read_json(path):
        try:
            return json.loads(Path(path).read_text())
        except (OSError, ValueError):
            return None

    @staticmethod
    def children_of(pid):
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == pid:
                        pids.append(int(entry.name))
                except OSError:
                    continue
        return pids

    def check_result(self, log_id):
        state = self.plan_row()[0]
        if state != "done":
            self.fail(f"the run ended {state}")
        rows = self.sql('SELECT result, path, size, sha256, filestore_path, extract(epoch FROM "end" - start) '
                        "FROM ctrl_backup_log WHERE id = %s", [log_id])
        result, path, size, sha256, filestore_path, seconds = rows[0]
        self.facts["dump_s"] = round(float(seconds), 1)
        if result != "done":
            self.fail(f"the run's log is {result}")
            return
        if float(seconds) <= LIMIT_REAL:
            self.fail(f"the dump took {seconds} s: not longer than the {LIMIT_REAL} s limit, nothing was shown")
        digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
        if digest != sha256:
            self.fail("the log's SHA-256 is not the dump's")
        if size != os.path.getsize(path) + os.path.getsize(filestore_path):
            self.fail("the log's size is not the files'")
        if Path(path).read_bytes()[:5] != b"PGDMP":
            self.fail("the dump is not a pg_dump archive")
        self.facts["verified"] = 1

    def check_log(self):
        super().check_log()
        text = Path(self.logfile).read_text(errors="replace") if os.path.exists(self.logfile) else ""
        for sign in ("timeout after", "CPU time limit exceeded", "virtual real time limit"):
            if sign in text:
                self.fail(f"a worker hit a limit: '{sign}' in the server log")

    def cleanup(self):
        super().cleanup()
        try:
            self.sql(f'DROP DATABASE IF EXISTS "{self.source}"', dbname="postgres")
        except psycopg2.Error as error:
            log(f"could not drop {self.source}: {error}")
        shutil.rmtree(self.folder, ignore_errors=True)

    def run(self):
        try:
            self.copy_database()
            self.prepare_database()
            self.make_source()
            self.make_plan()
            self.start_odoo()
            self.authenticate()
            log_id = self.run_backup(self.args.hold)
            if log_id:
                self.check_result(log_id)
            self.stop_odoo()
            self.check_log()
        except SystemExit as error:
            self.fail(str(error).removeprefix("FAILED: "))
        finally:
            self.cleanup()
        for failure in self.failures:
            log(f"FAILED: {failure}")
        if self.failures:
            log(f"server log: {self.logfile}")
        elif not self.args.logfile:
            os.unlink(self.logfile)
        facts = " ".join(f"{key}={value}" for key, value in sorted(self.facts.items()))
        print(f"backup limits: limit_real={LIMIT_REAL} limit_cpu={LIMIT_CPU} calls={len(self.calls_s)} "
              f"call_max_s={max(self.calls_s, default=0):.2f} {facts} failed={self.failed} "
              f"s={time.time() - self.t0:.0f}", flush=True)
        return 1 if self.failures else 0


def main():
    home = Path(os.environ.get("CTRL_HOME", "~/.local/share/ctrl")).expanduser()
    source = os.environ.get("ODOO_SOURCE")
    if not source and (home / "odoo-source").exists():
        source = (home / "odoo-source").read_text().strip()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", default=os.environ.get("CTRL_TEST_CONF"), required=not os.environ.get(
        "CTRL_TEST_CONF"), help="Odoo config of setup/test ($CTRL_HOME/odoo-<hash>-test.conf)")
    parser.add_argument("--source-db", default=os.environ.get("CTRL_TEST_DB", "ctrl_test"))
    parser.add_argument("--db", default="ctrl_backup_limits", help="the copy (dropped at the end)")
    parser.add_argument("--odoo-bin", default=os.path.join(source, "odoo-bin") if source else None)
    parser.add_argument("--logfile", help="server log (default: a temporary file, kept when a check fails)")
    parser.add_argument("--hold", type=int, default=3 * LIMIT_REAL + 1,
                        help="seconds pg_dump waits for the locked table once the run started")
    parser.add_argument("--wait", type=int, default=240, help="seconds to wait for the run")
    parser.add_argument("--keep", action="store_true", help="keep the copy (debugging)")
    parser.set_defaults(batch=50)  # what the copy's preparation (scenario.py) sets for the ladders
    args = parser.parse_args()
    if not args.odoo_bin or not os.path.exists(args.odoo_bin):
        parser.error("give --odoo-bin (no Odoo source found: run setup/test first)")
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit("FAILED: stopped by SIGTERM"))
    return BackupLimits(args).run()


if __name__ == "__main__":
    sys.exit(main())
