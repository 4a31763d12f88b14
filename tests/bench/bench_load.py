#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Many salespeople at once (issue #23 item 4): throughput of ctrl against vanilla Odoo under load.

    python tests/bench/bench_load.py DB     (config: $CTRL_CONF; DB has all ctrl addons, DB_vanilla
                                             is made with Odoo's sale_management, sale_stock and account)

Each database gets the same generated data (loadlib.prepare_load_db): 50 salesman users, 200 new customers
(10% held by a manual hold in ctrl, 20% with a limit of 3,000 that a few orders exhaust, the rest with a
large limit), storable products in stock, and a race customer with two draft orders of 600 against a limit
of 1,000. Odoo runs in prefork mode (--workers=4, loopback, port $CTRL_BENCH_LOAD_PORT, default 8173) on
each database in turn; 50 JSON-RPC clients (threads, one salesman each) create, confirm and deliver
$CTRL_BENCH_LOAD_ORDERS orders each (default 10), every request with a 60 s timeout; two more clients
confirm the race customer's two orders at the same moment.

Prints:
    load: clients=50 orders=N ctrl_ops_s=X vanilla_ops_s=Y p95_ms=Z over_limit_confirmed=0 held_confirmed=0
          race_confirmed=1 refused=R errors=E vanilla_p95_ms=W vanilla_over_limit_confirmed=V

ops are JSON-RPC requests answered (a credit refusal is an answer); p95_ms is ctrl's 95th percentile
request time. over_limit_confirmed (loadlib.over_limit_confirmed) is counted in SQL afterwards: orders
confirmed beyond their customer's limit without an approved override. Vanilla Odoo only warns, so its
count is shown for comparison. race_confirmed: of the two racing confirmations, how many went through
in ctrl (must be 1). CTRL_BENCH_LOAD_CLIENTS changes the number of clients (for a quick try).
"""
import os
import sys

from loadlib import log, over_limit_confirmed, prepare_load_db, run_load, start_server, stop_server


def one(db, ctrl, port, clients, orders):
    plan = prepare_load_db(db, ctrl)
    logfile = os.path.join(os.environ.get("TMPDIR", "/tmp"), f"{db}-server.log")
    proc = start_server(db, port, workers=4, logfile=logfile)
    try:
        log(f"load: {clients} clients x {orders} orders on {db}")
        result = run_load(f"http://127.0.0.1:{port}", db, clients=clients, orders_per_client=orders,
                          timeout=60, plan=plan)
    finally:
        stop_server(proc)
    result.update(over_limit_confirmed(db, plan))
    log(f"load: {db}: {result}")
    return result


def main():
    db = sys.argv[1]
    port = int(os.environ.get("CTRL_BENCH_LOAD_PORT", "8173"))
    clients = int(os.environ.get("CTRL_BENCH_LOAD_CLIENTS", "50"))
    orders = int(os.environ.get("CTRL_BENCH_LOAD_ORDERS", "10"))
    vanilla = one(f"{db}_vanilla", False, port, clients, orders)
    ctrl = one(db, True, port, clients, orders)
    print(f"load: clients={clients} orders={ctrl['orders']} ctrl_ops_s={ctrl['ops_s']:.1f} "
          f"vanilla_ops_s={vanilla['ops_s']:.1f} p95_ms={ctrl['p95_ms']:.0f} "
          f"over_limit_confirmed={ctrl['over_limit_confirmed']} held_confirmed={ctrl['held_confirmed']} "
          f"race_confirmed={ctrl['race_confirmed']} refused={ctrl['refused']} errors={ctrl['errors']} "
          f"vanilla_p95_ms={vanilla['p95_ms']:.0f} "
          f"vanilla_over_limit_confirmed={vanilla['over_limit_confirmed']}", flush=True)


if __name__ == "__main__":
    main()
