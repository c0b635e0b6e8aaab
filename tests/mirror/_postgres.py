"""A throwaway PostgreSQL cluster from the machine's binaries, for the mirror tests.

initdb refuses to run as root, so under root the cluster belongs to an unprivileged system
user (``postgres`` when it exists, else one created here) and every server command runs
through ``runuser``. The cluster lives in a temporary directory, listens on a free loopback
port with trust authentication, and is stopped and deleted at the end.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

SERVICE_USER = "postgres"


def find_bin_dir() -> Path | None:
    """Return the directory holding initdb and pg_ctl, or None when PostgreSQL is missing."""
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).parent
    for candidate in sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True):
        return Path(candidate).parent
    return None


def without_postgres(installed: bool, ci: str | None) -> str:
    """Return what the PostgreSQL tests do: ``"run"``, ``"skip"`` (locally, nothing installed)
    or ``"fail"`` (under CI, where missing binaries are a broken setup)."""
    if installed:
        return "run"
    return "fail" if ci and ci.lower() not in ("0", "false", "no") else "skip"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _service_user() -> str | None:
    """Return the user to run the server as (None: this user), creating one if needed."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(
            ["useradd", "--system", "--no-create-home", "--shell", "/bin/sh", SERVICE_USER],
            check=True,
            capture_output=True,
        )
    return SERVICE_USER


@contextmanager
def postgres_cluster() -> Iterator[str]:
    """Run a cluster while open; yield ``postgresql://postgres@127.0.0.1:PORT/postgres``."""
    bin_dir = find_bin_dir()
    if bin_dir is None:
        raise RuntimeError("no PostgreSQL binaries (initdb, pg_ctl) on this machine")
    user = _service_user()
    root = Path(tempfile.mkdtemp(prefix="mirror-pg-"))
    data, log = root / "data", root / "server.log"
    if user is not None:
        entry = pwd.getpwnam(user)
        os.chown(root, entry.pw_uid, entry.pw_gid)
    prefix = ["runuser", "-u", user, "--"] if user is not None else []
    port = _free_port()

    def run(*args: str) -> None:
        done = subprocess.run(
            [*prefix, *args], capture_output=True, text=True, check=False, cwd=root
        )
        if done.returncode != 0:
            server_log = log.read_text() if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {done.stderr}{done.stdout}\n{server_log}")

    try:
        run(
            str(bin_dir / "initdb"),
            "-D",
            str(data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-sync",
        )
        options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off"
        run(str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
        try:
            yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
        finally:
            run(str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
    finally:
        shutil.rmtree(root, ignore_errors=True)
