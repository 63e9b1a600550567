"""The three faults. Each drives learners over HTTP, breaks one part of the stack while they
work, lets it recover and then checks what the database and the certificate store hold.
"""

import time
import urllib.parse
from collections import Counter

from bench.faults import checks
from bench.faults.harness import CACHE_UNREACHABLE, NOT_QUEUED, TASK_FAILED, Crowd, say


def _describe(response):
    path = urllib.parse.urlsplit(response.url).path
    what = response.status or response.error
    at = time.strftime("%H:%M:%S", time.localtime(response.started))
    return f"{response.method} {path} → {what} at {at}"


def _certificate_checks(context, report, course_id, *, expected_completions):
    counts = checks.course_counts(context.url, course_id)
    good, problems = checks.certificate_files(context.url, course_id, context.private_root)
    report.values("", counts)
    report.value("pdfs_verified", good)
    report.check(
        counts["completions"] == expected_completions,
        f"completions as the learners passed ({counts['completions']} == {expected_completions})",
    )
    report.check(
        counts["certificates"] == counts["completions"],
        f"one certificate per completion ({counts['certificates']} == {counts['completions']})",
    )
    report.check(counts["missing"] == 0, f"no completion without certificate ({counts['missing']})")
    report.check(
        counts["duplicates"] == 0, f"no completion with two certificates ({counts['duplicates']})"
    )
    report.check(counts["pending"] == 0, f"no certificate left without PDF ({counts['pending']})")
    report.check(
        good == counts["certificates"] and not problems,
        f"every PDF stored, readable, its SHA-256 as recorded, saying what the row says "
        f"({good} of {counts['certificates']})",
    )
    for problem in problems[:10]:
        print(f"    {problem}", flush=True)
    return counts


def _attempt_checks(context, report, quiz_id, *, learners, passing):
    attempts = checks.attempt_counts(context.url, quiz_id)
    report.values("attempts_", attempts)
    report.check(
        attempts["learners_submitted"] == learners,
        f"every learner's submission stored ({attempts['learners_submitted']} of {learners})",
    )
    report.check(attempts["open"] == 0, f"no attempt left open ({attempts['open']})")
    report.check(
        attempts["graded"] == attempts["attempts"],
        f"every attempt graded ({attempts['graded']} of {attempts['attempts']})",
    )
    report.check(
        attempts["passed"] == passing and attempts["failed"] == learners - passing,
        f"graded as answered ({attempts['passed']} passed, {attempts['failed']} failed; "
        f"expected {passing} and {learners - passing})",
    )
    half = checks.half_graded(context.url)
    report.value("half_graded", len(half))
    report.check(not half, f"no attempt half-graded in the whole database ({half[:10]})")


def _same_processes(context, report, before):
    alive = context.pids()
    report.check(
        alive == before,
        f"gunicorn, worker and beat ran on without a restart ({sorted(alive)} of {sorted(before)})",
    )


def _crowd_checks(report, crowd):
    report.value("requests", len(crowd.log.responses))
    report.value("gave_up", len(crowd.gave_up))
    report.check(not crowd.gave_up, f"every learner got through ({crowd.gave_up[:3]})")


# 1 ----------------------------------------------------------------------------------------------


def worker_kill(context, report, *, kill_share=1 / 3):
    """SIGKILL the Celery worker (its whole process group) while it issues certificates, go on
    completing without it, start it again, let it and then the reconciliation catch up."""
    stack, course = context.stack, context.course("worker_kill")
    learners = len(course["learners"])
    target = max(1, int(learners * kill_share))
    say(f"worker_kill: {learners} learners pass the quiz; the worker dies after ~{target} PDFs")
    crowd = Crowd(context, "worker_kill", spread=10, pause=0, concurrency=12, attempts=3).start()
    killed, reached = None, None
    while killed is None:
        counts = checks.course_counts(context.url, course["course_id"])
        if counts["issued"] >= target and reached is None:
            reached = time.monotonic()
        # Best while a PDF is being rendered (a row without PDF exists); not later than 5 s
        # after the share is reached, whatever is in flight then.
        if reached is not None and (counts["pending"] or time.monotonic() - reached > 5):
            stack.service_kill("celery-worker")
            killed = checks.course_counts(context.url, course["course_id"])
            killed["queued"] = context.redis_count("LLEN", "celery")
            killed["unacknowledged"] = context.redis_count("HLEN", "unacked")
            say(f"worker killed (SIGKILL to its process group): {killed}")
            break
        if not crowd.running and counts["completions"] == counts["issued"]:
            break
        time.sleep(0.2)
    crowd.join()
    _crowd_checks(report, crowd)
    if not report.check(killed is not None, "the worker was killed while issuing"):
        return report
    report.values("at_kill_", killed)
    report.check(
        0 < killed["issued"] < learners,
        f"killed when some but not all certificates were issued ({killed['issued']} of {learners})",
    )
    down = checks.course_counts(context.url, course["course_id"])
    report.value("completions_while_down", down["completions"] - killed["completions"])
    report.value("queued_while_down", context.redis_count("LLEN", "celery"))
    report.check(
        len(crowd.failed_responses()) == 0,
        f"no learner's page failed meanwhile ({len(crowd.failed_responses())})",
    )
    say("starting the worker again")
    stack.worker_start()
    stack.worker_wait()
    settled = context.settle(course["course_id"])
    report.values("after_restart_", settled)
    result = context.task_run("certificates.tasks.certificates_reconcile")
    report.values("reconcile_", result)
    report.check(result.get("failed") == 0, f"reconciliation without failures ({result})")
    _certificate_checks(context, report, course["course_id"], expected_completions=learners)
    return report


