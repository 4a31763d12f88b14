#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Aging reports on a read replica while salespeople take orders (issue #23 item 5).

    python tests/bench/bench_replica.py DB     (config: $CTRL_CONF; run as root or postgres)

DB gets all ctrl addons (if missing), the order load's data (loadlib.prepare_load_db, once per load run)
and the aging bench's receivable ledger (bench_aging.generate: $CTRL_BENCH_SIZE open invoices, default
1,000,000, once). setup/replica then copies the local PostgreSQL into a streaming hot standby on
127.0.0.1:$CTRL_BENCH_REPLICA_PORT (default 5433), and Odoo runs in prefork mode (--workers=4, port
$CTRL_BENCH_REPLICA_HTTP_PORT, default 8176) with --db_replica_host=127.0.0.1 --db_replica_port=<that port>.

0. A warm-up, not measured: the same clients, 2 orders each, so that both measured runs find Odoo's
   workers with their registry loaded and their caches filled.
1. The order load alone: 50 JSON-RPC clients (loadlib.run_load) create, confirm and deliver orders.
2. The same load on fresh data; 10 s after its clients start their orders, 5 more clients each ask,
   through the web client's path (/web/dataset/call_kw, a read-only route for this read-only method),
   for the aging preview of the ledger (ctrl.aging.report.ctrl_aging_preview: bucket totals,
   receivable balance and KPIs as of bench_aging.AS_OF over all its open lines). Odoo sends them to
   the replica.
3. The same preview run on the primary (a read/write cursor in this process): each of the 5 replica
   answers must equal it.

Prints:
    load_replica: clients=50 reports=5 ops_ratio=X reports_equal=1
ops_ratio is the order load's throughput (JSON-RPC requests answered per second) with the reports over
without them; reports_equal is 1 when all 5 replica reports equal the primary's. On stderr: both loads'
figures with their requests answered per 10 s, each report's time and span, the primary's time for
the same report and the rows the standby read during the reports (from its pg_stat_database; it
shows the reports did run there). The standby is stopped and deleted afterwards (setup/replica stop).
CTRL_BENCH_LOAD_CLIENTS / CTRL_BENCH_LOAD_ORDERS change the load (default 50 clients x 10 orders), for
a quick try.
"""
import configparser
import json
import os
import subprocess
import sys
import threading
import time

import psycopg2
import requests
from bench_aging import AS_OF, generate, prepare_partials
from benchlib import vacuum
from loadlib import clock, log, prepare_load_db, run_load, start_server, stop_server

import odoo
from odoo.tools import config

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
REPORTS = 5
REPORTS_AFTER = 10.0  # seconds into the measured load when the reports are asked for
WARM_UP_ORDERS = 2


def prepare_aging(db, lines, partners):
    """The aging bench's ledger (once), and the administrator as the reports' user: a Receivables
    manager who chose their own password (admin/admin, a bench database)."""
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        generate(env, lines, partners)
        prepare_partials(env)
        admin = env.ref("base.user_admin")
        admin.groups_id |= env.ref("ctrl_receivable.group_receivable_manager")
        if "ctrl_password_must_change" in admin._fields:
            admin.ctrl_password_must_change = False
        company_id = admin.company_id.id
        cr.commit()
    vacuum(db, ["account_move_line", "account_move", "account_partial_reconcile"])
    return company_id


def primary_report(db, company_id):
    """The preview on the primary (a read/write cursor), as the administrator, and its time."""
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        admin = env.ref("base.user_admin")
        start = time.perf_counter()
        result = env["ctrl.aging.report"].with_user(admin).ctrl_aging_preview(AS_OF.isoformat(), company_id=company_id)
        return result, time.perf_counter() - start


def normalized(result):
    """The report as the client receives it (JSON), floats to 6 decimals."""
    def walk(value):
        if isinstance(value, float):
            return round(value, 6)
        if isinstance(value, dict):
            return {key: walk(item) for key, item in value.items()}
        if isinstance(value, list):
            return [walk(item) for item in value]
        return value
    return walk(json.loads(json.dumps(result, default=str)))


def replica(*args):
    done = subprocess.run(["bash", os.path.join(REPO, "setup", "replica"), *args], check=True,
                          stdout=subprocess.PIPE, text=True)
    return done.stdout


def standby_connection(db, port):
    _name, info = odoo.sql_db.connection_info_for(db)
    conn = psycopg2.connect(**dict(info, host="127.0.0.1", port=port))
    conn.autocommit = True
    return conn


def wait_replayed(db, port, wait=1800):
    """Until the standby has replayed what the primary wrote so far."""
    _name, info = odoo.sql_db.connection_info_for(db)
    primary = psycopg2.connect(**info)
    primary.autocommit = True
    standby = standby_connection(db, port)
    try:
        with primary.cursor() as pcr, standby.cursor() as scr:
            pcr.execute("SELECT pg_current_wal_lsn()")
            target = pcr.fetchone()[0]
            deadline = time.monotonic() + wait
            while time.monotonic() < deadline:
                scr.execute("SELECT pg_wal_lsn_diff(pg_last_wal_replay_lsn(), %s) >= 0", (target,))
                if scr.fetchone()[0]:
                    return
                time.sleep(1)
        raise RuntimeError(f"the standby on port {port} did not catch up within {wait}s")
    finally:
        primary.close()
        standby.close()


def rows_read(db, port):
    conn = standby_connection(db, port)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT pg_stat_clear_snapshot()")
            cr.execute("SELECT tup_returned + tup_fetched FROM pg_stat_database WHERE datname = %s", (db,))
            return cr.fetchone()[0]
    finally:
        conn.close()


def replica_conf(port):
    """$CTRL_CONF with Odoo's replica options, in a file beside it."""
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(os.environ["CTRL_CONF"])
    parser["options"]["db_replica_host"] = "127.0.0.1"
    parser["options"]["db_replica_port"] = str(port)
    path = os.environ["CTRL_CONF"].removesuffix(".conf") + "-replica.conf"
    with open(path, "w") as handle:
        parser.write(handle)
    return path


