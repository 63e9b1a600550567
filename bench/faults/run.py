"""Fault tests on the production stack; prints name=value lines, a check per line and PASS/FAIL.

    .venv/bin/python bench/faults/run.py                        # what `make faults` runs
    .venv/bin/python bench/faults/run.py --only redis_down --scale 0.5

1. worker_kill: learners pass the quiz; the Celery worker is killed (SIGKILL, whole process
   group) while it issues their certificates and started again; after the reconciliation there
   is exactly one certificate per completion, each with its PDF stored, readable and hashed.
2. redis_down: Redis (cache, rate limits, broker) is stopped for 20 s while learners sign in,
   answer and submit: every page answers, every submission is stored and graded, and once Redis
   is back the certificates are issued.
3. postgres_restart: `pg_ctl restart -m fast` while learners save and submit: the application
   answers again without a restart of its processes, no attempt is half-graded, and requests
   fail only while the server restarts.

One stack (tests/stack.py: migrate, collectstatic, gunicorn, Celery worker and beat) on a
PostgreSQL cluster and a redis-server of its own, on free loopback ports, created here and
removed at the end; the shared servers are never touched. Logs: var/faults/<time>/.
Exits 1 when a check fails.
"""

import argparse
import json
import secrets
import signal
import subprocess
import sys
import time
import traceback
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from bench.faults import checks  # noqa: E402
from bench.faults.harness import Context, Report, say  # noqa: E402
from bench.faults.scenarios import SCENARIOS  # noqa: E402
from bench.faults.servers import PrivatePostgres, PrivateRedis  # noqa: E402
from tests.stack import BIN, Stack  # noqa: E402

ARTIFACTS = ROOT / "var" / "faults"
LEARNERS = {"worker_kill": 120, "redis_down": 80, "postgres_restart": 80}


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--only", action="append", choices=list(SCENARIOS), help="repeatable")
    parser.add_argument("--scale", type=float, default=1.0, help="factor on the learner counts")
    parser.add_argument("--logs", type=Path, default=ARTIFACTS)
    return parser.parse_args(argv)


def seed(stack, *, password, courses):
    answer = subprocess.run(
        [BIN / "python", "-m", "bench.faults.seed"],
        input=json.dumps({"password": password, "courses": courses}),
        cwd=ROOT,
        env=stack.env(),
        capture_output=True,
        text=True,
        check=False,
    )
    if answer.returncode:
        raise RuntimeError(f"seeding failed:\n{answer.stderr[-3000:]}")
    return json.loads(answer.stdout.strip().splitlines()[-1])


def run(args, logs):
    chosen = args.only or list(SCENARIOS)
    courses = {name: max(4, round(LEARNERS[name] * args.scale)) for name in chosen}
    reports = []
    with (
        PrivatePostgres(logs=logs) as postgres,
        PrivateRedis(logs=logs) as redis,
        Stack(
            name="faults",
            logs=logs,
            pg_server=postgres.url,
            redis_server=redis.url,
            redis_db=0,
            seed=None,
            gunicorn_workers=3,
            # As behind the reverse proxy: learners are told apart by X-Forwarded-For, so the
            # sign-in limits per address see many offices, not one address signing in all.
            extra_env={"TRUSTED_PROXY_COUNT": "1"},
        ) as stack,
    ):
        password = secrets.token_urlsafe(18)
        context = Context(
            stack=stack,
            postgres=postgres,
            redis=redis,
            seed=seed(stack, password=password, courses=courses),
            password=password,
        )
        say(f"seeded: {courses}")
        for name in chosen:
            report = Report(name)
            summary = " ".join(SCENARIOS[name].__doc__.split("\n\n")[0].split())
            print(f"\n== {name}: {summary}", flush=True)
            began = time.monotonic()
            try:
                SCENARIOS[name](context, report)
            except Exception as error:
                traceback.print_exc()
                report.check(False, f"the scenario ran to its end ({error})")
            report.value("seconds", round(time.monotonic() - began))
            report.value("result", "PASS" if report.passed else "FAIL")
            reports.append(report)
        print("\n== whole database", flush=True)
        total = Report("all")
        half = checks.half_graded(context.url)
        total.check(not half, f"no attempt half-graded ({len(half)})")
        twice = checks.value(
            context.url,
            "SELECT count(*) FROM (SELECT 1 FROM certificates_certificate WHERE kind = "
            "'completion' GROUP BY enrolment_id, completed_at HAVING count(*) > 1) AS twice",
        )
        total.check(twice == 0, f"no completion with two certificates ({twice})")
        missing = checks.value(
            context.url,
            "SELECT count(*) FROM courses_enrolment e JOIN courses_coursepage c"
            " ON c.page_ptr_id = e.course_id WHERE e.completed_at IS NOT NULL"
            " AND c.certificate_template_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM"
            " certificates_certificate x WHERE x.enrolment_id = e.id"
            " AND x.completed_at = e.completed_at AND x.kind = 'completion')",
        )
        total.check(missing == 0, f"no completion without certificate ({missing})")
        reports.append(total)
        if not all(report.passed for report in reports):
            stack.tail_logs(40)
    return reports


def main(argv=None):
    args = parse_args(argv)
    # SIGTERM ends the run like Ctrl-C: stack and private servers are removed on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    began = time.monotonic()
    logs = args.logs / f"{datetime.now():%Y%m%d-%H%M%S}"
    try:
        reports = run(args, logs)
        passed = all(report.passed for report in reports)
    except Exception:
        traceback.print_exc()
        passed = False
    print(f"\nfaults_seconds={round(time.monotonic() - began)}")
    print(f"faults_logs={logs}")
    print(f"faults_result={'PASS' if passed else 'FAIL'}", flush=True)
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
