#!/usr/bin/env python3
# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Monthly 6S rankings over one year of audits: 200 areas audited weekly with 100
check items each (about 1 million answer lines), 5% of them findings.

    python tests/bench/bench_sixs.py DB      (config from $CTRL_CONF)

Generates the data with raw SQL in a fresh company, then times
``ctrl.sixs.ranking._compute_rankings`` for one month (areas, employees, processes
and departments). Prints:
    sixs_ranking: lines=N s=X
Everything runs in one transaction that is rolled back.
"""
import os
import statistics
import sys
import time
from datetime import date

import odoo
from odoo import Command
from odoo.tools import config

AREAS = 200
PROCESS_SIZE = 5  # zones per process
DEPARTMENT_SIZE = 4  # processes per department
WEEKS = 52
ITEMS = 100
TEAM = 5  # employees per process


def generate(env):
    company = env["res.company"].create({"name": "6S bench"})
    env = env(context=dict(env.context, allowed_company_ids=[company.id], tracking_disable=True))
    Area, Employee = env["ctrl.sixs.area"], env["hr.employee"]
    root = Area.create({"name": "Bench", "level": "company", "company_id": company.id})
    zones = Area
    for d in range(AREAS // (PROCESS_SIZE * DEPARTMENT_SIZE)):
        dept = Area.create({"name": f"D{d}", "level": "department", "parent_id": root.id, "company_id": company.id})
        for p in range(DEPARTMENT_SIZE):
            team = Employee.create([{"name": f"E{d}-{p}-{i}", "company_id": company.id} for i in range(TEAM)])
            proc = Area.create({"name": f"P{d}-{p}", "level": "process", "parent_id": dept.id,
                                "company_id": company.id, "responsible_id": team[0].id,
                                "employee_ids": [Command.set(team.ids)]})
            dept.responsible_id = dept.responsible_id or team[0]
            zones |= Area.create([{"name": f"Z{d}-{p}-{z}", "level": "zone", "zone_type": "workshop",
                                   "parent_id": proc.id, "company_id": company.id} for z in range(PROCESS_SIZE)])
    env.flush_all()
    items = env["ctrl.sixs.item"].search([("area_id", "=", False)], limit=ITEMS)
    cr = env.cr
    # Weekly audits (Tuesdays of one year), published.
    cr.execute("""
        INSERT INTO ctrl_sixs_audit (name, area_id, tier, scheduled_date, slot, state, company_id,
                                     process_area_id, department_area_id, create_uid, create_date, write_uid,
                                     write_date)
        SELECT 'B/' || a.id || '/' || w, a.id, 'routine', %s::date + 7 * w, 1, 'published', a.company_id,
               a.process_area_id, a.department_area_id, 1, now(), 1, now()
          FROM ctrl_sixs_area a, generate_series(0, %s - 1) w
         WHERE a.id = ANY(%s)""", (date(2025, 1, 7), WEEKS, zones.ids))
    # 100 answers per audit; every 20th a finding of 2-5 points on a team member.
    cr.execute("""
        WITH it AS (SELECT id, category_id, row_number() OVER (ORDER BY id) AS n FROM ctrl_sixs_item
                     WHERE id = ANY(%s)),
             team AS (SELECT a.id AS area_id, array_agg(r.hr_employee_id ORDER BY r.hr_employee_id) AS members
                        FROM ctrl_sixs_area a
                        JOIN ctrl_sixs_area_hr_employee_rel r ON r.ctrl_sixs_area_id = a.process_area_id
                       WHERE a.id = ANY(%s) GROUP BY a.id)
        INSERT INTO ctrl_sixs_audit_line (audit_id, item_id, sequence, category_id, result, count, deduction,
                                          employee_id, points, repeat_number, duty_officer, date, area_id,
                                          company_id, create_uid, create_date, write_uid, write_date)
        SELECT au.id, it.id, it.n, it.category_id,
               CASE WHEN (au.id + it.n) %% 20 = 0 THEN 'nok' ELSE 'ok' END, 1, 2 + (au.id + it.n) %% 4,
               CASE WHEN (au.id + it.n) %% 20 = 0 THEN team.members[1 + (au.id + it.n) %% %s] END,
               CASE WHEN (au.id + it.n) %% 20 = 0 THEN 2 + (au.id + it.n) %% 4 ELSE 0 END, 0, false,
               au.scheduled_date, au.area_id, au.company_id, 1, now(), 1, now()
          FROM ctrl_sixs_audit au JOIN team ON team.area_id = au.area_id CROSS JOIN it
         WHERE au.company_id = %s""", (items.ids, zones.ids, TEAM, company.id))
    lines = cr.rowcount
    # The ledger rows that publication writes for those findings.
    cr.execute("""
        INSERT INTO ctrl_sixs_point (name, date, employee_id, area_id, process_area_id, department_area_id,
                                     points, reason_code, state, res_model, res_id, week, month, company_id,
                                     create_uid, create_date, write_uid, write_date)
        SELECT 'finding', l.date, l.employee_id, l.area_id, a.process_area_id, a.department_area_id, -l.points,
               'finding', 'posted', 'ctrl.sixs.audit.line', l.id, to_char(l.date, 'IYYY-"W"IW'),
               to_char(l.date, 'YYYY-MM'), l.company_id, 1, now(), 1, now()
          FROM ctrl_sixs_audit_line l JOIN ctrl_sixs_area a ON a.id = l.area_id
         WHERE l.company_id = %s AND l.points <> 0""", (company.id,))
    for table in ("ctrl_sixs_audit", "ctrl_sixs_audit_line", "ctrl_sixs_point", "ctrl_sixs_area"):
        cr.execute(f"ANALYZE {table}")
    env.invalidate_all()
    return env, company, lines


def main():
    db = sys.argv[1]
    config.parse_config(["-c", os.environ["CTRL_CONF"], "-d", db, "--log-level=warn"])
    registry = odoo.modules.registry.Registry(db)
    with registry.cursor() as cr:
        env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
        try:
            env, company, lines = generate(env)
            Ranking = env["ctrl.sixs.ranking"]
            timings, rows = [], 0
            for month in range(1, 13):
                start = date(2025, month, 1)
                end = date(2025 + month // 12, month % 12 + 1, 1).toordinal() - 1
                end = date.fromordinal(end)
                began = time.perf_counter()
                rows = Ranking._compute_rankings(start, end, "month", company)
                timings.append(time.perf_counter() - began)
            worst, median = max(timings), statistics.median(timings)
            print(f"sixs_ranking: lines={lines} s={worst:.3f} median_s={median:.3f} rows_per_month={rows}",
                  flush=True)
        finally:
            cr.rollback()


if __name__ == "__main__":
    main()
