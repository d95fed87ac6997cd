"""A real PostgreSQL server for the web tests: Debian's `postgresql` binaries, a throw-away cluster on a free
port of 127.0.0.1, started once per test session and stopped after; one fresh database per test that asks.

As root (CI's containers), the cluster belongs to the `postgres` user, as PostgreSQL refuses to run as root.
Where the binaries are missing or the server cannot start, the PostgreSQL half of the web tests is skipped
with the reason (`.ci/install` installs them).
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path


def _bin_dir() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[4]), reverse=True)
    return Path(found[0]).parent if found else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class PostgresServer:
    """One cluster in a temporary folder; `url(name)` makes a new, empty database and names it."""

    def __init__(self) -> None:
        self.problem = ""
        self.port = 0
        self.root = Path(tempfile.mkdtemp(prefix="catalogue-pg-"))
        self._names = itertools.count(1)
        self._bin = _bin_dir()
        if self._bin is None:
            self.problem = "PostgreSQL is not installed (/usr/lib/postgresql/*/bin; .ci/install installs it)"
            return
        self._as_postgres = os.geteuid() == 0
        if self._as_postgres:
            shutil.chown(self.root, "postgres", "postgres")
        self.port = _free_port()
        data = self.root / "data"
        steps = [[str(self._bin / "initdb"), "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8",
                  "--no-locale"],
                 [str(self._bin / "pg_ctl"), "-D", str(data), "-l", str(self.root / "log"), "-w", "-t", "60", "-o",
                  f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
                  "-c synchronous_commit=off -c full_page_writes=off", "start"]]
        for step in steps:
            done = self._run(step)
            if done.returncode != 0:
                self.problem = f"PostgreSQL did not start: {(done.stderr or done.stdout).strip()[-400:]}"
                return

    def _run(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        if self._as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)

    def url(self) -> str:
        """A new empty database's SQLAlchemy URL (psycopg 3)."""
        import psycopg

        name = f"catalogue_test_{next(self._names)}"
        with psycopg.connect(f"host=127.0.0.1 port={self.port} user=postgres dbname=postgres", autocommit=True) as db:
            db.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server and remove its folder."""
        if self.port and self._bin is not None:
            self._run([str(self._bin / "pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "-w", "stop"])
        shutil.rmtree(self.root, ignore_errors=True)
