# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Multi-process scenario: the ctrl crons under real workers and concurrent clients.

Copies the test database, starts Odoo on it with ``--workers=2 --max-cron-threads=2``
on a free loopback port and, over JSON-RPC and the bus websocket only:

1. prepares a customer with overdue invoices (2..70 days) for a new salesperson, so the
   collection ladder has work at each level;
2. runs every active ctrl cron twice at once (``method_direct_trigger`` from two threads)
   and ``_trigger()``s them for the cron workers;
3. meanwhile two clients edit invoices, confirm sale orders and register payments;
4. SIGKILLs the HTTP worker that holds the collection ladder's lock mid-batch;
5. listens on the websocket for the activity notification the collection cron sends to admin;
6. waits for the crons, runs the collection cron again (and retries transient failures), then
   checks in SQL: no duplicate events, activities, holds, deductions, cases or messages, no
   failed step, every open invoice at its level; every client call succeeded or got a clear
   JSON-RPC error; the server log has no traceback.

Prints one line ``workers: crons=N clients=M duplicates=D failed=F s=X`` (details go to stderr
before it, as ``FAILED: ...``) and exits 1 when a check fails.

    python tests/workers/scenario.py --conf ~/.local/share/ctrl/odoo-<hash>-test.conf [--source-db ctrl_test]