def post(session, url, payload, timeout, index, attempts=3):
    """POST ``payload`` as JSON-RPC; a connection refused or reset before an answer (the prefork
    server's listen backlog overflowing under the load) is tried again, as a user would. Each
    request here only reads."""
    for attempt in range(1, attempts + 1):
        try:
            body = session.post(url, timeout=timeout, json=payload).json()
            break
        except requests.ConnectionError as exc:
            if attempt == attempts:
                raise
            log(f"load_replica: report {index + 1}: {exc!r}, trying again")
    if body.get("error"):
        raise RuntimeError(body["error"]["data"]["message"])
    return body["result"]


def report_client(url, db, company_id, go, delay, results, index):
    """One reader: logs in to the web client as the administrator and, ``delay`` seconds after the
    event ``go``, asks for the aging preview."""
    session = requests.Session()
    try:
        post(session, f"{url}/web/session/authenticate", {
            "jsonrpc": "2.0", "method": "call", "id": 1,
            "params": {"db": db, "login": "admin", "password": "admin"}}, 60, index)
        go.wait()
        time.sleep(delay)
        start = time.perf_counter()
        result = post(session, f"{url}/web/dataset/call_kw/ctrl.aging.report/ctrl_aging_preview", {
            "jsonrpc": "2.0", "method": "call", "id": 2, "params": {
                "model": "ctrl.aging.report", "method": "ctrl_aging_preview",
                "args": [AS_OF.isoformat()], "kwargs": {"company_id": company_id}}}, 1800, index)
        log(f"load_replica: report {index + 1} from {clock(start)} to {clock(time.perf_counter())}")
        results[index] = (result, time.perf_counter() - start)
    except Exception as exc:  # reported, counted as not equal
        results[index] = (None, repr(exc))


