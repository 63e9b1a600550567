"""What the fault scenarios share: the report, the stack and its servers, and the learners."""

import ast
import re
import subprocess
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from bench.faults import checks
from bench.faults.client import Browser, Learner, Log, StepFailed, retrying
from bench.faults.seed import PER_PAGE, QUESTIONS

PAGES = -(-QUESTIONS // PER_PAGE)
SETTLE_SECONDS = 4  # the queue empty and the counts unchanged this long: the worker is idle
SETTLE_LIMIT = 300
TASK_LIMIT = 300
# Log lines counted as evidence: lms.cache's warning, the on_commit hook's logged failure to
# queue a certificate (certificates.receivers through lms.queueing, robust=True), a task that
# raised in the worker.
CACHE_UNREACHABLE = "Cache unreachable"
NOT_QUEUED = "certificates.tasks.certificate_issue.delay in on_commit()"
TASK_FAILED = "raised unexpected"


def say(message):
    print(f"[faults {time.strftime('%H:%M:%S')}] {message}", flush=True)


class Report:
    """name=value lines and checks of one scenario."""

    def __init__(self, scenario):
        self.scenario = scenario
        self.failures = []

    def value(self, name, value):
        print(f"faults_{self.scenario}_{name}={value}", flush=True)

    def values(self, prefix, mapping):
        for name, value in mapping.items():
            self.value(f"{prefix}{name}", value)

    def check(self, passed, text):
        print(f"check {'ok  ' if passed else 'FAIL'} {text}", flush=True)
        if not passed:
            self.failures.append(text)
        return passed

    @property
    def passed(self):
        return not self.failures


@dataclass
class Context:
    stack: object
    postgres: object
    redis: object
    seed: dict
    password: str
    learners_started: int = 0  # over all scenarios: each learner gets an address of their own

    @property
    def url(self):
        return self.stack.database_url

    @property
    def private_root(self):
        return f"{self.stack.env()['LMS_VAR_DIR']}/private"

    def course(self, name):
        return self.seed["courses"][name]

    def redis_count(self, command, key):
        """LLEN of the task queue, HLEN of the unacknowledged tasks; -1 while Redis is down."""
        answer = subprocess.run(
            ["redis-cli", "-u", self.stack.redis_url, command, key],
            capture_output=True,
            text=True,
            timeout=10,
        )
        try:
            return int(answer.stdout.strip())
        except ValueError:
            return -1

    def task_run(self, name):
        """Queues a task by name as `celery call` does and returns its result from the
        worker's log (no result backend is configured)."""
        task_id = self.stack.celery("call", name).stdout.strip()
        log = self.stack.logs / "celery-worker.log"
        done = re.compile(rf"\[{re.escape(task_id)}\] (succeeded in [\d.]+s: (.*)|raised .*)$")
        deadline = time.monotonic() + TASK_LIMIT
        while time.monotonic() < deadline:
            for line in log.read_text(errors="replace").splitlines():
                match = done.search(line)
                if match and match.group(2) is not None:
                    return ast.literal_eval(match.group(2))
                if match:
                    raise RuntimeError(f"{name} failed: {line}")
            time.sleep(0.5)
        raise RuntimeError(f"{name} did not finish within {TASK_LIMIT}s")

    def pids(self):
        """The stack's services that are running, by name: their process ids."""
        return {
            name: process.pid
            for name, process in self.stack.processes.items()
            if process.poll() is None
        }

    def log_lines(self, service, text):
        """How many lines of a service's log contain `text`."""
        log = self.stack.logs / f"{service}.log"
        return sum(text in line for line in log.read_text(errors="replace").splitlines())

    def settle(self, course_id):
        """Waits until the worker has nothing left to do for the course: the queue is empty and
        the certificate counts stay the same for SETTLE_SECONDS. Returns the counts."""
        last, since = None, time.monotonic()
        deadline = since + SETTLE_LIMIT
        while time.monotonic() < deadline:
            worker = self.stack.processes.get("celery-worker")
            if worker is None or worker.poll() is not None:
                raise RuntimeError("the Celery worker is not running: nothing will issue")
            counts = checks.course_counts(self.url, course_id)
            queued = self.redis_count("LLEN", "celery")
            if counts != last or queued != 0:
                last, since = counts, time.monotonic()
            elif time.monotonic() - since >= SETTLE_SECONDS:
                return counts
            time.sleep(0.5)
        raise RuntimeError(f"the worker did not settle within {SETTLE_LIMIT}s")


class Crowd:
    """The learners of one course, started evenly over `spread` seconds, at most `concurrency`
    at a time, each signing in and taking the quiz; a failed step is tried again up to
    `attempts` times, a second apart, as a person would reload the page."""

    def __init__(self, context, name, *, spread, pause, concurrency, attempts, failing=()):
        course = context.course(name)
        self.log = Log()
        self.retries = []  # (time, what failed) of every step that had to be repeated
        self.gave_up = []
        self.learners = []
        for index, email in enumerate(course["learners"]):
            number = context.learners_started
            context.learners_started += 1
            browser = Browser(
                context.stack.urls[index % len(context.stack.urls)],
                log=self.log,
                client_ip=f"10.{number // 62500 + 1}.{number // 250 % 250}.{number % 250 + 1}",
            )
            self.learners.append(
                Learner(
                    browser,
                    email=email,
                    password=context.password,
                    quiz_url=course["quiz_url"],
                    quiz_id=course["quiz_id"],
                    answer="false" if index in failing else "true",
                )
            )
        self.spread, self.pause = spread, pause
        self.concurrency, self.attempts = concurrency, attempts
        self.thread = None

    def start(self):
        self.started = time.time()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()
        return self

    @property
    def running(self):
        return self.thread.is_alive()

    def join(self):
        self.thread.join()
        return self

    def _run(self):
        step = self.spread / max(1, len(self.learners))
        with ThreadPoolExecutor(self.concurrency) as pool:
            for index, learner in enumerate(self.learners):
                pool.submit(self._one, learner, self.started + index * step)

    def _one(self, learner, at):
        time.sleep(max(0.0, at - time.time()))
        retry = retrying(attempts=self.attempts, wait=1.0, failures=self.retries)
        try:
            retry(learner.sign_in)
            learner.take_quiz(pages=PAGES, retry=retry, pause=self.pause)
        except StepFailed as error:
            self.gave_up.append(f"{learner.email}: {error}")

    def failed_responses(self):
        return self.log.failed()

    def requests_between(self, begin, end, path_pattern=None, method=None):
        pattern = re.compile(path_pattern) if path_pattern else None
        return [
            r
            for r in self.log.responses
            if begin <= r.started <= end
            and (method is None or r.method == method)
            and (pattern is None or pattern.search(urllib.parse.urlsplit(r.url).path))
        ]
