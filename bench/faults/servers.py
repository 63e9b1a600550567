"""Private PostgreSQL and Redis servers that the fault scenarios may stop and restart.

The shared servers on 5432 and 6379 carry other work and are never touched: each scenario
gets a cluster and a redis-server of its own on free loopback ports, removed at the end.
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from tests.stack import Service, free_port


def _pg_bin():
    """The newest installed PostgreSQL's programs (Debian keeps each version apart)."""
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin"), key=lambda p: int(p.parent.name))
    return versions[-1] if versions else Path("/usr/lib/postgresql/15/bin")


PG_BIN = _pg_bin()
PG_USER = "postgres"


# initdb and the postmaster refuse to run as root: as root they run as the postgres user.
AS_ROOT = os.geteuid() == 0


def _as_postgres(argv):
    if AS_ROOT:
        argv = ["runuser", "-u", PG_USER, "--", *map(str, argv)]
    return subprocess.run(argv, check=True, capture_output=True, text=True)


def _give_to_postgres(path):
    if AS_ROOT:
        shutil.chown(path, PG_USER, PG_USER)


class PrivatePostgres:
    """A throw-away cluster: trust auth on 127.0.0.1, durability off (nothing here must survive
    a crash of the machine, only a restart of the server)."""

    def __init__(self, *, logs):
        self.logs = Path(logs)
        self.port = free_port()
        self.dir = None
        self.url = f"postgres://postgres@127.0.0.1:{self.port}"

    @property
    def data(self):
        return self.dir / "data"

    def __enter__(self):
        try:
            self.create()
            self.start()
        except BaseException:
            self.remove()
            raise
        return self

    def __exit__(self, *exc):
        self.remove()

    def create(self):
        self.dir = Path(tempfile.mkdtemp(prefix="lms-faults-pg-"))
        _give_to_postgres(self.dir)
        _as_postgres(
            [
                PG_BIN / "initdb",
                "-D",
                self.data,
                "-U",
                PG_USER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
            ]
        )

    def _ctl(self, *args):
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.dir}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self.logs.mkdir(parents=True, exist_ok=True)
        log = self.logs / "postgres.log"
        log.touch()
        _give_to_postgres(log)
        return _as_postgres(
            [PG_BIN / "pg_ctl", "-D", self.data, "-l", log, "-o", options, "-w", "-t", "60", *args]
        )

    def start(self):
        self._ctl("start")

    def restart(self):
        """Fast mode: open sessions are disconnected and their transactions rolled back."""
        self._ctl("restart", "-m", "fast")

    def stop(self):
        self._ctl("stop", "-m", "fast")

    def remove(self):
        if self.dir is None:
            return
        if (self.data / "postmaster.pid").exists():
            try:
                self.stop()
            except subprocess.CalledProcessError as error:
                print(f"[faults] private PostgreSQL did not stop: {error.stderr}", flush=True)
        shutil.rmtree(self.dir, ignore_errors=True)
        self.dir = None


class PrivateRedis(Service):
    """A redis-server without persistence: a stopped server comes back empty, as a broker that
    lost its queues would."""

    def __init__(self, *, logs):
        self.logs = Path(logs)
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}"
        self.process = None

    def start(self):
        self.logs.mkdir(parents=True, exist_ok=True)
        with open(self.logs / "redis.log", "a") as log:
            self.process = subprocess.Popen(
                [
                    "redis-server",
                    "--port",
                    str(self.port),
                    "--bind",
                    "127.0.0.1",
                    "--save",
                    "",
                    "--appendonly",
                    "no",
                    "--daemonize",
                    "no",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + 20
        while not self.answers():
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"redis-server on port {self.port} did not start")
            time.sleep(0.1)

    def answers(self):
        result = subprocess.run(
            ["redis-cli", "-p", str(self.port), "PING"], capture_output=True, text=True, timeout=5
        )
        return result.stdout.strip() == "PONG"

    def stop(self):
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None
