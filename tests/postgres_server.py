"""A throwaway PostgreSQL server for the tests: Debian's ``postgresql`` package (``.ci/run`` installs it).

``initdb`` refuses to run as root, so as root the cluster belongs to the ``postgres`` user the package creates:
its data and socket folders are given to that user and ``initdb``/``pg_ctl`` run as it. The server listens on
127.0.0.1 on a free port with ``trust`` authentication (loopback only, for the test run), without fsync, and
is stopped and deleted at the end of the session.

Without PostgreSQL the tests fail, saying how to install it; ``SMMKIT_NO_POSTGRES=1`` turns that into a skip
(a laptop without the package).
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path
from typing import Any

SKIP_ENV = "SMMKIT_NO_POSTGRES"
INSTALL = ("PostgreSQL is needed by the gradebook tests: install Debian's package (`apt-get install postgresql`, "
           "as .ci/run does) and psycopg2-binary (`make setup` installs it). On a laptop without it set "
           f"{SKIP_ENV}=1 to skip these tests.")


def bindir() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` (Debian), else the folder of ``initdb`` on PATH."""
    found = [Path(p).parent for p in glob.glob("/usr/lib/postgresql/*/bin/initdb")]
    found.sort(key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0)
    if found:
        return found[-1]
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def missing() -> str:
    """Why the server cannot be started here ("" if it can)."""
    try:
        import psycopg2  # noqa: F401
    except ImportError:
        return "psycopg2 is not installed. " + INSTALL
    if bindir() is None:
        return "PostgreSQL's initdb was not found. " + INSTALL
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root, but there is no `postgres` user to own the cluster. " + INSTALL
    return ""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Server:
    """A running cluster: ``url(db)`` for SQLAlchemy, ``createdb(name)`` for a new empty database."""

    def __init__(self) -> None:
        self.bin = bindir()
        assert self.bin is not None
        self.base = Path(tempfile.mkdtemp(prefix="smmkit-pg-"))
        self.data, self.sock, self.log = self.base / "data", self.base / "sock", self.base / "server.log"
        self.sock.mkdir()
        self.run_as: dict[str, Any] = {}
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to `postgres`
            user = pwd.getpwnam("postgres")
            for path in (self.base, self.sock):
                os.chown(path, user.pw_uid, user.pw_gid)
            self.run_as = {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}
        self.port = 0

    def _run(self, *args: str) -> subprocess.CompletedProcess:
        env = {"PATH": os.environ.get("PATH", ""), "LC_ALL": "C", "HOME": str(self.base)}
        return subprocess.run([str(self.bin / args[0]), *args[1:]], cwd=self.base, env=env, capture_output=True,
                              text=True, timeout=120, **self.run_as)

    def start(self) -> Server:
        done = self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
                         "--locale=C", "--no-sync", "--no-instructions")
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        for _ in range(5):  # a free port may be taken between the probe and the start
            self.port = _free_port()
            options = f"-k {self.sock} -h 127.0.0.1 -p {self.port} -F -c max_connections=200"
            done = self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60",
                             "start")
            if done.returncode == 0:
                return self
        log = self.log.read_text(errors="replace") if self.log.exists() else ""
        raise RuntimeError(f"pg_ctl start failed:\n{done.stdout}\n{done.stderr}\n{log[-3000:]}")

    def url(self, db: str = "postgres") -> str:
        return f"postgresql+psycopg2://postgres@127.0.0.1:{self.port}/{db}"

    def createdb(self, name: str) -> str:
        """Create an empty database; return its SQLAlchemy URL."""
        import psycopg2

        con = psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname="postgres")
        try:
            con.autocommit = True
            with con.cursor() as cur:
                cur.execute(f'CREATE DATABASE "{name}"')
        finally:
            con.close()
        return self.url(name)

    def stop(self) -> None:
        if self.port:
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.base, ignore_errors=True)
