#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Adopting ctrl on a live database with years of history (issue #24).

    python tests/bench/bench_adoption.py DB   (config: $CTRL_CONF; size: $CTRL_BENCH_SIZE invoices,
                                               default 1,000,000; go-live $CTRL_BENCH_GO_LIVE_DAYS days ago,
                                               default 30)

A vanilla database, DB_vanilla_N (Odoo's sale_management, account and stock,
no ctrl), is made once per size and reused: N / 50 customers, a dozen
salespeople, N posted customer invoices over the 3 years up to today
(receivable / income), 62% of them settled by a payment, 4% partly paid,
each payment matched by a partial reconciliation. Made with raw SQL, as the
aging bench does, then vacuumed.

Each run copies it to DB (CREATE DATABASE ... TEMPLATE) and adopts ctrl:
- install_s: `odoo-bin -i` of the ctrl addons; max_lock_s: the longest
  stretch a probe (a side connection trying every 100 ms to take, without
  waiting, the lock a write takes on account_move, account_move_line,
  res_partner and account_partial_reconcile) found one of them blocked,
  over the install and the post-install filling of the line dates (fill_s);
- preview_s: the go-live preview (go-live date set, company not live);
- the company goes live with the default choice for older documents
  (ignore them); first_run_s: the collection cron run to completion the
  ir.cron way (a commit per call); longest_call_s: its longest call;
- retro_deductions: deductions dated before the go-live date or booked on
  invoices due before it (must be 0); retro_holds and retro_cases likewise;
- report_s: the as-of-today aging report (lines stored, summary and KPIs);
  select_s: the engine's own select of the same open items (fetched).

Prints:
    adoption: invoices=N install_s=X max_lock_s=Y preview_s=Z first_run_s=W retro_deductions=0 longest_call_s=V
              report_s=R select_s=S
"""
import os
import subprocess
import sys
import threading
import time
from datetime import date, timedelta

import psycopg2
from bench_escalation import LONGEST, run_cron
from benchlib import insert_ledger, vacuum

import odoo
from odoo.tools import SQL, config

VANILLA_MODULES = "sale_management,account,stock"
CTRL_MODULES = "ctrl_base,ctrl_credit,ctrl_receivable,ctrl_backup,ctrl_sixs"
PROBED = ("account_move", "account_move_line", "res_partner", "account_partial_reconcile")
SALESPEOPLE = 12
YEARS_DAYS = 3 * 365


def log(message):
    print(message, file=sys.stderr, flush=True)


def conf_path():
    return os.environ.get("CTRL_CONF", os.path.expanduser("~/.local/share/ctrl/odoo.conf"))


def odoo_bin(*args):
    """Run odoo-bin with the bench config; returns the seconds it took."""
    script = os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")
    start = time.perf_counter()
    subprocess.run([sys.executable, script, "-c", conf_path(), "--log-level=warn", "--stop-after-init",
                    "--without-demo=all", *args], check=True)
    return time.perf_counter() - start


def admin_connection(dbname="postgres"):
    _name, info = odoo.sql_db.connection_info_for(dbname)
    conn = psycopg2.connect(**info)
    conn.autocommit = True
    return conn


def admin_execute(query, params=None):
    """Run ``query`` outside a transaction (CREATE / DROP DATABASE); returns its rows, if any."""
    conn = admin_connection()
    try:
        with conn.cursor() as cr:
            cr.execute(query, params)
            return cr.fetchall() if cr.description else []
    finally:
        conn.close()


def database_exists(name):
    return bool(admin_execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)))


def release(dbname):
    """Close this process's connections to ``dbname`` (a template must have none)."""
    odoo.modules.registry.Registry.delete(dbname)
    odoo.sql_db.close_db(dbname)


