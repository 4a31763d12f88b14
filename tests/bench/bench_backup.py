# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""Back up a generated >= 1 GB database with ctrl_backup and with a bare pg_dump -Fc, then restore-test it.

Usage: CTRL_BENCH_DB=<odoo db with ctrl_backup> setup/bench backup
   or: CTRL_CONF=<odoo conf> python tests/bench/bench_backup.py <odoo db with ctrl_backup> [size_mb]
Prints: backup: db_mb=N ctrl_s=X pg_dump_s=Y restore_s=Z offsite_s=W
ctrl_s is ctrl.backup.plan.action_run_backup and its queued run (pg_dump -Fc, filestore tar, sha256, log); the
target is ctrl_s <= 1.2 x pg_dump_s. offsite_s is the same run with an off-site target: the local copy plus its copy
encrypted with age and sent by rclone to an SFTP server (OpenSSH's sshd started here on the loopback).
Nothing is committed in the Odoo database: the plan and its logs are rolled back.
"""
import getpass
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import psycopg2

import odoo
from odoo.modules.registry import Registry
from odoo.tools import config
from odoo.tools.misc import exec_pg_environ, find_pg_tool


def start_sftp(folder):
    """sshd on a free loopback port with a temporary host key and user key; returns (process, port, user key)."""
    for tool in ("rclone", "age", "age-keygen", "ssh-keygen", "/usr/sbin/sshd"):
        if not shutil.which(tool):
            sys.exit("%s is missing. Install it: apt-get install rclone age openssh-server" % tool)
    keys = os.path.join(folder, "keys")
    os.mkdir(keys, 0o700)
    for args in (["-t", "ed25519", "-f", keys + "/host"], ["-t", "ecdsa", "-m", "PEM", "-f", keys + "/user"]):
        subprocess.run(["ssh-keygen", "-q", "-N", "", *args], check=True)
    if os.geteuid() == 0:
        os.makedirs("/run/sshd", 0o755, exist_ok=True)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with open(keys + "/sshd.conf", "w") as handle:
        handle.write("Port %s\nListenAddress 127.0.0.1\nHostKey %s/host\nAuthorizedKeysFile %s/user.pub\n"
                     "StrictModes no\nPasswordAuthentication no\nUsePAM no\nPidFile none\n"
                     "Subsystem sftp internal-sftp\n" % (port, keys, keys))
    proc = subprocess.Popen(["/usr/sbin/sshd", "-D", "-e", "-f", keys + "/sshd.conf"], stderr=subprocess.DEVNULL)
    for _attempt in range(100):
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.05)
    subprocess.run(["age-keygen", "-o", keys + "/age"], check=True, capture_output=True)
    recipient = subprocess.run(["age-keygen", "-y", keys + "/age"], check=True, capture_output=True,
                               text=True).stdout.strip()
    with open(keys + "/user") as handle:
        return proc, port, handle.read(), recipient


def approve(plan):
    """Through ctrl_base's approval, each step decided by the superuser: the workflow is not what is measured."""
    plan._ctrl_submit(reason="bench")
    request = plan.ctrl_approval_ids.filtered(lambda r: r.state == "pending")
    while request.current_step_id:
        request.current_step_id._decide("approved", None)
    request._finish("approved", None)
    assert plan.state == "approved", plan.state


def main():
    dbname = sys.argv[1]
    size_mb = int(sys.argv[2]) if len(sys.argv) > 2 else 1024
    conf = os.environ.get("CTRL_CONF", os.path.expanduser("~/.local/share/ctrl/odoo.conf"))
    config.parse_config(["-c", conf, "-d", dbname, "--log-level=warn"])
    from odoo.addons.ctrl_backup.models.ctrl_backup_runner import pg_params

    env_pg = exec_pg_environ()
    scratch = "ctrl_bench_backup_src_%d" % os.getpid()  # two benches on one server do not collide
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
                "retention_days": 30,
                "executor_id": executor.id, "checker_id": checker.id,
            })
            approve(plan)
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
            target = os.path.join(folder, "offsite")
            os.mkdir(target, 0o700)
            sshd, port, user_key, recipient = start_sftp(folder)
            try:
                remote = env["ctrl.backup.remote"].create({
                    "name": "bench loopback", "backend_type": "sftp", "remote_path": target,
                    "options": "host = 127.0.0.1\nport = %s\nuser = %s" % (port, getpass.getuser()),
                    "age_recipient": recipient, "ssh_private_key": user_key,
                })
                plan = plan.copy({"name": "bench offsite", "offsite_copy": True, "copies": 2,
                                  "offsite_remote_id": remote.id})
                approve(plan)
                start = time.monotonic()
                plan.action_run_backup()
                log = run_queued(plan)
                offsite_s = time.monotonic() - start
                assert log.result == "done", log.note
                assert log.offsite_log_ids.result == "done", log.offsite_log_ids.note
            finally:
                sshd.terminate()
                sshd.wait()
            cr.rollback()
        print("backup: db_mb=%d ctrl_s=%.1f pg_dump_s=%.1f restore_s=%.1f offsite_s=%.1f"
              % (db_mb, ctrl_s, pg_dump_s, restore_s, offsite_s))
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
