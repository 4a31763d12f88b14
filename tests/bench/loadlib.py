# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""A multi-user load on Odoo in prefork mode, over JSON-RPC (issue #23 item 4).

Reusable pieces (bench_load.py uses them; other benches may run beside a load):

- ``start_server(db, port, workers=4)``: odoo-bin with ``--workers`` on the loopback, its own HTTP port
  (and gevent port ``port + 10000``), no cron, this checkout's config ($CTRL_CONF). Returns the process
  once the server answers. ``stop_server(proc)`` stops it (SIGTERM, then SIGKILL of its own process group).
- ``prepare_load_db(db, ctrl, ...)``: installs the modules if the database is missing (all ctrl addons when
  ``ctrl``, else Odoo's sale_management, sale_stock and account), then adds the generated data of one run:
  salesman users ``load_sm_NN`` (password = login), storable products with stock, and a fresh set of
  customers tagged with the run (``ref`` = ``load-<tag>-<n>``): most with a large limit, some near their
  limit, some held (ctrl only: an active manual hold), and a race customer with two draft orders that each
  fit in its limit but not both. Returns the plan (also stored in ir.config_parameter ``ctrl_bench_load.plan``).
- ``run_load(url, db, clients=50, orders_per_client=10, timeout=60)``: one thread per client, each logs in
  as its salesman and, for each of its orders, creates it, confirms it and validates its delivery. Each
  request has a timeout; the number of requests is bounded. A credit refusal (a UserError from the
  confirmation) is counted as ``refused``, anything else as ``errors``. Two more clients confirm the race
  customer's two orders at the same moment (a barrier). Returns
  dict(orders, ops, ops_s, p95_ms, errors, refused, confirmed, delivered, race_confirmed, elapsed_s).
- ``over_limit_confirmed(db, plan)``: counted afterwards in SQL (see its docstring).
"""
import json
import os
import random
import signal
import subprocess
import sys
import threading
import time

import psycopg2
import requests

import odoo

VANILLA_MODULES = "sale_management,sale_stock,account"
PLAN_KEY = "ctrl_bench_load.plan"
ADDONS_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "addons")


def log(message):
    print(message, file=sys.stderr, flush=True)


def conf_path():
    return os.environ["CTRL_CONF"]  # set by setup/bench


def ctrl_modules():
    return ",".join(sorted(d for d in os.listdir(ADDONS_DIR) if d.startswith("ctrl_")))


def odoo_bin():
    return os.path.join(os.path.dirname(os.path.dirname(odoo.__file__)), "odoo-bin")


_configured = []


def connection(db="postgres"):
    """An autocommit connection with the config's credentials."""
    if not _configured:
        odoo.tools.config.parse_config(["-c", conf_path(), "--log-level=warn"])
        _configured.append(True)
    _name, info = odoo.sql_db.connection_info_for(db)
    conn = psycopg2.connect(**info)
    conn.autocommit = True
    return conn


def db_exists(db):
    conn = connection()
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT 1 FROM pg_database WHERE datname = %s", (db,))
            return bool(cr.fetchone())
    finally:
        conn.close()


# ----------------------------------------------------------------------
# Server
# ----------------------------------------------------------------------
def start_server(db, port, workers=4, logfile=None, wait=180):
    """Odoo in prefork mode on 127.0.0.1:``port`` serving ``db`` only."""
    cmd = [sys.executable, odoo_bin(), "-c", conf_path(), "-d", db, f"--db-filter=^{db}$",
           f"--workers={workers}", "--http-interface=127.0.0.1", f"--http-port={port}",
           f"--gevent-port={port + 10000}", "--max-cron-threads=0",
           f"--log-level={os.environ.get('CTRL_LOAD_LOG_LEVEL', 'warn')}",
           "--limit-time-real=600", "--limit-time-cpu=300", "--limit-memory-soft=2147483648",
           "--limit-memory-hard=2684354560", "--db_maxconn=64"]
    out = open(logfile or os.devnull, "ab")  # kept open for the server's life
    proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    proc.ctrl_log = out
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the Odoo server on port {port} exited with {proc.returncode} (log: {logfile})")
        try:
            jsonrpc(requests, url, "common", "version", timeout=5)
            return proc
        except (requests.RequestException, RuntimeError):
            time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"the Odoo server on port {port} did not answer within {wait}s (log: {logfile})")


def stop_server(proc, wait=30):
    """Stop a server from start_server: SIGTERM to the master (it stops its workers), then SIGKILL to
    the process group it leads if it is still there."""
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(wait)
    try:
        os.killpg(proc.pid, signal.SIGKILL)  # workers left behind, if any
    except ProcessLookupError:
        pass
    getattr(proc, "ctrl_log", None) and proc.ctrl_log.close()


