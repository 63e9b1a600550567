"""The production stack on one machine, started and stopped by the program that needs it.

A fresh PostgreSQL database, a Redis database of its own (broker and cache), migrate,
collectstatic and a seed, then one or more gunicorn instances on free loopback ports, a Celery
worker and beat, each in a process group of its own. On exit (also after an error, Ctrl-C or
SIGTERM) everything started is stopped, the database dropped and the Redis database emptied.

Used by the browser journeys (`make e2e`), the load test (`make load`) and the fault tests
(`make faults`):

    python -m tests.stack [--instances 2] [--seed demo|none] -- pytest tests/e2e -x

runs the command with LMS_STACK_URLS (space-separated base URLs) and LMS_E2E_BASE_URL (the first
one) set, and returns its exit status. In Python: `with Stack(...) as stack: ...`.

Needs PostgreSQL (trust auth for postgres) and Redis on 127.0.0.1, as `bash .ci/run` starts them.
"""

import argparse
import base64
import fcntl
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack, suppress
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv" / "bin"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
REDIS_SERVER = "redis://127.0.0.1:6379"
STARTUP_SECONDS = 60
STOP_GRACE_SECONDS = 15


class StackError(RuntimeError):
    pass


class Service:
    """`with` starts it and stops it again; a failed start stops what did start."""

    def __enter__(self):
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc):
        self.stop()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def say(message):
    print(f"[stack {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Stack(Service):
    """Start with `with Stack(...) as stack:`; `stack.urls` are the gunicorn instances.

    pg_server and redis_server may point at private servers (the fault tests stop and restart
    theirs); redis_db is the database number used for broker and cache; gunicorn_args are
    added to each gunicorn command line (e.g. a worker class or an access log format);
    worker_nice runs the Celery worker at that lower CPU priority.
    """

    def __init__(
        self,
        *,
        name="stack",
        logs,
        instances=1,
        gunicorn_workers=2,
        worker_concurrency=2,
        seed="demo",
        pg_server=PG_SERVER,
        redis_server=REDIS_SERVER,
        redis_db=12,
        extra_env=None,
        gunicorn_args=(),
        worker_nice=0,
    ):
        self.name = name
        self.logs = Path(logs)
        self.instances = instances
        self.gunicorn_workers = gunicorn_workers
        self.worker_concurrency = worker_concurrency
        self.seed = seed
        self.pg_server = pg_server
        self.redis_server = redis_server
        self.redis_db = redis_db
        self.extra_env = extra_env or {}
        self.gunicorn_args = list(gunicorn_args)
        self.worker_nice = worker_nice
        run_id = f"{datetime.now():%Y%m%d%H%M%S}_{os.getpid()}"
        self.database = f"lms_{name}_{run_id}"
        self.worker_name = f"{name}-{run_id}@lms"
        self.ports = [free_port() for _ in range(instances)]
        self.urls = [f"http://127.0.0.1:{port}" for port in self.ports]
        self.processes = {}  # name -> Popen (each the leader of its process group)
        self._exit = ExitStack()
        self._work = None
        self._db_created = False

    # -- environment -------------------------------------------------------------------------

    @property
    def database_url(self):
        return f"{self.pg_server}/{self.database}"

    @property
    def redis_url(self):
        return f"{self.redis_server}/{self.redis_db}"

    def env(self):
        """The variables of a production deployment (README "Running in production"), except
        plain HTTP on loopback instead of TLS at a proxy, and an SMTP host nothing here uses."""
        secret = base64.urlsafe_b64encode(secrets.token_bytes(36)).decode()
        env = dict(
            os.environ,
            DJANGO_SETTINGS_MODULE="lms.settings.production",
            SECRET_KEY=f"{self.name}-{secret}",
            ALLOWED_HOSTS="127.0.0.1",
            DATABASE_URL=self.database_url,
            REDIS_URL=self.redis_url,
            CELERY_BROKER_URL=self.redis_url,
            CACHE_KEY_PREFIX=f"lms-{self.name}",
            EMAIL_HOST="127.0.0.1",
            SECURE_SSL_REDIRECT="false",
            PUBLIC_BASE_URL=self.urls[0],
            LMS_VAR_DIR=str(self._work / "var"),
        )
        env.update(self.extra_env)
        return env

    def manage(self, *args, settings=None, **kwargs):
        """manage.py with production settings, or with `settings` (e.g. seed_demo, which refuses
        production settings) on the same database and files but none of production's services."""
        env = self.env()
        if settings:
            env = dict(
                os.environ,
                DJANGO_SETTINGS_MODULE=settings,
                DATABASE_URL=self.database_url,
                LMS_VAR_DIR=env["LMS_VAR_DIR"],
            )
            for name in ("REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST"):
                env.pop(name, None)
        return subprocess.run(
            [BIN / "python", "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs
        )

    # -- life cycle --------------------------------------------------------------------------

    def start(self):
        self._check_servers()
        # Two stacks on one machine would share the Redis database: the second waits.
        redis_port = self.redis_server.rsplit(":", 1)[-1]
        lock_path = (
            Path(tempfile.gettempdir()) / f"lms-stack-redis-{redis_port}-{self.redis_db}.lock"
        )
        lock = self._exit.enter_context(lock_path.open("w"))
        fcntl.flock(lock, fcntl.LOCK_EX)
        self._work = Path(tempfile.mkdtemp(prefix=f"lms-{self.name}-"))
        self.logs.mkdir(parents=True, exist_ok=True)
        for old in self.logs.glob("*.log"):
            old.unlink()
        say(f"database {self.database}, Redis {self.redis_url}, {' '.join(self.urls)}")
        self._psql(PG_ADMIN_DB, f'CREATE DATABASE "{self.database}"')
        self._db_created = True
        self._redis("FLUSHDB")
        self.manage("migrate", "--no-input", "-v", "0")
        self.manage("collectstatic", "--no-input", "-v", "0")
        if self.seed == "demo":
            self.manage("seed_demo", "-v", "0", settings="lms.settings.dev")
        say("migrated, static files collected" + (", demo seeded" if self.seed else ""))
        for index in range(self.instances):
            self.gunicorn_start(index)
        self.worker_start()
        self.beat_start()
        self.wait_ready()

    def wait_ready(self):
        for url in self.urls:
            self._wait(f"gunicorn {url}", lambda url=url: _http_ok(f"{url}/"))
        self._wait("static files", lambda: _http_ok(f"{self.urls[0]}/static/css/site.css"))
        self._wait("celery beat", self._beat_scheduled)
        self.worker_wait()

    def worker_wait(self):
        """Until the worker answers a ping and has run a real task through the broker."""
        self._wait("celery worker", self._worker_pings)
        # This task's own id: after a restart the log still holds the earlier worker's lines.
        task_id = self.celery("call", "courses.tasks.quiz_attempts_close_timed_out").stdout.strip()
        log = self.logs / "celery-worker.log"
        self._wait(
            "task through the broker",
            lambda: any(
                f"[{task_id}]" in line and " succeeded" in line
                for line in log.read_text(errors="replace").splitlines()
            ),
        )

    def stop(self):
        for name in list(self.processes):
            self.service_stop(name)
        if self._db_created:
            try:
                self._psql(PG_ADMIN_DB, f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)')
            except subprocess.CalledProcessError:
                say(f"could not drop {self.database}")
            self._db_created = False
        try:
            self._redis("FLUSHDB")
        except subprocess.CalledProcessError:
            say(f"could not empty {self.redis_url}")
        if self._work:
            shutil.rmtree(self._work, ignore_errors=True)
            self._work = None
        self._exit.close()

    # -- services ----------------------------------------------------------------------------

    def spawn(self, name, argv):
        """Starts a service in a process group of its own, its output in logs/<name>.log."""
        log = open(self.logs / f"{name}.log", "a")  # noqa: SIM115 - closed with the stack
        self._exit.callback(log.close)
        self.processes[name] = subprocess.Popen(
            argv,
            cwd=ROOT,
            env=self.env(),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        return self.processes[name]

    def gunicorn_start(self, index=0):
        name = "gunicorn" if index == 0 else f"gunicorn-{index + 1}"
        return self.spawn(
            name,
            [
                BIN / "gunicorn",
                "tests.e2e.wsgi:application",
                "--bind",
                f"127.0.0.1:{self.ports[index]}",
                "--workers",
                str(self.gunicorn_workers),
                "--timeout",
                "60",
                "--no-control-socket",
                "--access-logfile",
                str(self.logs / f"{name}-access.log"),
                *self.gunicorn_args,
            ],
        )

    def worker_start(self):
        nice = ["nice", "-n", str(self.worker_nice)] if self.worker_nice else []
        return self.spawn(
            "celery-worker",
            [
                *nice,
                BIN / "celery",
                "-A",
                "lms",
                "worker",
                "--loglevel",
                "INFO",
                "--concurrency",
                str(self.worker_concurrency),
                "--hostname",
                self.worker_name,
            ],
        )

    def beat_start(self):
        return self.spawn(
            "celery-beat",
            [
                BIN / "celery",
                "-A",
                "lms",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile",
                str(self._work / "beat.pid"),
                "--schedule",
                str(self._work / "beat-schedule"),
            ],
        )

    def service_kill(self, name, sig=signal.SIGKILL):
        """Signals the whole process group (gunicorn and Celery children too) and reaps it."""
        process = self.processes.pop(name)
        with suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        process.wait()

    def service_stop(self, name):
        """TERM, STOP_GRACE_SECONDS to shut down warm, then KILL."""
        process = self.processes[name]
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=STOP_GRACE_SECONDS)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            say(f"{name} did not stop in {STOP_GRACE_SECONDS}s: killed")
        self.service_kill(name)

    def celery(self, *args, timeout=30):
        return subprocess.run(
            [BIN / "celery", "-A", "lms", *args],
            cwd=ROOT,
            env=self.env(),
            check=True,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def sql(self, query):
        """One value (first column of the first row) from the stack's database."""
        return self._psql(self.database, query).strip()

    def tail_logs(self, lines=30):
        for log in sorted(self.logs.glob("*.log")):
            text = log.read_text(errors="replace").splitlines()
            if text:
                say(f"last lines of {log}:")
                print("\n".join(text[-lines:]), flush=True)

    # -- helpers -----------------------------------------------------------------------------

    def _check_servers(self):
        host, port = self.pg_server.rsplit("@", 1)[1].split(":")
        if subprocess.run(["pg_isready", "-q", "-h", host, "-p", port]).returncode:
            raise StackError(f"PostgreSQL is not running at {self.pg_server} (.ci/run starts it).")
        try:
            self._redis("PING")
        except subprocess.CalledProcessError as error:
            raise StackError(f"Redis is not running at {self.redis_server}.") from error

    def _psql(self, database, query):
        return subprocess.run(
            ["psql", f"{self.pg_server}/{database}", "-v", "ON_ERROR_STOP=1", "-qAt", "-c", query],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    def _redis(self, *command):
        return subprocess.run(
            ["redis-cli", "-u", f"{self.redis_server}/{self.redis_db}", *command],
            check=True,
            capture_output=True,
            text=True,
            timeout=10,
        ).stdout

    def _beat_scheduled(self):
        # Beat has started when it has written its schedule into the database.
        return (
            self.sql(
                "SELECT count(*) FROM django_celery_beat_periodictask "
                "WHERE task = 'courses.tasks.quiz_attempts_close_timed_out'"
            )
            == "1"
        )

    def _worker_pings(self):
        try:
            self.celery("inspect", "ping", "--destination", self.worker_name, "--timeout", "2")
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return False
        return True

    def _wait(self, what, ready, seconds=STARTUP_SECONDS):
        deadline = time.monotonic() + seconds
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    raise StackError(
                        f"{name} stopped (exit {process.returncode}) while waiting for {what}"
                    )
            try:
                if ready():
                    break
            except (OSError, subprocess.CalledProcessError):
                pass
            if time.monotonic() > deadline:
                raise StackError(f"{what}: not ready after {seconds}s")
            time.sleep(0.5)
        say(f"{what}: ready")


PG_ADMIN_DB = "postgres"


def _http_ok(url):
    from urllib.request import urlopen

    with urlopen(url, timeout=5) as response:  # noqa: S310 - loopback URLs of the stack only
        return response.status == 200


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--name", default="e2e")
    parser.add_argument("--logs", default="tests/e2e/artifacts/stack")
    parser.add_argument("--instances", type=int, default=1)
    parser.add_argument("--seed", choices=["demo", "none"], default="demo")
    parser.add_argument("--redis-db", type=int, default=int(os.environ.get("E2E_REDIS_DB", 12)))
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command given")
    # SIGTERM ends the run like Ctrl-C: the stack is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    stack = Stack(
        name=args.name,
        logs=ROOT / args.logs,
        instances=args.instances,
        seed=None if args.seed == "none" else args.seed,
        redis_db=args.redis_db,
    )
    status = 1
    try:
        with stack:
            # The command shares neither the stack's Redis nor its broker; it runs in a process
            # group of its own, so that a signal stops it (and any browser) at once.
            env = {
                k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CELERY_BROKER_URL")
            }
            env.update(
                LMS_STACK_URLS=" ".join(stack.urls),
                LMS_E2E_BASE_URL=stack.urls[0],
                DATABASE_URL=stack.database_url,
                LMS_VAR_DIR=stack.env()["LMS_VAR_DIR"],
            )
            say(" ".join(command))
            child = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
            try:
                status = child.wait()
            finally:
                if child.poll() is None:
                    os.killpg(child.pid, signal.SIGTERM)
                    child.wait()
            if status:
                stack.tail_logs()
    except StackError as error:
        say(str(error))
        stack.tail_logs()
    say(f"stack stopped (exit {status})")
    return status


if __name__ == "__main__":
    sys.exit(main())