# 2 ----------------------------------------------------------------------------------------------


def redis_down(context, report, *, down_at=8.0, down_for=20.0):
    """Stop Redis (cache, rate limits and broker) while learners sign in, answer and submit;
    start it again, empty, as a Redis without persistence comes back."""
    course = context.course("redis_down")
    learners = len(course["learners"])
    failing = set(range(3, learners, 4))  # every fourth learner answers wrongly
    say(f"redis_down: {learners} learners over 36 s; Redis stops at {down_at}s for {down_for}s")
    before = context.pids()
    warnings_before = context.log_lines("gunicorn", CACHE_UNREACHABLE)
    unqueued_before = context.log_lines("gunicorn", NOT_QUEUED)
    crowd = Crowd(
        context, "redis_down", spread=36, pause=0.5, concurrency=16, attempts=3, failing=failing
    ).start()
    time.sleep(down_at)
    # Best while the worker renders a certificate (a row without PDF exists): the broker then
    # goes away under a running task that is not acknowledged yet.
    running, deadline = 0, time.monotonic() + 5
    while not running and time.monotonic() < deadline:
        running = checks.course_counts(context.url, course["course_id"])["pending"]
        time.sleep(0.02)
    stopped = time.time()
    context.redis.stop()
    say(f"Redis stopped ({running} certificate(s) being rendered)")
    report.value("certificates_rendering_when_stopped", running)
    time.sleep(down_for)
    context.redis.start()
    started = time.time()
    say("Redis started again (empty)")
    crowd.join()
    _crowd_checks(report, crowd)
    _same_processes(context, report, before)
    during = crowd.requests_between(stopped, started)
    submits = crowd.requests_between(stopped, started, r"/abgeben/$", "POST")
    sign_ins = crowd.requests_between(stopped, started, r"^/accounts/login/$", "POST")
    report.value("redis_down_seconds", round(started - stopped, 1))
    report.value("requests_while_down", len(during))
    report.value("submits_while_down", len(submits))
    report.value("sign_ins_while_down", len(sign_ins))
    slowest = max((r.seconds for r in during), default=0)
    report.value("slowest_request_while_down_seconds", round(slowest, 2))
    report.check(
        len(submits) > 0 and len(sign_ins) > 0,
        f"learners signed in and submitted while Redis was down ({len(sign_ins)}, {len(submits)})",
    )
    failed = crowd.failed_responses()
    report.value("failed_requests", len(failed))
    report.check(not failed, f"every page answered, none with 5xx or no answer ({len(failed)})")
    for response in failed[:10]:
        print(f"    {_describe(response)}", flush=True)
    report.check(
        not crowd.retries, f"no step had to be repeated ({len(crowd.retries)}: {crowd.retries[:3]})"
    )
    _attempt_checks(
        context, report, course["quiz_id"], learners=learners, passing=learners - len(failing)
    )
    report.value(
        "cache_unreachable_warnings",
        context.log_lines("gunicorn", CACHE_UNREACHABLE) - warnings_before,
    )
    report.value(
        "certificate_tasks_not_queued", context.log_lines("gunicorn", NOT_QUEUED) - unqueued_before
    )
    settled = context.settle(course["course_id"])
    report.values("before_reconcile_", settled)
    while_down, _issued = _completions_between(context, course["course_id"], stopped, started)
    after, issued_after = _completions_between(context, course["course_id"], started, time.time())
    report.value("completions_while_down", while_down)
    report.value("completions_after_redis_back", after)
    report.value("issued_by_worker_for_them", issued_after)
    report.check(
        after > 0 and issued_after == after,
        f"completions after Redis came back got their certificate from the worker without help "
        f"({issued_after} of {after})",
    )
    result = context.task_run("certificates.tasks.certificates_reconcile")
    report.values("reconcile_", result)
    report.check(result.get("failed") == 0, f"reconciliation without failures ({result})")
    _certificate_checks(
        context, report, course["course_id"], expected_completions=learners - len(failing)
    )
    return report