# ----------------------------------------------------------------------
# Data
# ----------------------------------------------------------------------
def install(db, modules):
    subprocess.run([sys.executable, odoo_bin(), "-c", conf_path(), "-d", db, "-i", modules,
                    "--without-demo=all", "--stop-after-init", "--log-level=warn"], check=True)


def prepare_load_db(db, ctrl, salesmen=50, customers=200, products=40, near_share=0.2, held_share=0.1,
                    near_limit=3000.0, seed=1):
    """Install (if missing) and add one run's data; returns the plan (see the module docstring)."""
    if not db_exists(db):
        log(f"load: installing {'ctrl' if ctrl else 'vanilla'} modules into {db}")
        install(db, ctrl_modules() if ctrl else VANILLA_MODULES)
    connection().close()  # parses the config once
    registry = odoo.modules.registry.Registry(db)
    rng = random.Random(seed)
    tag = time.strftime("%Y%m%d%H%M%S")
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {"tracking_disable": True, "mail_create_nolog": True,
                                                            "mail_notrack": True, "no_reset_password": True})
        company = env.ref("base.main_company")
        if not env["account.account"].search_count([("company_ids", "in", company.ids)], limit=1):
            env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
        company.account_use_credit_limit = True
        if ctrl:
            # The controls active from the start (issue #24), no cut-off.
            company.write({"ctrl_live": True, "ctrl_go_live_date": False})
        groups = [env.ref("sales_team.group_sale_salesman").id, env.ref("stock.group_stock_user").id,
                  env.ref("base.group_user").id]
        logins = []
        Users = env["res.users"].with_context(active_test=False)
        for n in range(1, salesmen + 1):
            login = f"load_sm_{n:02d}"
            logins.append(login)
            if not Users.search_count([("login", "=", login)]):
                Users.create({"name": f"Load salesman {n:02d}", "login": login, "password": login,
                              "company_id": company.id, "company_ids": [(6, 0, company.ids)],
                              "groups_id": [(6, 0, groups)]})
        Product = env["product.product"]
        product_ids = []
        stock = env.ref("stock.stock_location_stock")
        for n in range(1, products + 1):
            code = f"LOAD-P-{n:02d}"
            product = Product.search([("default_code", "=", code)], limit=1)
            if not product:
                product = Product.create({"name": f"Load product {n:02d}", "default_code": code,
                                          "type": "consu", "is_storable": True,
                                          "list_price": 10.0 * rng.randint(5, 60), "taxes_id": [(5, 0, 0)]})
            if product.qty_available < 100000:
                env["stock.quant"]._update_available_quantity(product, stock, 1000000)
            product_ids.append(product.id)
        env.flush_all()
        Partner = env["res.partner"]
        approved = env(context=dict(env.context, ctrl_credit_limit_approved=True))
        grade = ctrl and env["ctrl.credit.grade"].search(
            [("company_id", "in", (company.id, False)), ("policy", "=", "credit")], limit=1)
        normal, near, held = [], [], []
        n_held = int(customers * held_share)
        n_near = int(customers * near_share)
        for n in range(customers):
            limit = near_limit if n_held <= n < n_held + n_near else 10000000.0
            vals = {"name": f"Load customer {tag} {n:03d}", "is_company": True, "ref": f"load-{tag}-{n}",
                    "credit_limit": limit}
            if ctrl:
                vals["ctrl_credit_grade_id"] = grade.id
                partner = approved["res.partner"].create(vals).with_env(env)
            else:
                partner = Partner.create(vals)
            if n < n_held:
                held.append(partner.id)
                if ctrl:
                    env["ctrl.credit.hold"]._ctrl_place(partner, "manual", note="Load bench: held customer",
                                                        company=company)
            elif limit == near_limit:
                near.append(partner.id)
            else:
                normal.append(partner.id)
        # The race: room for exactly one of two orders.
        vals = {"name": f"Load race customer {tag}", "is_company": True, "ref": f"load-{tag}-race",
                "credit_limit": 1000.0}
        if ctrl:
            vals["ctrl_credit_grade_id"] = grade.id
            race = approved["res.partner"].create(vals).with_env(env)
        else:
            race = Partner.create(vals)
        race_orders = []
        for login in logins[:2]:
            user = Users.search([("login", "=", login)])
            order = env["sale.order"].create({
                "partner_id": race.id, "user_id": user.id, "company_id": company.id,
                "order_line": [(0, 0, {"product_id": product_ids[0], "product_uom_qty": 1, "price_unit": 600.0})]})
            race_orders.append([login, order.id])
        plan = {"db": db, "ctrl": bool(ctrl), "tag": tag, "company": company.id, "logins": logins,
                "products": product_ids, "normal": normal, "near": near, "held": held, "race_partner": race.id,
                "race_orders": race_orders, "near_limit": near_limit}
        env["ir.config_parameter"].set_param(PLAN_KEY, json.dumps(plan))
        cr.commit()
    return plan


