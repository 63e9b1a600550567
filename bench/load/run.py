"""The exam-start load test on the production stack; prints name=value lines.

    .venv/bin/python bench/load/run.py --users 200          # what `make load` runs
    .venv/bin/python bench/load/run.py --users 2000 --think 60   # a page a minute

Starts tests/stack.py with two gunicorn instances (fresh PostgreSQL database, Redis, Celery
worker and beat), seeds bench/load/scenario.py into it, runs bench/load/locustfile.py headless
in one process against both instances, bounded in users and time, then waits (bounded) for the
worker to issue the certificates and compares what the database holds with what was sent.
Everything stays on 127.0.0.1. Raw figures go to bench/load/artifacts/<users>-<time>/.

Exits 1 when the goal is missed: a failed request, a learner who did not finish, an attempt
or answer missing, a result not as answered, a certificate missing once the wait is over, or a
5xx in the access logs.
"""

import argparse
import csv
import json
import os
import re
import resource
import signal
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
sys.path.insert(0, str(ROOT))

from tests.stack import BIN, Stack, say  # noqa: E402

ARTIFACTS = ROOT / "bench" / "load" / "artifacts"
# Its own Redis database: the browser journeys use 12, and each stack empties its database.
REDIS_DB = 13
# With the time each request took in the server (ms), to tell work from waiting in the queue.
ACCESS_LOG_FORMAT = '%(h)s %(t)s "%(r)s" %(s)s %(b)s %(M)s'
# Locust's names of the steps, in the order of the exam, and the keys they are printed under.
STEPS = [
    ("sign-in form", "sign_in_form"),
    ("sign-in", "sign_in"),
    ("home", "home"),
    ("quiz page", "quiz_page"),
    ("open quiz", "open_quiz"),
    ("question page", "question_page"),
    ("save page", "save_page"),
    ("summary", "summary"),
    ("submit", "submit"),
    ("result", "result"),
    ("HR sign-in", "hr_sign_in"),
    ("HR report", "hr_report"),
    ("HR report course", "hr_report_course"),
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=200, help="simulated learners")
    parser.add_argument(
        "--sign-in-window",
        type=float,
        help="seconds over which sign-ins arrive (default: users / 8, at most 300)",
    )
    parser.add_argument("--start-spread", type=float, default=5.0, help="seconds: start clicks")
    parser.add_argument("--think", type=float, default=5.0, help="mean seconds per quiz page")
    parser.add_argument("--hr-interval", type=float, default=10.0)
    parser.add_argument(
        "--client-addresses",
        type=int,
        default=0,
        help="learners share this many client addresses (default: one each)",
    )
    parser.add_argument("--spawn-rate", type=float, default=200.0)
    parser.add_argument("--gunicorn-workers", type=int, default=2, help="per instance")
    parser.add_argument("--worker-concurrency", type=int, default=2, help="Celery worker")
    parser.add_argument(
        "--worker-nice", type=int, default=0, help="CPU priority of the Celery worker (nice)"
    )
    parser.add_argument(
        "--gunicorn-arg",
        action="append",
        default=[],
        help="added to the gunicorn command line, e.g. --gunicorn-arg=--threads=4",
    )
    parser.add_argument(
        "--max-exam-seconds", type=float, default=900.0, help="bound from the start to the end"
    )
    parser.add_argument(
        "--certificate-wait", type=float, help="seconds to wait for certificates (default: scaled)"
    )
    parser.add_argument("--artifacts", type=Path, default=ARTIFACTS)
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    window = args.sign_in_window
    if window is None:
        window = min(args.users / 8, 300.0)
    run_dir = args.artifacts / f"{args.users}-{datetime.now():%Y%m%d-%H%M%S}"
    run_dir.mkdir(parents=True)
    figures = {
        "load_users": args.users,
        "load_sign_in_window_s": window,
        "load_think_s": args.think,
        "load_start_spread_s": args.start_spread,
        "load_gunicorn_instances": 2,
        "load_gunicorn_workers": args.gunicorn_workers,
        "load_gunicorn_args": " ".join(args.gunicorn_arg) or "-",
        "load_worker_nice": args.worker_nice,
        "load_client_addresses": args.client_addresses or args.users,
        "load_loadavg_1m_before": round(os.getloadavg()[0], 2),
    }
    stack = Stack(
        name="load",
        logs=run_dir / "stack",
        instances=2,
        gunicorn_workers=args.gunicorn_workers,
        worker_concurrency=args.worker_concurrency,
        worker_nice=args.worker_nice,
        seed=None,
        redis_db=REDIS_DB,
        # The reverse proxy of production appends the client's address; allauth's sign-in
        # limits count by it (lms/settings/base.py).
        extra_env={"TRUSTED_PROXY_COUNT": "1"},
        gunicorn_args=["--access-logformat", ACCESS_LOG_FORMAT, *args.gunicorn_arg],
    )
    goal_met = False
    with stack:
        scenario = seed(stack, args.users, run_dir)
        figures["load_seed_s"] = scenario["seed_s"]
        figures.update(run_locust(stack, args, window, run_dir))
        figures.update(wait_for_certificates(stack, scenario, args))
        figures.update(database_figures(stack, scenario))
        figures.update(log_figures(run_dir / "stack"))
        goal_met = judge(figures)
        figures["load_goal_met"] = int(goal_met)
    lines = [f"{name}={value}" for name, value in figures.items()]
    (run_dir / "results.txt").write_text("\n".join(lines) + "\n")
    print("\n".join(lines), flush=True)
    say(f"raw figures in {run_dir}")
    return 0 if goal_met else 1