# ---------------------------------------------------------------------------
# The vanilla database
# ---------------------------------------------------------------------------
def generate(env, invoices):
    """Customers, salespeople, invoices, payments and partial reconciliations (raw SQL)."""
    cr = env.cr
    company = env.company
    today = date.today()
    accounts = {
        kind: env["account.account"].search([("account_type", "=", kind), ("company_ids", "in", company.ids)],
                                            limit=1).id
        for kind in ("asset_receivable", "income", "asset_current")}
    Users = env["res.users"].with_context(no_reset_password=True, tracking_disable=True)
    users = Users.create([{"name": f"Bench seller {i}", "login": f"bench-adopt-{i}",
                           "email": f"bench-adopt-{i}@example.com",
                           "groups_id": [(6, 0, env.ref("sales_team.group_sale_salesman").ids)]}
                          for i in range(SALESPEOPLE)])
    params = {
        "invoices": invoices, "partners": max(1, invoices // 50), "company": company.id,
        "currency": company.currency_id.id, "receivable": accounts["asset_receivable"],
        "income": accounts["income"], "bank_account": accounts["asset_current"],
        "sale": env["account.journal"].search([("type", "=", "sale"), ("company_id", "=", company.id)],
                                              limit=1).id,
        "bank": env["account.journal"].search([("type", "=", "bank"), ("company_id", "=", company.id)],
                                              limit=1).id,
        "first_day": today - timedelta(days=YEARS_DAYS), "span": YEARS_DAYS - 1, "today": today,
        "users": users.ids, "nusers": len(users), "uid": env.uid,
    }
    started = time.perf_counter()
    cr.execute("SET LOCAL synchronous_commit = off")
    cr.execute("""
        INSERT INTO res_partner (name, complete_name, ref, email, is_company, active, type, autopost_bills,
                                 customer_rank, create_uid, write_uid, create_date, write_date)
        SELECT 'Adopt customer ' || g, 'Adopt customer ' || g, 'BENCH-ADOPT-' || g,
               'adopt-' || g || '@example.com', TRUE, TRUE, 'contact', 'ask', 1, %(uid)s, %(uid)s, NOW(), NOW()
          FROM generate_series(1, %(partners)s) g""", params)
    cr.execute("UPDATE res_partner SET commercial_partner_id = id WHERE ref LIKE 'BENCH-ADOPT-%%'")
    cr.execute("SELECT min(id) FROM res_partner WHERE ref LIKE 'BENCH-ADOPT-%%'")
    params["partner0"] = cr.fetchone()[0]
    # kind 1: settled in full (62%), kind 2: 40% paid (4%), else open; paid 10-80 days after the invoice.
    cr.execute("""
        CREATE TEMP TABLE bench_invoice ON COMMIT DROP AS
        SELECT n, %(partner0)s + (n %% %(partners)s) AS partner_id,
               (%(users)s::int[])[1 + (n %% %(partners)s) %% %(nusers)s] AS user_id,
               inv_date, inv_date + 30 AS due_date, amount,
               CASE WHEN n %% 50 < 31 THEN 1 WHEN n %% 50 < 33 THEN 2 ELSE 0 END AS kind,
               LEAST(inv_date + 10 + (random() * 70)::int, %(today)s::date) AS pay_date
          FROM (SELECT n, %(first_day)s::date + (random() * %(span)s)::int AS inv_date,
                       round((100 + random() * 9900)::numeric, 2) AS amount
                  FROM generate_series(0, %(invoices)s - 1) n) raw""", params)
    cr.execute("""ALTER TABLE bench_invoice ADD COLUMN paid numeric;
                  UPDATE bench_invoice SET paid = CASE kind WHEN 1 THEN amount WHEN 2 THEN round(amount * 0.4, 2)
                                                            ELSE 0 END""")
    insert_ledger(cr, dict(params, invoice_prefix="AINV/", payment_prefix="APAY/"), invoices)
    cr.commit()
    vacuum(cr.dbname, PROBED)
    log(f"generated: partners={params['partners']} invoices={invoices} s={time.perf_counter() - started:.1f}")


def vanilla(db, invoices):
    """The vanilla database of this size, made once."""
    name = f"{db}_vanilla_{invoices}"
    if database_exists(name):
        return name
    log(f"making {name}: {VANILLA_MODULES}")
    odoo_bin("-d", name, "-i", VANILLA_MODULES)
    registry = odoo.modules.registry.Registry(name)
    with registry.cursor() as cr:
        generate(odoo.api.Environment(cr, odoo.SUPERUSER_ID, {}), invoices)
    release(name)
    return name


def copy_database(template, db):
    release(db)
    admin_execute(f'DROP DATABASE IF EXISTS "{db}"')  # pylint: disable=sql-injection
    admin_execute(f'CREATE DATABASE "{db}" TEMPLATE "{template}"')  # pylint: disable=sql-injection


# ---------------------------------------------------------------------------
# The lock probe
# ---------------------------------------------------------------------------
class LockProbe(threading.Thread):
    """Every 100 ms, tries to take without waiting the lock a write takes on
    each probed table (ROW EXCLUSIVE; an ACCESS EXCLUSIVE lock also blocks
    reads) and records the longest stretch a table stayed blocked."""

    def __init__(self, db):
        super().__init__(daemon=True)
        self.conn = admin_connection(db)
        self.conn.autocommit = False
        self.stop = threading.Event()
        self.blocked_since = {}
        self.longest = 0.0
        self.longest_table = ""
        self.blocker = {}  # table -> the statement holding the lock when the stretch began
        self.longest_blocker = ""

    def run(self):
        with self.conn.cursor() as cr:
            while not self.stop.is_set():
                for table in PROBED:
                    now = time.perf_counter()
                    try:
                        cr.execute(f"LOCK TABLE {table} IN ROW EXCLUSIVE MODE NOWAIT")  # pylint: disable=sql-injection
                        blocked = False
                    except psycopg2.errors.LockNotAvailable:
                        blocked = True
                    except psycopg2.errors.UndefinedTable:
                        blocked = False
                    self.conn.rollback()
                    if blocked and table not in self.blocked_since:
                        self.blocked_since[table] = now
                        self.blocker[table] = self._holder(cr, table)
                    elif table in self.blocked_since:
                        self._record(table, now)
                time.sleep(0.1)
            now = time.perf_counter()
            for table in list(self.blocked_since):
                self._record(table, now)
        self.conn.close()

    def _holder(self, cr, table):
        """The statement of a session holding a lock that blocks writes on ``table``."""
        cr.execute("""SELECT left(regexp_replace(activity.query, '\\s+', ' ', 'g'), 160) FROM pg_locks lock
                        JOIN pg_stat_activity activity ON activity.pid = lock.pid
                       WHERE lock.relation = %s::regclass AND lock.granted AND lock.pid <> pg_backend_pid()
                         AND lock.mode IN ('ShareLock', 'ShareRowExclusiveLock', 'ExclusiveLock',
                                           'AccessExclusiveLock')
                       LIMIT 1""", (table,))
        row = cr.fetchone()
        self.conn.rollback()
        return row[0] if row else ""

    def _record(self, table, now):
        stretch = now - self.blocked_since.pop(table)
        if stretch > self.longest:
            self.longest, self.longest_table = stretch, table
            self.longest_blocker = self.blocker.get(table, "")
        if stretch > 0.5:
            log(f"probe: {table} blocked {stretch:.2f} s by: {self.blocker.get(table, '')}")

    def finish(self):
        self.stop.set()
        self.join()
        return self.longest


# ---------------------------------------------------------------------------
# Adoption
# ---------------------------------------------------------------------------
def fill_line_dates(env):
    """The post-install scheduled action, called the ir.cron way to the end."""
    cron = env.ref("ctrl_receivable.ir_cron_fill_partial_dates")
    calls = 0
    while True:
        job, progress = cron._add_progress()
        env.cr.commit()
        job.env["account.partial.reconcile"].with_context(ir_cron_progress_id=progress.id)._cron_ctrl_fill_line_dates()
        env.cr.commit()
        calls += 1
        if not progress.remaining:
            return calls
        env.invalidate_all()


def retroactive(env, go_live):
    counts = {}
    queries = {
        "deductions": """SELECT count(*) FROM ctrl_recv_accountability acc
                           LEFT JOIN account_move move ON move.id = acc.move_id
                          WHERE acc.kind = 'deduction' AND (acc.date < %(go_live)s
                                OR move.invoice_date_due < %(go_live)s)""",
        "holds": """SELECT count(*) FROM ctrl_credit_hold hold
                      JOIN account_move move ON hold.res_model = 'account.move' AND move.id = hold.res_id
                     WHERE move.invoice_date_due < %(go_live)s""",
        "cases": """SELECT count(*) FROM ctrl_collection_case
                     WHERE partner_id IN (SELECT id FROM res_partner WHERE ref LIKE 'BENCH-ADOPT-%%')""",
        "d13": "SELECT count(*) FROM account_move WHERE ctrl_recv_d13_state IS NOT NULL "
               "AND invoice_date_due < %(go_live)s",
    }
    for name, query in queries.items():
        env.cr.execute(query, {"go_live": go_live})
        counts[name] = env.cr.fetchone()[0]
    return counts


def aging_report(env):
    """Seconds of the as-of-today aging report, and of the engine's select of
    the same items (the faster of two fetches, around the report)."""
    company = env.company
    engine = env["ctrl.aging.engine"]
    today = odoo.fields.Date.context_today(engine)
    scheme = company._ctrl_recv_scheme("collection")
    items = SQL("SELECT * FROM (%s) items WHERE items.amount <> 0 OR items.amount_currency <> 0",
                engine._open_items_sql(today, company, scheme, with_move=True))

    def select():
        start = time.perf_counter()
        env.cr.execute(items)
        rows = len(env.cr.fetchall())
        return time.perf_counter() - start, rows

    first, rows = select()
    report = env["ctrl.aging.report"].create({"company_id": company.id, "date": today, "scheme_id": scheme.id})
    env.cr.commit()
    start = time.perf_counter()
    report._compute_aging()
    env.flush_all()
    env.cr.commit()
    report_s = time.perf_counter() - start
    second, _rows = select()
    log(f"report: items={rows} lines={report.line_count} reconciles={report.reconciled}")
    return report_s, min(first, second)


def bench(db, invoices, go_live_days):
    template = vanilla(db, invoices)
    copy_database(template, db)
    probe = LockProbe(db)
    probe.start()
    install_s = odoo_bin("-d", db, "-i", CTRL_MODULES)
    log(f"install: s={install_s:.1f} longest lock so far={probe.longest:.2f} ({probe.longest_table})")
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        start = time.perf_counter()
        calls = fill_line_dates(env)
        fill_s = time.perf_counter() - start
        max_lock_s = probe.finish()
        log(f"fill: calls={calls} s={fill_s:.1f} max_lock_s={max_lock_s:.2f} ({probe.longest_table})")
        company = env.company
        go_live = odoo.fields.Date.context_today(company) - timedelta(days=go_live_days)
        company.ctrl_go_live_date = go_live
        env.cr.commit()
        start = time.perf_counter()
        preview = env["ctrl.go.live.preview"]._ctrl_compute(company)
        preview_s = time.perf_counter() - start
        for line in preview.line_ids.filtered(lambda ln: ln.record_count or ln.placed_count):
            log(f"preview: {line.ladder_id.name} / {line.level_id.name}: acted={line.record_count} "
                f"placed={line.placed_count} activities={line.activity_count}")
        env.cr.commit()
        company.action_ctrl_activate()
        env.cr.commit()
        log(f"live: go-live {go_live}, older documents: {company.ctrl_backlog_policy}")
        start = time.perf_counter()
        run_cron(env, "first run")
        first_run_s = time.perf_counter() - start
        retro = retroactive(env, go_live)
        log("retroactive: " + " ".join(f"{name}={count}" for name, count in retro.items()))
        report_s, select_s = aging_report(env)
    print(f"adoption: invoices={invoices} install_s={install_s:.1f} max_lock_s={max_lock_s:.2f} "
          f"preview_s={preview_s:.1f} first_run_s={first_run_s:.1f} retro_deductions={retro['deductions']} "
          f"longest_call_s={LONGEST['s']:.1f} report_s={report_s:.2f} select_s={select_s:.2f} "
          f"fill_s={fill_s:.1f}", flush=True)


def main():
    db = sys.argv[1]
    config.parse_config(["-c", conf_path(), "--log-level=warn"])
    invoices = int(os.environ.get("CTRL_BENCH_SIZE") or 1_000_000)
    bench(db, invoices, int(os.environ.get("CTRL_BENCH_GO_LIVE_DAYS") or 30))


if __name__ == "__main__":
    main()