def main():
    db = sys.argv[1]
    lines = int(os.environ.get("CTRL_BENCH_SIZE") or 1_000_000)
    partners = max(100, min(50_000, lines // 20))
    clients = int(os.environ.get("CTRL_BENCH_LOAD_CLIENTS", "50"))
    orders = int(os.environ.get("CTRL_BENCH_LOAD_ORDERS", "10"))
    http_port = int(os.environ.get("CTRL_BENCH_REPLICA_HTTP_PORT", "8176"))
    pg_port = os.environ.get("CTRL_BENCH_REPLICA_PORT", "5433")
    config.parse_config(["-c", os.environ["CTRL_CONF"], "-d", db, "--log-level=warn"])
    plans = []
    for _run in range(3):  # fresh customers and race orders for each run (their tag is the second)
        plans.append(prepare_load_db(db, True))
        time.sleep(1.1)
    company_id = prepare_aging(db, lines, partners)
    log(f"load_replica: starting a standby on port {pg_port}")
    log(replica("start", pg_port).strip())
    try:
        wait_replayed(db, pg_port)
        os.environ["CTRL_CONF"] = replica_conf(pg_port)
        url = f"http://127.0.0.1:{http_port}"
        logfile = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{db}-server.log")
        proc = start_server(db, http_port, workers=4, logfile=logfile)
        try:
            # Both measured runs find the workers warm (registry loaded, caches filled).
            log(f"load_replica: warming up: {clients} clients x {WARM_UP_ORDERS} orders, not measured")
            run_load(url, db, clients=clients, orders_per_client=WARM_UP_ORDERS, timeout=60, plan=plans[0])
            log(f"load_replica: {clients} clients x {orders} orders, no reports")
            alone = run_load(url, db, clients=clients, orders_per_client=orders, timeout=60, plan=plans[1])
            log(f"load_replica: alone: {alone}")
            # The readers log in first, as the salesmen do, and ask for their reports during the load.
            results = [None] * REPORTS
            go = threading.Event()
            readers = [threading.Thread(target=report_client,
                                        args=(url, db, company_id, go, REPORTS_AFTER, results, index), daemon=True)
                       for index in range(REPORTS)]
            before = rows_read(db, pg_port)
            for reader in readers:
                reader.start()
            log(f"load_replica: {clients} clients x {orders} orders, {REPORTS} aging reports on the replica "
                f"{REPORTS_AFTER:.0f} s into the load")
            loaded = run_load(url, db, clients=clients, orders_per_client=orders, timeout=60, plan=plans[2],
                              on_start=go.set)
            for reader in readers:
                reader.join()
            read = rows_read(db, pg_port) - before
            log(f"load_replica: with reports: {loaded}")
        finally:
            stop_server(proc)
    finally:
        log(replica("stop", pg_port).strip() or "load_replica: standby stopped")
    expected, primary_s = primary_report(db, company_id)
    expected = normalized(expected)
    equal = all(result is not None and normalized(result) == expected for result, _s in results)
    for index, (result, seconds) in enumerate(results):
        same = result is not None and normalized(result) == expected
        log(f"load_replica: report {index + 1}: {seconds if isinstance(seconds, str) else f'{seconds:.1f}s'}"
            f" equal={int(same)}")
    log(f"load_replica: primary report {primary_s:.1f}s items={expected['line_count']} "
        f"total={expected['total_open']}; rows read on the standby during the reports: {read}")
    if read < expected["line_count"]:
        log("load_replica: WARNING the standby read fewer rows than the ledger has: the reports did not run there")
    ratio = loaded["ops_s"] / alone["ops_s"] if alone["ops_s"] else 0.0
    print(f"load_replica: clients={clients} reports={REPORTS} ops_ratio={ratio:.2f} reports_equal={int(equal)}",
          flush=True)


if __name__ == "__main__":
    main()