def load_plan(db):
    conn = connection(db)
    try:
        with conn.cursor() as cr:
            cr.execute("SELECT value FROM ir_config_parameter WHERE key = %s", (PLAN_KEY,))
            row = cr.fetchone()
    finally:
        conn.close()
    if not row:
        raise RuntimeError(f"no load plan in {db}: run prepare_load_db first")
    return json.loads(row[0])


# ----------------------------------------------------------------------
# Clients
# ----------------------------------------------------------------------
class RpcError(Exception):
    def __init__(self, error):
        data = error.get("data") or {}
        self.name = data.get("name", "")
        self.message = data.get("message") or error.get("message", "")
        super().__init__(f"{self.name}: {self.message}")


def jsonrpc(session, url, service, method, *args, timeout=60):
    response = session.post(f"{url}/jsonrpc", timeout=timeout, json={
        "jsonrpc": "2.0", "method": "call", "id": 1,
        "params": {"service": service, "method": method, "args": list(args)}})
    response.raise_for_status()
    body = response.json()
    if body.get("error"):
        raise RpcError(body["error"])
    return body["result"]


REFUSALS = ("odoo.exceptions.UserError",)


class Client:
    """One salesman: a requests session, every call timed."""

    def __init__(self, url, db, login, timeout, stats):
        self.url, self.db, self.login, self.timeout, self.stats = url, db, login, timeout, stats
        self.session = requests.Session()
        self.uid = None

    def call(self, service, method, *args):
        start = time.perf_counter()
        try:
            return jsonrpc(self.session, self.url, service, method, *args, timeout=self.timeout)
        finally:
            self.stats.latency((time.perf_counter() - start) * 1000)

    def execute(self, model, method, *args):
        return self.call("object", "execute_kw", self.db, self.uid, self.login, model, method, list(args))

    def login_(self):
        self.uid = self.call("common", "login", self.db, self.login, self.login)
        if not self.uid:
            raise RuntimeError(f"{self.login} could not log in")


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.answered_at = []
        self.counts = {"orders": 0, "confirmed": 0, "refused": 0, "errors": 0, "delivered": 0}
        self.messages = []

    def latency(self, ms):
        with self.lock:
            self.latencies.append(ms)
            self.answered_at.append(time.perf_counter())

    def add(self, key, message=None):
        with self.lock:
            self.counts[key] += 1
            if message and len(self.messages) < 20:
                self.messages.append(message)


def order_cycle(client, partner_id, product_id, qty, stats):
    """Create, confirm, validate the delivery. Returns 'confirmed', 'refused' or 'error'."""
    try:
        order_id = client.execute("sale.order", "create", {
            "partner_id": partner_id, "user_id": client.uid,
            "order_line": [(0, 0, {"product_id": product_id, "product_uom_qty": qty})]})
    except (RpcError, requests.RequestException) as exc:
        stats.add("errors", f"create: {exc}")
        return "error"
    stats.add("orders")
    try:
        client.execute("sale.order", "action_confirm", [order_id])
    except RpcError as exc:
        if exc.name in REFUSALS:
            stats.add("refused")
            return "refused"
        stats.add("errors", f"confirm: {exc}")
        return "error"
    except requests.RequestException as exc:
        stats.add("errors", f"confirm: {exc}")
        return "error"
    stats.add("confirmed")
    try:
        [order] = client.execute("sale.order", "read", [order_id], ["picking_ids"])
        for picking_id in order["picking_ids"]:
            result = client.execute("stock.picking", "button_validate", [picking_id])
            if result is not True:
                stats.add("errors", f"validate returned {str(result)[:200]}")
                return "error"
        stats.add("delivered")
    except (RpcError, requests.RequestException) as exc:
        stats.add("errors", f"deliver: {exc}")
        return "error"
    return "confirmed"


TIMELINE_STEP = 10


def clock(moment):
    """The wall-clock time of a time.perf_counter() ``moment`` (to line up the logs of several threads)."""
    return time.strftime("%H:%M:%S", time.localtime(time.time() - (time.perf_counter() - moment)))


