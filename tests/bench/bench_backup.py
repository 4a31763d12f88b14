# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Back up a generated >= 1 GB database with ctrl_backup and with a bare pg_dump -Fc, then restore-test it.

Usage: CTRL_BENCH_DB=<odoo db with ctrl_backup> setup/bench backup
   or: CTRL_CONF=<odoo conf> python tests/bench/bench_backup.py <odoo db with ctrl_backup> [size_mb]
Prints: backup: db_mb=N ctrl_s=X pg_dump_s=Y restore_s=Z
ctrl_s is ctrl.backup.plan.action_run_backup and its queued run (pg_dump -Fc, filestore tar, sha256, log); the
target is ctrl_s <= 1.2 x pg_dump_s. Nothing is committed in the Odoo database: the plan and its logs are rolled back.
"""
import os
import shutil
import subprocess
import sys
import tempfile
import time

import psycopg2

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config
from odoo.tools.misc import exec_pg_environ, find_pg_tool


def main():
    dbname = sys.argv[1]
    size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    conf = os.environ.get("CTRL_CONF", os.path.expanduser("~/.local/share/ctrl/odoo.conf"))
    config.parse_config(["-c", conf, "-d", dbname, "--log-level=warn"])
    from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params

    env_pg = exec_pg_environ()
    scratch = "ctrl_bench_backup_src"
    folder = tempfile.mkdtemp(prefix="ctrl_bench_backup_")
    subprocess.run([find_pg_tool("dropdb"), "--if-exists", scratch], env=env_pg, check=True)
    subprocess.run([find_pg_tool("createdb"), "-T", "template0", scratch], env=env_pg, check=True)
    try:
        conn = psycopg2.connect(dbname=scratch, **pg_params())
        conn.autocommit = True
        with conn.cursor() as cr:
            cr.execute("CREATE TABLE res_partner (id serial primary key, name text, note text)")
            cr.execute("CREATE TABLE account_move (id bigserial primary key, ref text, amount numeric, payload text)")
            cr.execute("INSERT INTO res_partner (name, note) SELECT 'partner ' || g, md5(g::text) "
                       "FROM generate_series(1, 100000) g")
            batch = 500000
            while True:
                cr.execute("SELECT pg_database_size(current_database())")
                if cr.fetchone()[0] >= size_mb * 2**20:
                    break
                cr.execute("INSERT INTO account_move (ref, amount, payload) SELECT 'INV/' || g, g * 1.5, "
                           "md5(g::text) || md5((g * 7)::text) || md5(random()::text) "
                           "FROM generate_series(1, %s) g", (batch,))
            cr.execute("SELECT pg_database_size(current_database())")
            db_mb = cr.fetchone()[0] // 2**20
        conn.close()

        start = time.monotonic()
        bare = os.path.join(folder, "bare.dump")
        subprocess.run([find_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", bare, scratch], env=env_pg, check=True)
        pg_dump_s = time.monotonic() - start
        os.unlink(bare)

        registry = Registry(dbname)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            executor = env.ref("base.user_admin")
            checker = env["res.users"].create({
                "name": "bench checker", "login": "ctrl_bench_backup_checker",
                "groups_id": [odoo.Command.link(env.ref("ctrl_backup.group_backup_operator").id)],
            })
            plan = env["ctrl.backup.plan"].create({
                "name": "bench", "plan_type": "odoo_db", "folder": folder, "source_database": scratch,
                "retention_days": 1,
                "executor_id": executor.id, "checker_id": checker.id,
            })
            # The approval workflow is not what is measured: the plan is approved directly.
            plan.write({"state": "approved", "approved_on": odoo.fields.Datetime.now()})
            start = time.monotonic()
            plan.action_run_backup()
            log = run_queued(plan)
            ctrl_s = time.monotonic() - start
            assert log.result == "done", log.note
            start = time.monotonic()
            plan.action_restore_test()
            test = run_queued(plan)
            restore_s = time.monotonic() - start
            assert test.result == "done", test.note
            cr.rollback()
        print("backup: db_mb=%d ctrl_s=%.1f pg_dump_s=%.1f restore_s=%.1f" % (db_mb, ctrl_s, pg_dump_s, restore_s))
    finally:
        subprocess.run([find_pg_tool("dropdb"), "--if-exists", scratch], env=env_pg, check=False)
        shutil.rmtree(folder, ignore_errors=True)


def run_queued(plan):
    """What the runs' scheduled action does after the button: called until the run's job is over."""
    while True:
        plan.env["ctrl.backup.plan"]._cron_run_queued()
        if plan.run_state not in ("queued", "running"):
            return plan.run_log_id
        time.sleep(0.2)


if __name__ == "__main__":
    main()
