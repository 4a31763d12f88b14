# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
"""The long part of a backup run or a restore test, in a process of its own (issue 19 item 6).

The scheduled action starts ``python backup_job.py SPEC`` detached from the Odoo worker (a session of its own)
and returns at once; later calls read the status file the job keeps, so no request or scheduled call lasts as
long as pg_dump or pg_restore, and Odoo's time and memory limits of its workers do not stop the job.

SPEC is JSON made by the server only (ctrl.backup.runner, ctrl.backup.restore.test); nothing of a client's
reaches it. The job imports nothing of Odoo: the runner imports the file helpers below from here.

The status file (JSON, replaced atomically) says ``{"state": "running", "pid": ...}`` while the job works, then
``{"state": "done", ...values}`` or ``{"state": "failed", "error": code, ...}``; the server words the error.
A per-plan lock file keeps a second job of the same plan from starting while one runs."""
import contextlib
import fcntl
import hashlib
import json
import os
import resource
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading

import psycopg2
from psycopg2 import sql as pgsql

FILE_MODE = 0o600
CHUNK = 2**22
# The tables whose row counts a restore test compares (the first ten tables where none of them exists).
KEY_TABLES = ("res_partner", "res_users", "ir_attachment", "account_move")


def row_counts(cr):
    """Row counts of the key tables, as the cursor's snapshot sees them."""
    cr.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
    tables = sorted(row[0] for row in cr.fetchall())
    counts = {}
    for table in [t for t in tables if t in KEY_TABLES] or tables[:10]:
        cr.execute(pgsql.SQL("SELECT count(*) FROM {}").format(pgsql.Identifier(table)))
        counts[table] = cr.fetchone()[0]
    return counts


def create_private_file(path):
    """Create ``path`` readable by the Odoo service only, whatever the umask; refuse an existing file or link."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, FILE_MODE)
    os.fchmod(fd, FILE_MODE)
    return fd


def file_sha256(path):
    sha = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            sha.update(chunk)
    return sha.hexdigest()


def write_status(path, values):
    """Replace the status file in one step: a reader sees the old status or the new one, never half."""
    tmp = path + ".tmp"
    with contextlib.suppress(FileNotFoundError):
        os.unlink(tmp)
    with os.fdopen(create_private_file(tmp), "w", encoding="utf-8") as handle:
        json.dump(values, handle)
    os.replace(tmp, path)


def read_status(path):
    """The job's status, or None while it has written none."""
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except (FileNotFoundError, ValueError):
        return None


class JobError(Exception):
    """A failure the server words: ``code`` and details."""

    def __init__(self, code, **details):
        super().__init__(code)
        self.code, self.details = code, details


class FilestoreTar:
    """Tar a filestore in a thread of its own into an existing private file, hashing what it writes;
    stop() makes it give up at the next file and waits for it."""

    def __init__(self, filestore, path):
        self.filestore, self.path = filestore, path
        self.error = None
        self.sha256 = None
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ctrl_backup_filestore_tar", daemon=True)

    def _member(self, info):
        if self._stopping.is_set():
            raise InterruptedError("backup stopped")
        return info

    def _run(self):
        try:
            fd = os.open(self.path, os.O_WRONLY | os.O_TRUNC | os.O_NOFOLLOW)
            with HashingWriter(fd) as out, tarfile.open(fileobj=out, mode="w") as tar:
                if os.path.isdir(self.filestore):
                    tar.add(self.filestore, arcname="filestore", filter=self._member)
            self.sha256 = out.sha.hexdigest()
        except Exception as err:  # reported by the caller, which fails the run
            self.error = err

    def start(self):
        self._thread.start()

    def join(self):
        self._thread.join()

    def stop(self):
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()


class HashingWriter:
    """A file written front to back, hashed as it is written (what tarfile needs: write and tell)."""

    def __init__(self, fd):
        self._file = os.fdopen(fd, "wb")
        self.sha = hashlib.sha256()

    def write(self, data):  # pylint: disable=method-required-super
        self.sha.update(data)
        return self._file.write(data)

    def tell(self):
        return self._file.tell()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._file.close()


def part_paths(spec):
    """The temporary names of a backup's files: they get the final names only once both are complete."""
    return spec["dump"] + ".part", spec["tar"] + ".part"


