#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""What ctrl_credit adds to sale.order.action_confirm, beside Odoo's own
credit-limit warning computation, for a customer with 10, 50,000 and 500,000
open receivable lines.

    python tests/bench/bench_credit.py DB      (config from $CTRL_CONF)

Prints one line per size:
    credit_check: partner_lines=N added_ms=X native_ms=Y
Everything runs in one transaction that is rolled back.

"added" is exactly what ``sale.order.action_confirm`` runs before Odoo's own
confirmation (``_ctrl_credit_check_confirm`` and the approval-by-value lookup);
"native" is ``sale.order._compute_partner_credit_warning``.

Scaling: ctrl reads the customer's exposure from the exposure ledger
(ctrl.credit.exposure, one row kept by database triggers, locked for the
check) and finds the oldest overdue due date with one index probe per contact
and receivable account, so the added time does not grow with the customer's
history. Odoo's side still sums the open lines (``res.partner._credit_debit_get``
plus its ORM work on ``credit_to_invoice``) and grows linearly.

The lines are copies of one posted receivable line, inserted by SQL in chunks
(the ledger's statement trigger adds each chunk), so memory stays flat at
500,000 lines. CTRL_BENCH_CREDIT_SIZES="10 50000" runs other sizes.
"""
import os
import statistics
import sys
import time

import odoo
from odoo import Command
from odoo.tools import config


def clone_line(cr, line_id, copies, chunk=50000):
    """Copy one posted receivable line ``copies`` times (read-only timing data), ``chunk`` rows a statement."""
    cr.execute("""SELECT column_name FROM information_schema.columns
                   WHERE table_name = 'account_move_line' AND column_name != 'id'""")
    cols = ", ".join(f'"{c}"' for (c,) in cr.fetchall())
    while copies > 0:
        cr.execute(f"INSERT INTO account_move_line ({cols}) SELECT {cols} FROM account_move_line, "
                   f"generate_series(1, %s) WHERE id = %s", (min(copies, chunk), line_id))
        copies -= chunk


def median_ms(func, env, runs, forget):
    """Median time of ``func`` with warm documents, as in action_confirm: only
    the figures each side computes (``forget``) are dropped between runs."""
    func()
    timings = []
    for _ in range(runs):
        forget()
        start = time.perf_counter()
        func()
        timings.append((time.perf_counter() - start) * 1000)
    return statistics.median(timings)


def bench(env, lines):
    company = env.company
    company.account_use_credit_limit = True
    # The controls are active (issue #24): before that, the check does nothing to time.
    company.write({"ctrl_live": True, "ctrl_go_live_date": False})
    if not env["account.account"].search_count([("company_ids", "in", company.ids)], limit=1):
        env["account.chart.template"].try_loading("generic_coa", company, install_demo=False)
    # Limit and grade set as an approved evaluation does (a direct change would become a request).
    approved = env(context=dict(env.context, ctrl_credit_limit_approved=True))
    grade = env["ctrl.credit.grade"].search([("company_id", "=", company.id), ("policy", "=", "credit")], limit=1)
    partner = approved["res.partner"].create({"name": f"Bench customer {lines}", "is_company": True,
                                              "credit_limit": 10 ** 12, "ctrl_credit_grade_id": grade.id})
    assert partner._ctrl_credit_controlled(company), "the bench customer must be credit-controlled"
    partner = partner.with_env(env)
    invoice = env["account.move"].create({
        "move_type": "out_invoice", "partner_id": partner.id, "invoice_date": "2026-01-01",
        "invoice_line_ids": [Command.create({"name": "bench", "quantity": 1, "price_unit": 100.0,
                                             "tax_ids": [Command.clear()]})],
    })
    invoice.action_post()
    receivable = invoice.line_ids.filtered(lambda line: line.account_type == "asset_receivable")
    # Write the posted state first: copying the line before the flush cloned draft lines, which neither
    # side counts (that is why earlier runs looked flat).
    env.flush_all()
    # Overdue, so that the check's probe for the oldest overdue due date finds its line (its worst case).
    env.cr.execute("UPDATE account_move_line SET date_maturity = '2026-01-01' WHERE id = %s", (receivable.id,))
    clone_line(env.cr, receivable.id, lines - 1)
    env.invalidate_all()
    product = env["product.product"].create({"name": "Bench product", "list_price": 10.0})
    order = env["sale.order"].create({"partner_id": partner.id, "order_line": [
        Command.create({"product_id": product.id, "product_uom_qty": 1, "price_unit": 10.0})]})
    company.ctrl_credit_overdue_grace_days = 10 ** 6  # time the check, not a refusal

    def added():
        # Exactly what action_confirm runs before Odoo's own confirmation.
        snapshots = order._ctrl_credit_check_confirm()
        order._ctrl_needs_value_approval(snapshots[order.id]["amount"])

    def native():
        order._compute_partner_credit_warning()

    def forget():
        partner.invalidate_recordset(["credit", "debit", "credit_to_invoice"])
        order.invalidate_recordset(["partner_credit_warning"])
        env["ctrl.credit.hold"].invalidate_model()
        env["ctrl.approval.request"].invalidate_model()

    # ctrl's side takes milliseconds at every size: 30 runs steady its median on a busy machine.
    added_ms = median_ms(added, env, 30, forget)
    native_ms = median_ms(native, env, 30 if lines < 1000 else 5, forget)
    print(f"credit_check: partner_lines={lines} added_ms={added_ms:.2f} native_ms={native_ms:.2f}", flush=True)


def main():
    db = sys.argv[1]
    conf = os.environ["CTRL_CONF"]  # set by setup/bench
    config.parse_config(["-c", conf, "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            sizes = os.environ.get("CTRL_BENCH_CREDIT_SIZES", "10 50000 500000")
            for lines in map(int, sizes.split()):
                bench(env, lines)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