def timeline(moments, start):
    """How many of ``moments`` fall in each TIMELINE_STEP seconds from ``start``, as a line of counts."""
    counts = {}
    for moment in moments:
        step = max(0, int((moment - start) // TIMELINE_STEP))
        counts[step] = counts.get(step, 0) + 1
    return " ".join(str(counts.get(step, 0)) for step in range(max(counts, default=-1) + 1))


def run_load(url, db, clients=50, orders_per_client=10, timeout=60, plan=None, seed=1, on_start=None):
    """The load (see the module docstring). Bounded: ``clients`` x ``orders_per_client`` orders of at most
    four requests each (create, confirm, read, validate), each request at most ``timeout`` seconds.
    ``on_start`` is called when the clients, logged in, start their orders."""
    plan = plan or load_plan(db)
    logins = plan["logins"]
    if clients > len(logins):
        raise ValueError(f"{clients} clients but only {len(logins)} salesman users in the plan")
    customers = plan["normal"] + plan["near"] + plan["held"]
    stats = Stats()
    race_results = []
    start_gate = threading.Barrier(clients + len(plan["race_orders"]) + 1)  # and this thread
    race_gate = threading.Barrier(len(plan["race_orders"]), timeout=timeout)

    def worker(index):
        rng = random.Random(seed * 1000 + index)
        client = Client(url, db, logins[index], timeout, stats)
        try:
            client.login_()
        except Exception as exc:  # counted, the others go on
            stats.add("errors", f"login {logins[index]}: {exc}")
            start_gate.wait()
            return
        start_gate.wait()
        for _n in range(orders_per_client):
            order_cycle(client, rng.choice(customers), rng.choice(plan["products"]), rng.randint(1, 3), stats)

    def racer(login, order_id):
        client = Client(url, db, login, timeout, stats)
        try:
            client.login_()
        finally:
            start_gate.wait()
        time.sleep(1.0)  # in the middle of the load
        try:
            race_gate.wait()
            client.execute("sale.order", "action_confirm", [order_id])
            race_results.append("confirmed")
        except RpcError as exc:
            race_results.append("refused" if exc.name in REFUSALS else f"error {exc}")
        except (requests.RequestException, threading.BrokenBarrierError) as exc:
            race_results.append(f"error {exc!r}")

    threads = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(clients)]
    threads += [threading.Thread(target=racer, args=tuple(pair), daemon=True) for pair in plan["race_orders"]]
    for thread in threads:
        thread.start()
    start_gate.wait()
    start = time.perf_counter()
    if on_start:
        on_start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    latencies = sorted(stats.latencies)
    p95 = latencies[min(len(latencies) - 1, int(0.95 * len(latencies)))] if latencies else 0.0
    ops = len(latencies)
    for message in stats.messages:
        log(f"load: {message}")
    log(f"load: requests answered per {TIMELINE_STEP} s from {clock(start)}: {timeline(stats.answered_at, start)}")
    race_errors = [r for r in race_results if r.startswith("error")]
    for message in race_errors:
        log(f"load race: {message}")
    return dict(stats.counts, ops=ops, ops_s=ops / elapsed if elapsed else 0.0, p95_ms=p95, elapsed_s=elapsed,
                race_confirmed=race_results.count("confirmed"), race_refused=race_results.count("refused"),
                race_errors=len(race_errors))


# ----------------------------------------------------------------------
# Afterwards
# ----------------------------------------------------------------------
def over_limit_confirmed(db, plan):
    """Confirmed orders beyond their customer's limit, counted in SQL over this run's customers.

    A customer with a limit may have confirmed orders totalling at most the limit (company currency; the
    bench's customers start with no exposure and nothing is invoiced or paid during the load, so the
    exposure at each confirmation is the sum of the orders confirmed before it). Orders are taken in
    confirmation order (date_order, set at confirmation, then id); each one whose running total passes the
    limit counts, unless an approved override exists for it (a lifted over-limit hold tied to the order,
    ctrl only). Held customers' confirmed orders are counted too (ctrl only: they must be 0)."""
    override = ""
    if plan["ctrl"]:
        override = """AND NOT EXISTS (SELECT 1 FROM ctrl_credit_hold h WHERE h.res_model = 'sale.order'
                                         AND h.res_id = o.id AND h.state = 'lifted'
                                         AND h.reason IN ('over_limit', 'manual'))"""
    conn = connection(db)
    try:
        with conn.cursor() as cr:
            cr.execute(f"""
                WITH o AS (
                    SELECT so.id, so.partner_id,
                           COALESCE((p.credit_limit ->> so.company_id::text)::numeric, 0) AS lim,
                           SUM(so.amount_total) OVER (PARTITION BY so.partner_id ORDER BY so.date_order, so.id)
                               AS running
                      FROM sale_order so JOIN res_partner p ON p.id = so.partner_id
                     WHERE so.state = 'sale' AND p.ref LIKE %s)
                SELECT COUNT(*) FILTER (WHERE lim > 0 AND running > lim + 0.005 {override}),
                       COUNT(*) FILTER (WHERE partner_id = ANY(%s) {override})
                  FROM o""", (f"load-{plan['tag']}-%", plan["held"] if plan["ctrl"] else []))
            over, held = cr.fetchone()
    finally:
        conn.close()
    return {"over_limit_confirmed": over, "held_confirmed": held}