"""
import argparse
import configparser
import datetime
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import zoneinfo
from pathlib import Path

import psycopg2
import requests
import websocket
from passlib.context import CryptContext

COLLECTION_CRON = "ctrl_receivable.ir_cron_collection_escalation"
ESCALATION_CRON = "ctrl_base.ir_cron_escalation"
LADDER_LOCK = 7265  # ctrl.escalation.ladder._cron_run: pg_try_advisory_xact_lock(7265, ladder id)
CLEAR_ERRORS = ("odoo.exceptions.", "werkzeug.exceptions.")
RPC_TIMEOUT = 300
# How long the killer waits for an HTTP worker inside a collection batch: a loaded machine is slow to get there.
KILL_WINDOW = 240


def log(*parts):
    print(*parts, file=sys.stderr, flush=True)


class Scenario:
    def __init__(self, args):
        self.args = args
        self.t0 = time.time()
        self.failures = []  # one line each, printed as FAILED: ...
        self.duplicates = 0
        self.failed = 0
        self.cron_calls = 0
        self.client_calls = 0
        self.calls = []  # (who, what, outcome, detail)
        self.lock = threading.Lock()
        self.kill = {}  # pid, time
        self.proc = None
        self.notifications = []
        self.stop_ws = threading.Event()
        conf = configparser.ConfigParser(interpolation=None)
        conf.read(args.conf)
        opts = conf["options"]

        def opt(name):
            value = opts.get(name, "False")
            return None if value in ("False", "") else value

        self.pg = {"host": opt("db_host"), "port": opt("db_port"), "user": opt("db_user"),
                   "password": opt("db_password")}
        self.pg = {key: value for key, value in self.pg.items() if value}
        self.data_dir = Path(os.path.expanduser(opt("data_dir") or "~/.local/share/Odoo"))
        self.db = args.db
        self.logfile = args.logfile or os.path.join(tempfile.gettempdir(), f"ctrl-workers-{os.getpid()}.log")

    # ------------------------------------------------------------------ helpers
    def fail(self, message, count=1):
        """A failed check (``count`` failed items: calls, steps, invoices); duplicates are counted apart."""
        self.failures.append(message)
        self.failed += count

    def connect(self, dbname=None):
        return psycopg2.connect(dbname=dbname or self.db, **self.pg)

    def sql(self, query, params=None, dbname=None):
        conn = self.connect(dbname)
        try:
            conn.autocommit = True
            with conn.cursor() as cr:
                cr.execute(query, params)
                return cr.fetchall() if cr.description else cr.rowcount
        finally:
            conn.close()

    @staticmethod
    def free_port():
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            return sock.getsockname()[1]

    # ------------------------------------------------------------------ database copy
    def copy_database(self):
        src = self.args.source_db
        if not self.sql("SELECT 1 FROM pg_database WHERE datname = %s", [src], dbname="postgres"):
            raise SystemExit(f"FAILED: the source database {src} does not exist (run setup/test first)")
        self.sql(f'DROP DATABASE IF EXISTS "{self.db}"', dbname="postgres")
        busy = self.sql("SELECT count(*) FROM pg_stat_activity WHERE datname = %s", [src], dbname="postgres")[0][0]
        copied = False
        if busy:
            log(f"{src} has {busy} other connections: copying it with pg_dump instead of createdb -T")
        else:
            try:
                self.sql(f'CREATE DATABASE "{self.db}" TEMPLATE "{src}"', dbname="postgres")
                copied = True
            except psycopg2.Error as error:
                log(f"createdb -T {src} failed ({error.pgerror or error}), copying with pg_dump")
        if not copied:
            self.sql(f'CREATE DATABASE "{self.db}"', dbname="postgres")
            env = dict(os.environ, **{"PG" + key.upper(): str(value) for key, value in self.pg.items()})
            dump = subprocess.Popen(["pg_dump", "--no-owner", src], stdout=subprocess.PIPE, env=env)
            load = subprocess.run(["psql", "-q", "-v", "ON_ERROR_STOP=1", "-o", os.devnull, self.db],
                                  stdin=dump.stdout, env=env, capture_output=True, text=True, timeout=900)
            dump.stdout.close()
            if dump.wait(timeout=60) or load.returncode:
                raise SystemExit(f"FAILED: could not copy {src} into {self.db}: {load.stderr[-500:]}")
        source_store = self.data_dir / "filestore" / src
        target_store = self.data_dir / "filestore" / self.db
        shutil.rmtree(target_store, ignore_errors=True)
        if source_store.is_dir():
            # Filestore files are written once and never changed in place: hard links are a safe copy.
            shutil.copytree(source_store, target_store, copy_function=self._link)

    @staticmethod
    def _link(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)

    def prepare_database(self):
        """Before Odoo starts: admin/admin, and no cron due, so the crons run when triggered."""
        crypt = CryptContext(["pbkdf2_sha512", "plaintext"], deprecated=["plaintext"])
        stored = self.sql("SELECT password FROM res_users WHERE login = 'admin'")
        if not stored or not stored[0][0] or not crypt.verify("admin", stored[0][0]):
            self.sql("UPDATE res_users SET password = %s, active = true WHERE login = 'admin'",
                     [crypt.hash("admin")])
        # A password older than the company's maximum age (ctrl_backup) would hold admin at the change page.
        if self.sql("SELECT 1 FROM information_schema.columns WHERE table_name = 'res_users' "
                    "AND column_name = 'ctrl_password_changed_at'"):
            self.sql("UPDATE res_users SET ctrl_password_changed_at = now() at time zone 'utc', "
                     "ctrl_password_must_change = false WHERE login = 'admin'")
        # Nothing runs by itself: the ctrl crons are triggered below, the others stay out of the way.
        self.sql("UPDATE ir_cron SET nextcall = (now() at time zone 'utc') + interval '1 day' "
                 "WHERE nextcall < (now() at time zone 'utc') + interval '1 day'")
        self.sql("DELETE FROM ir_cron_trigger")
        # The internal controls of every company are on (a fresh install starts them off).
        self.sql("UPDATE res_company SET ctrl_live = true, "
                 "ctrl_go_live_date = COALESCE(ctrl_go_live_date, DATE '2000-01-01')")
        # Small batches: the ladder runs in several batches, so workers and crons interleave.
        self.sql("""INSERT INTO ir_config_parameter (key, value, create_date, write_date)
                    VALUES ('ctrl_base.escalation_batch_size', %s, now(), now())
                    ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""", [str(self.args.batch)])
        tz = self.sql("SELECT p.tz FROM res_users u JOIN res_partner p ON p.id = u.partner_id WHERE u.id = 1")
        # The crons run as the superuser: their "today" is in its time zone.
        self.today = datetime.datetime.now(zoneinfo.ZoneInfo(tz[0][0] or "UTC")).date()

    # ------------------------------------------------------------------ server
    def start_odoo(self):
        self.port, self.gevent_port = self.free_port(), self.free_port()
        while self.gevent_port == self.port:
            self.gevent_port = self.free_port()
        odoo_bin = self.args.odoo_bin
        cmd = [sys.executable, odoo_bin, "-c", self.args.conf, "-d", self.db, f"--db-filter=^{self.db}$",
               f"--http-port={self.port}", f"--gevent-port={self.gevent_port}", "--http-interface=127.0.0.1",
               "--workers=2", "--max-cron-threads=2", "--limit-time-real=600", "--log-level=info",
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

    def stop_odoo(self):
        if not self.proc or self.proc.poll() is not None:
            return
        children = self.children()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=30)
        # Workers the master left behind (it waits for them; this is the fallback): only ours, by pid.
        for pid in children:
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                if f"--http-port={self.port}" in cmdline:
                    os.kill(pid, signal.SIGKILL)
            except (OSError, ProcessLookupError):
                pass

    def children(self):
        """Pids of the master's child processes (workers and the gevent process)."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == self.proc.pid:
                pids.append(int(entry.name))
        return pids

    def socket_owner(self, port):
        """The child of the master whose TCP socket has local ``port`` (a PostgreSQL backend's
        client_port). The application_name cannot tell: workers inherit the master's."""
        inodes = set()
        for table in ("/proc/net/tcp", "/proc/net/tcp6"):
            try:
                lines = Path(table).read_text().splitlines()[1:]
            except OSError:
                continue
            for line in lines:
                fields = line.split()
                if int(fields[1].rsplit(":", 1)[1], 16) == port:
                    inodes.add(f"socket:[{fields[9]}]")
        for pid in self.children():
            try:
                fds = list(Path(f"/proc/{pid}/fd").iterdir())
            except OSError:
                continue
            for fd in fds:
                try:
                    if os.readlink(fd) in inodes:
                        return pid
                except OSError:
                    continue
        return None

    def workers(self, kind):
        """Live pids of the master's ``WorkerHTTP`` / ``WorkerCron`` children (from the log's alive lines)."""
        text = Path(self.logfile).read_text(errors="replace") if os.path.exists(self.logfile) else ""
        logged = {int(pid) for pid in re.findall(rf"Worker {kind} \((\d+)\) alive", text)}
        return sorted(logged & set(self.children()))

    # ------------------------------------------------------------------ JSON-RPC
    def authenticate(self):
        session = requests.Session()
        resp = session.post(self.url + "/web/session/authenticate", timeout=60, json={
            "jsonrpc": "2.0", "method": "call", "params": {"db": self.db, "login": "admin", "password": "admin"}})
        body = resp.json()
        if not body.get("result", {}).get("uid"):
            raise SystemExit(f"FAILED: admin/admin cannot log in to {self.db}: {body.get('error')}")
        self.uid = body["result"]["uid"]
        self.session_id = session.cookies.get("session_id")

    def call(self, who, model, method, *args, counter="client", retried=False, **kwargs):
        """execute_kw over /jsonrpc: (ok, result or error message). Every outcome is recorded."""
        payload = {"jsonrpc": "2.0", "method": "call", "id": 1, "params": {
            "service": "object", "method": "execute_kw",
            "args": [self.db, self.uid, "admin", model, method, list(args), kwargs]}}
        what = f"{model}.{method}"
        with self.lock:
            if counter == "cron":
                self.cron_calls += 1
            elif counter == "client":
                self.client_calls += 1
        try:
            resp = requests.post(self.url + "/jsonrpc", json=payload, timeout=RPC_TIMEOUT,
                                 headers={"Connection": "close"})
        except requests.Timeout:
            return self.record(who, what, "failure", f"no answer in {RPC_TIMEOUT} s")
        except requests.ConnectionError as error:
            # A call the SIGKILL cut is retried once; any other reset is a failure.
            killed_at = self.kill.get("time")
            if killed_at and not retried and time.time() - killed_at < 30:
                with self.lock:
                    self.kill["cut"] = self.kill.get("cut", 0) + 1
                self.record(who, what, "killed", str(error)[:200])
                return self.call(who, model, method, *args, counter=counter, retried=True, **kwargs)
            return self.record(who, what, "failure", f"connection error: {str(error)[:300]}")
        try:
            body = resp.json()
        except ValueError:
            return self.record(who, what, "failure", f"HTTP {resp.status_code} without a JSON-RPC answer: "
                                                     f"{resp.text[:300]!r}")
        if "error" in body:
            data = body["error"].get("data") or {}
            name, message = data.get("name") or "", (data.get("message") or "").strip()
            if message and name.startswith(CLEAR_ERRORS):
                return self.record(who, what, "error", f"{name}: {message[:200]}")
            return self.record(who, what, "failure", f"unclear JSON-RPC error {name}: {message[:300]!r}")
        if resp.status_code != 200:
            return self.record(who, what, "failure", f"HTTP {resp.status_code}")
        return self.record(who, what, "ok", body.get("result"))

    def record(self, who, what, outcome, detail):
        with self.lock:
            self.calls.append((who, what, outcome, detail if outcome != "ok" else None))
        return outcome == "ok", detail

    def must(self, model, method, *args, **kwargs):
        ok, result = self.call("setup", model, method, *args, counter=None, **kwargs)
        if not ok:
            raise SystemExit(f"FAILED: setting up: {model}.{method}: {result}")
        return result

    # ------------------------------------------------------------------ data
    def prepare_data(self):
        """A salesperson, a customer (admin is its salesperson, so the collection hold's activity,
        due today, is notified to admin on the bus) and its overdue invoices."""
        suffix = str(int(self.t0))
        salesman_group = self.must("ir.model.data", "check_object_reference", "sales_team", "group_sale_salesman")[1]
        self.salesman = self.must("res.users", "create", {
            "name": "Workers Salesperson", "login": f"workers.sales.{suffix}", "email": "workers.sales@example.com",
            "groups_id": [(4, salesman_group)]})
        self.partner = self.must("res.partner", "create", {
            "name": f"Workers Customer {suffix}", "is_company": True, "customer_rank": 1, "user_id": self.uid,
            "email": "workers.customer@example.com"})
        self.product = self.must("product.product", "create", {
            "name": "Workers service", "type": "service", "list_price": 100.0, "sale_ok": True,
            "invoice_policy": "order"})
        vals = []
        for index in range(self.args.invoices):
            days = 2 + index % 69  # 2..70 days overdue
            date = (self.today - datetime.timedelta(days=days)).isoformat()
            vals.append({"move_type": "out_invoice", "partner_id": self.partner, "invoice_date": date,
                         "invoice_date_due": date, "invoice_user_id": self.salesman,
                         "invoice_line_ids": [(0, 0, {"product_id": self.product, "quantity": 1,
                                                      "price_unit": 100.0 + index})]})
        vals.sort(key=lambda v: v["invoice_date"])
        self.invoices = []
        for start in range(0, len(vals), 50):
            ids = self.must("account.move", "create", vals[start:start + 50])
            self.must("account.move", "action_post", ids)
            self.invoices += ids
        rows = self.must("account.move", "read", self.invoices, ["invoice_date_due", "state"])
        wrong = [row for row in rows if row["state"] != "posted"
                 or (self.today - datetime.date.fromisoformat(row["invoice_date_due"])).days < 2]
        if wrong:
            raise SystemExit(f"FAILED: setting up: {len(wrong)} invoices not posted with their due date: {wrong[:2]}")
        # Demo customers with nothing overdue (the others are on hold: their orders are refused, rightly).
        overdue = self.must("account.move", "search_read", [
            ("move_type", "=", "out_invoice"), ("state", "=", "posted"),
            ("payment_state", "in", ["not_paid", "partial"]), ("invoice_date_due", "<", self.today.isoformat())],
            ["commercial_partner_id"])
        self.customers = self.must("res.partner", "search", [
            ("customer_rank", ">", 0), ("is_company", "=", True),
            ("id", "not in", [self.partner] + [row["commercial_partner_id"][0] for row in overdue])], limit=6)
        if not self.customers:
            raise SystemExit("FAILED: setting up: no demo customer to sell to")
        self.sale_product = self.product
        crons = self.must("ir.model.data", "search_read", [("model", "=", "ir.cron"), ("module", "=like", "ctrl_%")],
                          ["module", "name", "res_id"])
        names = {row["res_id"]: f"{row['module']}.{row['name']}" for row in crons}
        active = self.must("ir.cron", "search", [("id", "in", list(names))])
        first = [COLLECTION_CRON, ESCALATION_CRON]
        self.crons = sorted(active, key=lambda cid: (names[cid] not in first, first.index(names[cid])
                                                     if names[cid] in first else 0, cid))
        self.cron_names = names
        self.collection_cron = next(cid for cid, name in names.items() if name == COLLECTION_CRON)
        self.escalation_cron = next(cid for cid, name in names.items() if name == ESCALATION_CRON)
        self.ladder = self.sql("SELECT res_id FROM ir_model_data WHERE module = 'ctrl_receivable' "
                               "AND name = 'escalation_ladder_collection'")[0][0]
        self.trigger_action = self.must("ir.actions.server", "create", {
            "name": "Workers scenario: trigger the ctrl crons",
            "model_id": self.must("ir.model", "search", [("model", "=", "ir.cron")])[0],
            "state": "code",
            "code": f"for cron in env['ir.cron'].browse({self.crons!r}):\n    cron._trigger()\n"})
        # The rows before the run: the duplicate checks look at groups this run touched.
        self.before = {table: self.sql(f"SELECT COALESCE(max(id), 0) FROM {table}")[0][0]
                       for table in ("mail_activity", "mail_message")}

    # ------------------------------------------------------------------ concurrent phase
    def websocket_listener(self, ready):
        version = "18.0-2"
        source = Path(self.args.odoo_bin).parent / "addons" / "bus" / "websocket.py"
        found = re.search(r'_VERSION = "([^"]+)"', source.read_text()) if source.exists() else None
        version = found.group(1) if found else version
        host = f"127.0.0.1:{self.gevent_port}"
        try:
            ws = websocket.create_connection(
                f"ws://{host}/websocket?version={version}", timeout=30, origin=f"http://{host}",
                cookie=f"session_id={self.session_id}")
            ws.send(json.dumps({"event_name": "subscribe", "data": {"channels": [], "last": 0}}))
        except Exception as error:
            self.fail(f"websocket: could not connect to ws://{host}/websocket: {error}")
            ready.set()
            return
        ready.set()
        ws.settimeout(1)
        deadline = time.time() + 900
        try:
            while not self.stop_ws.is_set() and time.time() < deadline:
                try:
                    frame = ws.recv()
                except websocket.WebSocketTimeoutException:
                    continue
                if not frame:
                    continue
                for notification in json.loads(frame):
                    self.notifications.append(notification.get("message", {}).get("type"))
        except Exception as error:
            self.fail(f"websocket: the connection broke: {error!r} (is the gevent worker up?)")
        finally:
            ws.close()

    def cron_client(self, name, barrier):
        barrier.wait(timeout=60)
        for cron in self.crons:
            self.call(name, "ir.cron", "method_direct_trigger", [cron], counter="cron")

    def hold_rows(self):
        """Lock the invoices of the ladder's top level, as a long client transaction would: the
        worker that runs that level's batch waits inside it (with the ladder lock), so the kill
        below lands mid-batch for sure. Released right after the kill."""
        conn = self.connect()
        with conn.cursor() as cr:
            cr.execute("SELECT id FROM account_move WHERE id = ANY(%s) AND invoice_date_due <= %s FOR UPDATE",
                       [self.invoices, self.today - datetime.timedelta(days=61)])
            held = cr.rowcount
        if not held:
            conn.close()
            raise SystemExit("FAILED: setting up: no invoice 61 days overdue to hold")
        return conn

    def killer(self, holder):
        """SIGKILL the HTTP worker that holds the collection ladder's lock (mid-batch)."""
        try:
            deadline = time.time() + KILL_WINDOW
            while time.time() < deadline and not self.kill.get("pid"):
                rows = self.sql("""SELECT a.client_port FROM pg_locks l
                                     JOIN pg_stat_activity a ON a.pid = l.pid
                                    WHERE l.locktype = 'advisory' AND l.granted AND l.classid = %s
                                      AND l.objid = %s AND l.objsubid = 2 AND a.datname = %s""",
                                [LADDER_LOCK, self.ladder, self.db])
                pids = [self.socket_owner(port) for (port,) in rows if port]
                http = self.workers("WorkerHTTP") if pids else []
                for pid in pids:
                    if pid in http:
                        self.kill.update(pid=pid, time=time.time())
                        os.kill(pid, signal.SIGKILL)
                        log(f"killed HTTP worker {pid} in a collection batch, {time.time() - self.t0:.0f} s in")
                        break
                time.sleep(0.1)
        finally:
            holder.rollback()
            holder.close()
        if not self.kill.get("pid"):
            self.fail("no HTTP worker was seen running a collection batch: nothing was killed")
        else:
            # The master respawns the worker.
            deadline = time.time() + 60
            while time.time() < deadline and len(self.workers("WorkerHTTP")) < 2:
                time.sleep(1)
            if len(self.workers("WorkerHTTP")) < 2:
                self.fail("the master did not respawn the killed HTTP worker within 60 s")

    def client(self, name, index):
        """Edit invoices, confirm small sale orders and register payments, ``ops`` times."""
        deadline = time.time() + self.args.client_seconds
        # Each client pays its own invoices (every third one, never the same as the other client).
        payable = self.invoices[index::6]
        editable = self.invoices[3 + index::2]
        for op in range(self.args.ops):
            if time.time() > deadline:
                break
            kind = op % 3
            if kind == 0:
                move = editable[op % len(editable)]
                self.call(name, "account.move", "write", [move],
                          {"ref": f"{name} edit {op}", "narration": f"<p>{name} note {op}</p>"})
            elif kind == 1:
                ok, order = self.call(name, "sale.order", "create", {
                    "partner_id": self.customers[(op + index) % len(self.customers)],
                    "order_line": [(0, 0, {"product_id": self.sale_product, "product_uom_qty": 1,
                                           "price_unit": 5.0 + op})]})
                if ok:
                    self.call(name, "sale.order", "action_confirm", [order])
            else:
                move = payable[(op // 3) % len(payable)]
                context = {"active_model": "account.move", "active_ids": [move]}
                ok, wizard = self.call(name, "account.payment.register", "create", {}, context=context)
                if ok:
                    self.call(name, "account.payment.register", "action_create_payments", [wizard], context=context)
            time.sleep(0.2)

    def run_concurrently(self):
        ready = threading.Event()
        listener = threading.Thread(target=self.websocket_listener, args=(ready,), daemon=True)
        listener.start()
        ready.wait(60)
        barrier = threading.Barrier(2)
        threads = [threading.Thread(target=self.cron_client, args=(f"cron{n}", barrier), daemon=True)
                   for n in (1, 2)]
        threads += [threading.Thread(target=self.client, args=(f"client{n}", n), daemon=True) for n in (1, 2)]
        killer = threading.Thread(target=self.killer, args=(self.hold_rows(),), daemon=True)
        killer.start()
        for thread in threads:
            thread.start()
        # The cron workers get them too, once an HTTP worker is inside a collection batch (or soon after).
        wait_kill = time.time() + KILL_WINDOW
        while time.time() < wait_kill and not self.kill.get("pid"):
            time.sleep(0.2)
        self.call("trigger", "ir.actions.server", "run", [self.trigger_action], counter=None)
        with self.lock:
            self.cron_calls += len(self.crons)
        for thread in [*threads, killer]:
            thread.join(timeout=max(1, self.t0 + 900 - time.time()))
            if thread.is_alive():
                self.fail(f"thread {thread.name} still running after the time limit")
        self.listener = listener

    # ------------------------------------------------------------------ wait and finish
    def crons_idle(self):
        ids = tuple(self.crons)
        pending = self.sql("SELECT count(*) FROM ir_cron_trigger WHERE cron_id IN %s "
                           "AND call_at <= now() at time zone 'utc'", [ids])[0][0]
        if pending:
            return False
        conn = self.connect()
        try:
            with conn.cursor() as cr:
                cr.execute("SELECT id FROM ir_cron WHERE id IN %s FOR NO KEY UPDATE NOWAIT", [ids])
            return True
        except psycopg2.errors.LockNotAvailable:
            return False
        finally:
            conn.rollback()
            conn.close()

    def wait_crons(self):
        deadline = time.time() + self.args.wait
        idle_polls = 0
        while time.time() < deadline:
            # Off-level invoices are fine once only steps waiting for their retry are left.
            settled = not self.level_mismatches() or self.sql(
                "SELECT 1 FROM ctrl_escalation_step WHERE state = 'retry' LIMIT 1")
            idle_polls = idle_polls + 1 if self.crons_idle() and settled else 0
            if idle_polls >= 2:
                return
            time.sleep(3)
        log(f"the crons were still busy (or invoices off their level) after {self.args.wait} s")

    def finish_crons(self):
        """The collection cron once more, then retry the steps a transient error stopped."""
        self.call("final", "ir.cron", "method_direct_trigger", [self.collection_cron], counter="cron")
        for _round in range(6):
            retry = self.sql("UPDATE ctrl_escalation_step SET retry_after = (now() at time zone 'utc') "
                             "- interval '1 minute' WHERE state = 'retry'")
            if not retry:
                break
            log(f"{retry} escalation steps to retry: running the ladders again")
            for cron in (self.escalation_cron, self.collection_cron):
                self.call("final", "ir.cron", "method_direct_trigger", [cron], counter="cron")
        # Batches are small: run the ladders until no invoice is off its level (bounded).
        for _round in range(20):
            if not self.level_mismatches():
                break
            self.call("final", "ir.cron", "method_direct_trigger", [self.collection_cron], counter="cron")
            time.sleep(1)

    def level_mismatches(self):
        """Open invoices (not paused by a promise, nor covered by their customer's unapplied
        credits) whose collection level is not the highest level of the ladder whose days
        they are overdue."""
        return self.sql("""
            WITH lv AS (SELECT id, days, sequence FROM ctrl_escalation_level WHERE ladder_id = %(ladder)s)
            SELECT move.id, move.name, %(today)s - move.invoice_date_due, move.ctrl_recv_level_id, expected.id
              FROM account_move move
              JOIN res_partner partner ON partner.id = move.commercial_partner_id
              LEFT JOIN LATERAL (SELECT lv.id FROM lv WHERE lv.days <= %(today)s - move.invoice_date_due
                                  ORDER BY lv.days DESC, lv.sequence DESC, lv.id DESC LIMIT 1) expected ON true
             WHERE move.move_type = 'out_invoice' AND move.state = 'posted'
               AND move.payment_state IN ('not_paid', 'partial') AND move.invoice_date_due IS NOT NULL
               AND (move.ctrl_recv_promise_date IS NULL OR move.ctrl_recv_promise_date < %(today)s)
               AND NOT COALESCE(partner.ctrl_recv_agency, false)
               AND move.ctrl_recv_level_id IS DISTINCT FROM expected.id
               AND NOT EXISTS (  -- the customer's credit notes and payments not yet matched cover what is overdue
                   SELECT 1 FROM account_move_line aml
                     JOIN account_account account ON account.id = aml.account_id
                     JOIN res_partner owner ON owner.id = aml.partner_id
                    WHERE COALESCE(owner.commercial_partner_id, owner.id) = move.commercial_partner_id
                      AND aml.company_id = move.company_id AND account.account_type = 'asset_receivable'
                      AND aml.parent_state = 'posted' AND aml.reconciled IS NOT TRUE
                   HAVING SUM(aml.amount_residual) FILTER (WHERE aml.amount_residual < 0) < 0
                      AND SUM(aml.amount_residual) FILTER (
                          WHERE aml.amount_residual < 0 OR COALESCE(aml.date_maturity, aml.date) < %(today)s) <= 0)
             ORDER BY move.id""", {"ladder": self.ladder, "today": self.today})

    def check_database(self):
        checks = {
            "collection events": """SELECT move_id, kind, level_id, note, count(*) FROM ctrl_collection_event
                WHERE move_id IS NOT NULL GROUP BY move_id, kind, level_id, note HAVING count(*) > 1""",
            "activities": f"""SELECT res_model, res_id, user_id, summary, activity_type_id, count(*)
                FROM mail_activity GROUP BY res_model, res_id, user_id, summary, activity_type_id
                HAVING count(*) > 1 AND max(id) > {self.before['mail_activity']}""",
            "active credit holds": """SELECT partner_id, company_id, reason, res_model, res_id, count(*)
                FROM ctrl_credit_hold WHERE state = 'active'
                GROUP BY partner_id, company_id, reason, res_model, res_id HAVING count(*) > 1""",
            "deductions": """SELECT move_id, level_id, count(*) FROM ctrl_recv_accountability
                WHERE kind = 'deduction' GROUP BY move_id, level_id HAVING count(*) > 1""",
            "collection cases": """SELECT partner_id, company_id, kind, count(*) FROM ctrl_collection_case
                WHERE state != 'closed' GROUP BY partner_id, company_id, kind HAVING count(*) > 1""",
            "scheduled aging reports": """SELECT company_id, date, kind, scheme_id, count(*) FROM ctrl_aging_report
                WHERE kind IN ('weekly', 'monthly') GROUP BY company_id, date, kind, scheme_id HAVING count(*) > 1""",
            "chatter messages": f"""SELECT model, res_id, left(body, 80), count(*) FROM mail_message
                WHERE id > {self.before['mail_message']} AND COALESCE(body, '') NOT IN ('', '<p></p>')
                GROUP BY model, res_id, message_type, author_id, subtype_id, body HAVING count(*) > 1""",
        }
        for name, query in checks.items():
            rows = self.sql(query)
            if rows:
                self.duplicates += len(rows)
                self.failures.append(f"{len(rows)} duplicate {name}, e.g. {rows[:3]}")
        failed = self.sql("SELECT id, res_model, res_id, level_id, message FROM ctrl_escalation_step "
                          "WHERE state = 'failed' ORDER BY id")
        if failed:
            self.fail(f"{len(failed)} escalation steps failed, e.g. {failed[:3]}", len(failed))
        retry = self.sql("SELECT count(*) FROM ctrl_escalation_step WHERE state = 'retry'")[0][0]
        if retry:
            self.fail(f"{retry} escalation steps still to retry after the reruns", retry)
        wrong = self.level_mismatches()
        if wrong:
            self.fail(f"{len(wrong)} open invoices not at their collection level "
                      f"(id, name, days overdue, level, expected): {wrong[:5]}", len(wrong))
        ours = self.sql("SELECT count(DISTINCT level_id) FROM ctrl_escalation_step WHERE res_model = 'account.move' "
                        "AND ladder_id = %s AND res_id = ANY(%s)", [self.ladder, self.invoices])[0][0]
        steps = self.sql("SELECT count(*) FROM ctrl_escalation_step WHERE ladder_id = %s", [self.ladder])[0][0]
        events = self.sql("SELECT count(*) FROM ctrl_collection_event")[0][0]
        log(f"collection: {steps} steps, {events} events, {ours} levels reached by the test invoices")
        if ours < 3:
            self.fail(f"the test invoices reached only {ours} of the 3 collection levels")

    def check_calls(self):
        outcomes = {}
        for who, what, outcome, detail in self.calls:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if outcome == "failure":
                self.fail(f"{who}: {what}: {detail}")
        errors = {}
        for _who, what, outcome, detail in self.calls:
            if outcome == "error":
                key = re.sub(r"\bS\d{5}\b", "S*", f"{what}: {detail[:110]}").replace("\n", " ")
                errors[key] = errors.get(key, 0) + 1
        log(f"calls: {outcomes}; killed worker {self.kill.get('pid')} cut {self.kill.get('cut', 0)} call(s)")
        for key, count in sorted(errors.items()):
            log(f"  {count} x {key}")
        if self.kill.get("cut", 0) > 1:
            self.fail(f"the killed worker cut {self.kill['cut']} calls (one worker serves one request)")
        log(f"websocket: {len(self.notifications)} notifications {sorted(set(filter(None, self.notifications)))}")
        if "mail.activity/updated" not in self.notifications:
            self.fail(f"the websocket got no mail.activity/updated notification for admin "
                      f"(got: {sorted(set(filter(None, self.notifications)))})")

    def check_log(self):
        text = Path(self.logfile).read_text(errors="replace") if os.path.exists(self.logfile) else ""
        if "DistributionNotFound" in text:
            self.fail("the server log has DistributionNotFound (gevent's pkg_resources check): the websocket "
                      "worker did not start")
        if "Evented Service (longpolling) running" not in text and "Evented Service" not in text:
            self.fail("the gevent websocket worker never started (no 'Evented Service' in the log)")
        lines = text.splitlines()
        header = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ ")
        for index, line in enumerate(lines):
            if line.startswith("Traceback (most recent call last)"):
                start = index
                while start > 0 and not header.match(lines[start]):
                    start -= 1
                end = index + 1
                while end < len(lines) and not header.match(lines[end]):
                    end += 1
                block = "\n".join(lines[start:end])
                error = next((ln for ln in reversed(lines[index + 1:end])
                              if re.match(r"(?!CONTEXT|DETAIL|HINT)[A-Za-z_][\w.]*(:|$)", ln)), "")
                self.fail(f"traceback in the server log ({lines[start][24:].strip()[:120]}: {error[:160]}):\n{block}")

    def cleanup(self):
        self.stop_ws.set()
        self.stop_odoo()
        if not self.args.keep:
            try:
                self.sql(f'DROP DATABASE IF EXISTS "{self.db}"', dbname="postgres")
            except psycopg2.Error as error:
                log(f"could not drop {self.db}: {error}")
            shutil.rmtree(self.data_dir / "filestore" / self.db, ignore_errors=True)

    def run(self):
        try:
            self.copy_database()
            self.prepare_database()
            self.start_odoo()
            self.authenticate()
            self.prepare_data()
            log(f"data ready ({len(self.invoices)} invoices) in {time.time() - self.t0:.0f} s; "
                f"{len(self.crons)} ctrl crons")
            self.run_concurrently()
            self.wait_crons()
            self.finish_crons()
            time.sleep(2)  # the last notifications reach the websocket
            gevent_alive = any("gevent" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                               for pid in self.children() if Path(f"/proc/{pid}/cmdline").exists())
            if not gevent_alive:
                self.fail("the gevent websocket process is not running at the end")
            self.stop_ws.set()
            self.listener.join(timeout=5)
            self.stop_odoo()
            self.check_database()
            self.check_calls()
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
        print(f"workers: crons={self.cron_calls} clients={self.client_calls} duplicates={self.duplicates} "
              f"failed={self.failed} s={time.time() - self.t0:.0f}", flush=True)
        return 1 if self.failures else 0


def main():
    home = Path(os.environ.get("CTRL_HOME", "~/.local/share/ctrl")).expanduser()
    source = os.environ.get("ODOO_SOURCE")
    if not source and (home / "odoo-source").exists():
        source = (home / "odoo-source").read_text().strip()
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--conf", default=os.environ.get("CTRL_TEST_CONF"),
                        help="Odoo config of setup/test ($CTRL_HOME/odoo-<hash>-test.conf)")
    parser.add_argument("--source-db", default=os.environ.get("CTRL_TEST_DB", "ctrl_test"))
    parser.add_argument("--db", default="ctrl_workers", help="the copy (dropped at the end)")
    parser.add_argument("--odoo-bin", default=os.path.join(source, "odoo-bin") if source else None,
                        help="default: $ODOO_SOURCE/odoo-bin, else the source setup remembered")
    parser.add_argument("--logfile", help="server log (default: a temporary file, kept when a check fails)")
    parser.add_argument("--invoices", type=int, default=200)
    parser.add_argument("--ops", type=int, default=30, help="operations per client")
    parser.add_argument("--batch", type=int, default=50, help="escalation batch size")
    parser.add_argument("--client-seconds", type=int, default=240)
    parser.add_argument("--wait", type=int, default=300, help="seconds to wait for the crons")
    parser.add_argument("--keep", action="store_true", help="keep the copy (debugging)")
    args = parser.parse_args()
    if not args.odoo_bin or not os.path.exists(args.odoo_bin):
        parser.error("give --odoo-bin (no Odoo source found: run setup/test first)")
    if not args.conf:
        confs = sorted(home.glob("odoo-*-test.conf"))
        if len(confs) != 1:
            parser.error("give --conf (the test config of setup/test)")
        args.conf = str(confs[0])
    # A stopped run (timeout, Ctrl+C) still stops Odoo and drops the copy.
    signal.signal(signal.SIGTERM, lambda _sig, _frame: sys.exit("FAILED: stopped by SIGTERM"))
    return Scenario(args).run()


if __name__ == "__main__":
    sys.exit(main())