# 3 ----------------------------------------------------------------------------------------------


def postgres_restart(context, report, *, restart_at=10.0, tolerance=5.0):
    """`pg_ctl restart -m fast` while learners save and submit: the server drops every
    connection and rolls back what was in flight. Gunicorn, the worker and beat run on."""
    stack, course = context.stack, context.course("postgres_restart")
    learners = len(course["learners"])
    before = context.pids()
    task_errors_before = context.log_lines("celery-worker", TASK_FAILED)
    say(f"postgres_restart: {learners} learners over 30 s; PostgreSQL restarts at {restart_at}s")
    crowd = Crowd(
        context, "postgres_restart", spread=30, pause=0.3, concurrency=16, attempts=30
    ).start()
    time.sleep(restart_at)
    begin = time.time()
    context.postgres.restart()
    end = time.time()
    say(f"PostgreSQL restarted in {end - begin:.1f}s")
    answered = _wait_answering(stack.urls)
    crowd.join()
    _crowd_checks(report, crowd)
    report.value("restart_seconds", round(end - begin, 1))
    report.value("answering_again_after_seconds", round(answered - end, 1))
    report.check(
        answered - end < tolerance, f"pages answer {answered - end:.1f}s after the restart"
    )
    _same_processes(context, report, before)
    failed = crowd.failed_responses()
    outside = [r for r in failed if not begin - 1 <= r.started <= end + tolerance]
    kinds = Counter(r.status or "no answer" for r in failed)
    report.value("failed_requests", len(failed))
    report.value("failed_requests_by_status", dict(kinds) or "none")
    report.value("failed_requests_in_window", len(failed) - len(outside))
    report.value("failed_requests_outside_window", len(outside))
    report.value("repeated_steps", len(crowd.retries))
    report.value(
        "worker_tasks_failed", context.log_lines("celery-worker", TASK_FAILED) - task_errors_before
    )
    report.check(
        not outside,
        f"requests failed only while PostgreSQL restarted (+{tolerance:.0f}s): "
        f"{len(outside)} outside",
    )
    for response in (outside or failed)[:10]:
        print(f"    {_describe(response)}", flush=True)
    _attempt_checks(context, report, course["quiz_id"], learners=learners, passing=learners)
    settled = context.settle(course["course_id"])
    report.values("before_reconcile_", settled)
    issued_after = checks.value(
        context.url,
        "SELECT count(*) FROM certificates_certificate WHERE course_id = %s AND issued_at > "
        "to_timestamp(%s)",
        (course["course_id"], end),
    )
    report.value("issued_by_worker_after_restart", issued_after)
    report.check(issued_after > 0, "the worker issued certificates after the restart by itself")
    result = context.task_run("certificates.tasks.certificates_reconcile")
    report.values("reconcile_", result)
    report.check(result.get("failed") == 0, f"reconciliation without failures ({result})")
    _certificate_checks(context, report, course["course_id"], expected_completions=learners)
    return report


def _completions_between(context, course_id, begin, end):
    """Completions of the course in [begin, end) (Unix times), and how many have a certificate."""
    (found,) = checks.rows(
        context.url,
        """
        SELECT count(*), count(c.id) FROM courses_enrolment e
        LEFT JOIN certificates_certificate c ON c.enrolment_id = e.id
          AND c.completed_at = e.completed_at AND c.kind = 'completion'
        WHERE e.course_id = %s AND e.completed_at >= to_timestamp(%s)
          AND e.completed_at < to_timestamp(%s)
        """,
        (course_id, begin, end),
    )
    return found


def _wait_answering(urls, limit=60):
    """The time at which every instance answers its home page again."""
    from urllib.request import urlopen

    deadline = time.monotonic() + limit
    pending = list(urls)
    while pending and time.monotonic() < deadline:
        try:
            with urlopen(f"{pending[0]}/", timeout=5) as answer:  # noqa: S310 - loopback only
                if answer.status == 200:
                    pending.pop(0)
                    continue
        except OSError:
            pass
        time.sleep(0.1)
    return time.time()


SCENARIOS = {
    "worker_kill": worker_kill,
    "redis_down": redis_down,
    "postgres_restart": postgres_restart,
}