def run_backup(spec):
    """pg_dump -Fc of the database and a tar of its filestore, written side by side under temporary names and
    renamed only once both are complete, so a failed or interrupted run never leaves a file with the final
    name. Both files are private (0600) from their creation."""
    tmp_dump, tmp_tar = part_paths(spec)
    created, tar_job = [], None
    try:
        for path in (tmp_dump, tmp_tar):
            os.close(create_private_file(path))
            created.append(path)
        # The filestore is archived while pg_dump runs: the two are independent, and pg_dump's time is
        # spent compressing in its own process.
        tar_job = FilestoreTar(spec["filestore"], tmp_tar)
        tar_job.start()
        # pg_dump dumps a snapshot this transaction exports and keeps open; the key tables are counted in it
        # afterwards, so that a restore test compares the restored copy with the database as it was backed
        # up, not as it is by then (a live one has moved on).
        try:
            conn = psycopg2.connect(dbname=spec["dbname"])  # PG* settings: the job's environment
        except psycopg2.Error as err:
            raise JobError("pg_dump", stderr=str(err).strip()) from err
        try:
            conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
            with conn.cursor() as cr:
                cr.execute("SELECT pg_export_snapshot()")
                snapshot = cr.fetchone()[0]
                # Options and names are kept apart: nothing in a name can become an option.
                cmd = [spec["pg_dump"], "--format=custom", "--no-owner", "--snapshot=" + snapshot,
                       "--file=" + tmp_dump, "--dbname=" + spec["dbname"]]
                proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
                counts = row_counts(cr) if proc.returncode == 0 else {}
        finally:
            conn.close()
        if proc.returncode < 0:
            raise JobError("killed", signal=-proc.returncode, stderr=proc.stderr.strip())
        if proc.returncode:
            raise JobError("pg_dump", stderr=proc.stderr.strip())
        tar_job.join()
        if tar_job.error:
            raise JobError("filestore", detail=str(tar_job.error))
        os.chmod(tmp_dump, FILE_MODE)
        # pg_dump rewrites the archive's table of contents at the end: the dump is hashed once written.
        sha256 = file_sha256(tmp_dump)
        os.replace(tmp_dump, spec["dump"])
        os.replace(tmp_tar, spec["tar"])
    finally:
        if tar_job:
            tar_job.stop()
        for path in created:
            if os.path.lexists(path):
                os.unlink(path)
    return {
        "path": spec["dump"], "filestore_path": spec["tar"],
        "size": os.path.getsize(spec["dump"]) + os.path.getsize(spec["tar"]),
        "sha256": sha256, "filestore_sha256": tar_job.sha256, "row_counts": counts,
    }


def run_pg_tool(tools, tool, *args):
    proc = subprocess.run([tools[tool], *args], capture_output=True, text=True, check=False)
    if proc.returncode:
        raise JobError("tool", tool=tool, stderr=proc.stderr.strip()[:500])


def run_restore(spec):
    """Check the dump against its log's checksum, then restore it into a new scratch database."""
    try:
        actual = file_sha256(spec["path"])
    except OSError as err:
        raise JobError("unreadable", path=spec["path"], detail=err.strerror) from err
    if actual != spec["sha256"]:
        raise JobError("checksum", path=spec["path"])
    tools, scratch = spec["tools"], spec["scratch"]
    # Options and names are kept apart: nothing in a name can become an option.
    run_pg_tool(tools, "dropdb", "--if-exists", "--", scratch)
    run_pg_tool(tools, "createdb", "--template=template0", "--", scratch)
    run_pg_tool(tools, "pg_restore", "--no-owner", "--dbname=" + scratch, "--", spec["path"])
    return {}


def rclone(spec, *args, **kwargs):
    """rclone ``args`` against the off-site target; the target is defined by this process's environment
    (RCLONE_CONFIG_CTRLOFFSITE_*), never by an argument."""
    return subprocess.run([spec["rclone"], *spec["rclone_flags"], *args], capture_output=True, check=False,
                          **kwargs)


def scrubbed(spec, data):
    """rclone's or age's message, without the credentials this process was given in its environment."""
    text = data.decode(errors="replace").strip()
    for key in spec.get("secret_env") or ():
        for line in os.environ.get(key, "").split("\\n"):
            if len(line.strip()) >= 4:
                text = text.replace(line.strip(), "***")
    return text[-500:]


def remote_check(spec, path, hash_types):
    """Size and checksums of ``path`` as the target reports them; None when it is not there."""
    types = [arg for kind in hash_types for arg in ("--hash-type", kind)]
    proc = rclone(spec, "lsjson", "--stat", *types, spec["remote"] + ":" + path)
    if proc.returncode == 3 or (proc.returncode and b"not found" in proc.stderr):
        return None
    if proc.returncode:
        raise JobError("offsite_check", stderr=scrubbed(spec, proc.stderr))
    entry = json.loads(proc.stdout or b"{}")
    return {"size": entry.get("Size"), "hashes": {k: v for k, v in (entry.get("Hashes") or {}).items() if v}}