def seed(stack, users, run_dir):
    """The scenario, written with the dev settings: same database and cache, no broker."""
    env = stack.env()
    for name in ("CELERY_BROKER_URL", "EMAIL_HOST"):
        env.pop(name, None)
    env["DJANGO_SETTINGS_MODULE"] = "lms.settings.dev"
    out = run_dir / "scenario.json"
    started = time.monotonic()
    with open(run_dir / "seed.log", "w") as log:
        subprocess.run(
            [BIN / "python", "-m", "bench.load.scenario", "--learners", str(users), "--out", out],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=True,
        )
    say(f"scenario seeded: {users} learners in {time.monotonic() - started:.0f}s")
    return json.loads(out.read_text())


def _cpu_seconds(process):
    """CPU of a service's process tree so far, reaped children included."""
    import psutil

    try:
        root = psutil.Process(process.pid)
        tree = [root, *root.children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0.0
    total = 0.0
    for member in tree:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system + times.children_user + times.children_system
    return total


def _services_cpu(stack):
    import psutil

    groups = {"gunicorn": 0.0, "celery": 0.0, "postgres": 0.0}
    for name, process in stack.processes.items():
        key = "gunicorn" if name.startswith("gunicorn") else "celery"
        groups[key] += _cpu_seconds(process)
    # The server processes of the stack's database (the PostgreSQL server itself is shared).
    for backend in psutil.process_iter(["name", "cmdline"]):
        try:
            if backend.info["name"] == "postgres" and stack.database in " ".join(
                backend.info["cmdline"] or ()
            ):
                times = backend.cpu_times()
                groups["postgres"] += times.user + times.system
        except psutil.Error:
            continue
    return groups


def _machine_busy_seconds():
    """CPU seconds the whole machine spent busy (all processes, other work on it included)."""
    fields = [int(value) for value in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = fields[3] + fields[4]
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def run_locust(stack, args, window, run_dir):
    users = args.users
    spawn_seconds = (users + 1) / args.spawn_rate
    t0 = time.time() + spawn_seconds + 5
    # Late sign-ins may wait in the servers' queues: a margin before the exam starts.
    start_at = t0 + window + max(10.0, window * 0.05)
    run_time = int(start_at - time.time() + args.start_spread + args.max_exam_seconds)
    env = dict(
        os.environ,
        LOAD_SCENARIO=str(run_dir / "scenario.json"),
        LOAD_URLS=" ".join(stack.urls),
        LOAD_T0=str(t0),
        LOAD_SIGN_IN_WINDOW=str(window),
        LOAD_START_AT=str(start_at),
        LOAD_START_SPREAD=str(args.start_spread),
        LOAD_THINK_SECONDS=str(args.think),
        LOAD_HR_INTERVAL=str(args.hr_interval),
        LOAD_CLIENT_ADDRESSES=str(args.client_addresses),
        LOAD_OUT=str(run_dir / "outcome.json"),
    )
    for name in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL"):
        env.pop(name, None)
    argv = [
        BIN / "locust",
        "-f",
        ROOT / "bench" / "load" / "locustfile.py",
        "--headless",
        "--users",
        str(users + 1),
        "--spawn-rate",
        str(args.spawn_rate),
        "--run-time",
        f"{run_time}s",
        "--stop-timeout",
        "10",
        "--host",
        stack.urls[0],
        "--csv",
        str(run_dir / "locust"),
        "--csv-full-history",
        "--only-summary",
        "--exit-code-on-error",
        "0",
    ]
    say(f"locust: {users} learners + HR for at most {run_time}s, exam at +{start_at - t0:.0f}s")
    before_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    before_services = _services_cpu(stack)
    before_machine = _machine_busy_seconds()
    started = time.monotonic()
    with open(run_dir / "locust.log", "w") as log:
        subprocess.run(argv, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, check=True)
    elapsed = time.monotonic() - started
    after_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    after_services = _services_cpu(stack)
    outcome = json.loads((run_dir / "outcome.json").read_text())
    figures = {"load_run_s": round(elapsed)}
    figures["load_locust_cpu_s"] = round(
        after_cpu.ru_utime - before_cpu.ru_utime + after_cpu.ru_stime - before_cpu.ru_stime, 1
    )
    for key in ("gunicorn", "celery", "postgres"):
        figures[f"load_{key}_cpu_s"] = round(after_services[key] - before_services[key], 1)
    figures["load_machine_busy_cpu_s"] = round(_machine_busy_seconds() - before_machine, 1)
    figures.update(locust_figures(run_dir, outcome, start_at))
    return figures


def locust_figures(run_dir, outcome, start_at):
    rows = {}
    with open(run_dir / "locust_stats.csv", newline="") as stats:
        for row in csv.DictReader(stats):
            rows[row["Name"]] = row
    total = rows.get("Aggregated", {})
    figures = {
        "load_requests": int(total.get("Request Count", 0)),
        "load_failures": int(total.get("Failure Count", 0)),
        "load_learners_signed_in": outcome.get("learners_signed_in", 0),
        "load_learners_finished": outcome.get("learners_finished", 0),
        "load_learners_aborted": outcome.get("learners_aborted", 0),
    }
    for key, value in sorted(outcome.items()):
        if key.startswith("learners_aborted_at_"):
            figures["load_" + key.replace(" ", "_").replace("-", "_")] = value
    if outcome.get("last_signed_in_at"):
        figures["load_sign_ins_done_before_start_s"] = round(
            start_at - outcome["last_signed_in_at"]
        )
    if outcome.get("last_finished_at"):
        figures["load_exam_s"] = round(outcome["last_finished_at"] - start_at)
    for name, key in STEPS:
        row = rows.get(name)
        if row is None:
            continue
        figures[f"load_{key}_requests"] = int(row["Request Count"])
        figures[f"load_{key}_failures"] = int(row["Failure Count"])
        figures[f"load_{key}_p50_ms"] = row["50%"]
        figures[f"load_{key}_p95_ms"] = row["95%"]
        figures[f"load_{key}_max_ms"] = round(float(row["Max Response Time"]))
    figures["load_answers_sent"] = outcome.get("answers_sent", 0)
    figures["load_answers_saved_acknowledged"] = outcome.get("answers_saved", 0)
    figures["load_results_seen_passed"] = outcome.get("results_passed", 0)
    figures["load_results_seen_failed"] = outcome.get("results_failed", 0)
    figures["load_hr_reports"] = outcome.get("hr_reports", 0)
    figures["load_hr_aborted"] = outcome.get("hr_aborted", 0)
    return figures


def _count(stack, query, scenario):
    """A count from the stack's database. The query's {placeholders} are numbers of the
    scenario, checked to be numbers before they are put in."""
    numbers = {
        "course": int(scenario["course_id"]),
        "quiz": int(scenario["quiz_id"]),
        "fail_every": int(scenario["fail_every"]),
        "failing_score": Decimal(scenario["failing_score"]),
        "max_score": Decimal(scenario["max_score"]),
    }
    return int(stack.sql(query.format(**numbers)) or 0)


ISSUED = "SELECT count(*) FROM certificates_certificate WHERE course_id = {course} AND sha256 <> ''"
COMPLETED = (
    "SELECT count(*) FROM courses_enrolment WHERE course_id = {course} AND completed_at IS NOT NULL"
)
ATTEMPTS = "SELECT count(*) FROM courses_quizattempt WHERE quiz_id = {quiz}"
ANSWERS = (
    "SELECT coalesce(sum((SELECT count(*) FROM jsonb_object_keys(answers))), 0) "
    "FROM courses_quizattempt WHERE quiz_id = {quiz}"
)
# The learner's number is in their e-mail address; it says whether they answered to fail.
AS_ANSWERED = (
    "SELECT count(*) FROM courses_quizattempt a JOIN people_user u ON u.id = a.user_id "
    "WHERE a.quiz_id = {quiz} AND a.status = 'submitted' AND a.score = CASE "
    "WHEN substring(u.email from 'lernende-(\\d+)@')::int % {fail_every} = {fail_every} - 1 "
    "THEN {failing_score} ELSE {max_score} END"
)


def wait_for_certificates(stack, scenario, args):
    """Until every completion has its stored certificate, or the wait is over."""
    bound = args.certificate_wait
    if bound is None:
        bound = 120 + scenario["learners"] * 0.6
    started = time.monotonic()
    while True:
        issued = _count(stack, ISSUED, scenario)
        completed = _count(stack, COMPLETED, scenario)
        if issued >= completed or time.monotonic() - started > bound:
            break
        time.sleep(5)
    waited = time.monotonic() - started
    say(f"certificates: {issued} of {completed} after waiting {waited:.0f}s")
    return {"load_certificates_wait_s": round(waited)}


def database_figures(stack, scenario):
    """What the database holds, against what the learners did."""
    learners, fail_every = scenario["learners"], scenario["fail_every"]
    planned_failing = sum(1 for i in range(learners) if i % fail_every == fail_every - 1)
    return {
        "load_attempts_stored": _count(stack, ATTEMPTS, scenario),
        "load_attempts_expected": learners,
        "load_attempts_submitted": _count(stack, ATTEMPTS + " AND status = 'submitted'", scenario),
        "load_attempts_left_open": _count(stack, ATTEMPTS + " AND status = 'open'", scenario),
        "load_answers_stored": _count(stack, ANSWERS, scenario),
        "load_answers_expected": learners * scenario["questions"],
        "load_results_as_answered": _count(stack, AS_ANSWERED, scenario),
        "load_attempts_passed": _count(stack, ATTEMPTS + " AND passed", scenario),
        "load_attempts_passed_expected": learners - planned_failing,
        "load_completions": _count(stack, COMPLETED, scenario),
        "load_certificates_issued": _count(stack, ISSUED, scenario),
        "load_certificates_expected": learners - planned_failing,
    }


# Requests of the access log by step: (method, path pattern, key as in STEPS).
ROUTES = [
    ("GET", r"/accounts/login/", "sign_in_form"),
    ("POST", r"/accounts/login/", "sign_in"),
    ("GET", r"/", "home"),
    ("GET", r"/kurse/.*", "quiz_page"),
    ("POST", r"/lernen/test/\d+/starten/", "open_quiz"),
    ("GET", r"/lernen/versuch/\d+/seite/\d+/", "question_page"),
    ("POST", r"/lernen/versuch/\d+/seite/\d+/", "save_page"),
    ("GET", r"/lernen/versuch/\d+/abgeben/", "summary"),
    ("POST", r"/lernen/versuch/\d+/abgeben/", "submit"),
    ("GET", r"/lernen/versuch/\d+/", "result"),
    ("GET", r"/admin/reports/completion/", "hr_report"),
    ("GET", r"/admin/reports/course/", "hr_report_course"),
]
ACCESS_LINE = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d{3}) \S+ (\d+)$')


def _percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def log_figures(logs):
    """Server-side figures the client cannot see: time in the server per step (without the wait
    in the listen queue), 5xx, tracebacks, worker timeouts."""
    server_errors = 0
    times = {}
    routes = [(method, re.compile(f"{path}$"), key) for method, path, key in ROUTES]
    for access_log in logs.glob("gunicorn*-access.log"):
        for line in access_log.read_text(errors="replace").splitlines():
            match = ACCESS_LINE.search(line)
            if match is None:
                continue
            method, path, status, ms = match.groups()
            if status.startswith("5"):
                server_errors += 1
            path = path.split("?")[0]
            for route_method, pattern, key in routes:
                if method == route_method and pattern.match(path):
                    times.setdefault(key, []).append(int(ms))
                    break
    figures = {}
    for _name, key in STEPS:
        if key in times:
            figures[f"load_server_{key}_p50_ms"] = _percentile(times[key], 0.5)
            figures[f"load_server_{key}_p95_ms"] = _percentile(times[key], 0.95)
            figures[f"load_server_{key}_total_s"] = round(sum(times[key]) / 1000, 1)
    tracebacks = {"gunicorn": 0, "celery": 0}
    timeouts = 0
    for log in logs.glob("*.log"):
        if log.name.endswith("-access.log"):
            continue
        text = log.read_text(errors="replace")
        tracebacks["gunicorn" if log.name.startswith("gunicorn") else "celery"] += text.count(
            "Traceback (most recent call last)"
        )
        timeouts += text.count("WORKER TIMEOUT")
    return {
        **figures,
        "load_http_5xx": server_errors,
        "load_gunicorn_tracebacks": tracebacks["gunicorn"],
        "load_gunicorn_worker_timeouts": timeouts,
        "load_celery_tracebacks": tracebacks["celery"],
    }


def judge(figures):
    return (
        figures["load_failures"] == 0
        and figures["load_learners_finished"] == figures["load_users"]
        and figures["load_attempts_stored"] == figures["load_attempts_expected"]
        and figures["load_answers_stored"] == figures["load_answers_expected"]
        and figures["load_results_as_answered"] == figures["load_attempts_expected"]
        and figures["load_certificates_issued"] == figures["load_certificates_expected"]
        and figures["load_http_5xx"] == 0
    )


if __name__ == "__main__":
    sys.exit(main())