def send_file(spec, local_path, path, hash_type):
    """Stream ``local_path`` through age into rclone rcat under a temporary name, rename it on the target and
    ask the target for its size and ``hash_type`` checksum; returns what was sent and what the target says."""
    part = path + ".part"
    hashes = {"sha256": hashlib.sha256()}
    if hash_type and hash_type not in hashes:
        hashes[hash_type] = hashlib.new(hash_type, usedforsecurity=False)
    size = 0
    with open(local_path, "rb") as source, tempfile.TemporaryFile() as age_err, \
            tempfile.TemporaryFile() as rclone_err:
        age = subprocess.Popen([spec["age"], "--encrypt", "--recipient", spec["recipient"]],
                               stdin=source, stdout=subprocess.PIPE, stderr=age_err)
        rcat = subprocess.Popen([spec["rclone"], *spec["rclone_flags"], "rcat", spec["remote"] + ":" + part],
                                stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=rclone_err)
        try:
            # If rclone stops, writing to it raises BrokenPipeError: its own error says why.
            with contextlib.suppress(BrokenPipeError):
                for chunk in iter(lambda: age.stdout.read(CHUNK), b""):
                    for sha in hashes.values():
                        sha.update(chunk)
                    size += len(chunk)
                    rcat.stdin.write(chunk)
                rcat.stdin.close()
        finally:
            age.stdout.close()
            age_code, rclone_code = age.wait(), rcat.wait()
        if age_code:
            age_err.seek(0)
            raise JobError("age", file=os.path.basename(local_path), stderr=scrubbed(spec, age_err.read()))
        if rclone_code:
            rclone_err.seek(0)
            rclone(spec, "deletefile", spec["remote"] + ":" + part)
            raise JobError("offsite_send", file=os.path.basename(path), stderr=scrubbed(spec, rclone_err.read()))
    proc = rclone(spec, "moveto", spec["remote"] + ":" + part, spec["remote"] + ":" + path)
    if proc.returncode:
        raise JobError("offsite_send", file=os.path.basename(path), stderr=scrubbed(spec, proc.stderr))
    return {"path": path, "size": size, "hashes": {kind: sha.hexdigest() for kind, sha in hashes.items()},
            "check": remote_check(spec, path, [hash_type] if hash_type else [])}


def run_offsite(spec):
    """The off-site copy of a done backup: each file encrypted with age to the target's public key and sent
    by rclone; the server compares what was sent with what the target reports (seed 000 B09-05, B06-09)."""
    proc = rclone(spec, "backend", "features", spec["remote"] + ":" + spec["folder"])
    if proc.returncode:
        raise JobError("offsite_check", stderr=scrubbed(spec, proc.stderr))
    supported = json.loads(proc.stdout or b"{}").get("Hashes") or []
    hash_type = next((kind for kind in spec["hash_types"] if kind in supported), None)
    return {"files": [send_file(spec, local, path, hash_type) for local, path in spec["files"]]}


JOBS = {"backup": run_backup, "restore": run_restore, "offsite": run_offsite}


def lift_worker_limits():
    """An Odoo worker's CPU and memory limits are inherited: the job and pg_dump get the hard limits instead."""
    for limit in (resource.RLIMIT_CPU, resource.RLIMIT_AS):
        _soft, hard = resource.getrlimit(limit)
        resource.setrlimit(limit, (hard, hard))


def main(spec):
    status = spec["status"]
    lift_worker_limits()
    # Stopped by a kill (SIGTERM) or Ctrl-C: the run is failed, and its temporary files are removed.
    signal.signal(signal.SIGTERM, lambda *_args: sys.exit("stopped by SIGTERM"))
    lock = os.open(spec["lock"], os.O_WRONLY | os.O_CREAT | os.O_NOFOLLOW, FILE_MODE)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        write_status(status, {"state": "failed", "error": "busy"})
        return
    write_status(status, {"state": "running", "pid": os.getpid()})
    try:
        values = JOBS[spec["kind"]](spec)
    except JobError as err:
        write_status(status, {"state": "failed", "error": err.code, **err.details})
    except BaseException as err:  # an interruption (SIGINT, SIGTERM) is a failed run too
        write_status(status, {"state": "failed", "error": "other", "detail": repr(err)})
    else:
        write_status(status, {"state": "done", **values})
    finally:
        os.close(lock)


if __name__ == "__main__":
    main(json.loads(sys.argv[1]))
