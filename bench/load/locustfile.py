"""An exam start in Locust: N learners of one authority sign in, take a quiz and submit, while
HR pulls reports. Started by bench/load/run.py, which sets the LOAD_* variables.

Each learner runs the exam once, on the gunicorn instance of its number mod the number of
instances (so each instance serves half of the learners, sessions and all):
- signs in through the allauth form at a time drawn at random over the sign-in window (as
  SSO sign-ins would arrive before an exam), then waits for the exam's start;
- opens the quiz page and starts the attempt within LOAD_START_SPREAD seconds of the start;
- answers each page from the question texts shown (as a person would: option keys are random
  per attempt), thinks about LOAD_THINK_SECONDS, saves it;
- checks on the summary that every answer arrived, submits, and reads its result.
Every tenth learner answers some questions wrong (bench/load/scenario.py) and must fail.

Every response is checked for its status or redirect and a marker of the page expected; a
failed step is counted and ends that learner's exam. Sign-ins carry an X-Forwarded-For address
of their own (from 127.0.0.0/8, never a real one) as the reverse proxy in front of production
would add, with TRUSTED_PROXY_COUNT=1 on the servers, so that allauth's per-address sign-in
limit counts per learner and not for the whole test. With LOAD_CLIENT_ADDRESSES=n they share n
addresses instead, as people behind the NAT or web proxy of one network would.

One HR coordinator signs in with password and TOTP when the window opens and pulls the
completion report and the course's participation report every LOAD_HR_INTERVAL seconds until
the last learner has finished. When everyone has finished, Locust stops.
"""

import base64
import hashlib
import hmac
import html
import itertools
import json
import os
import random
import re
import struct
import time
from collections import Counter
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path
from urllib.parse import urlencode

import gevent
from locust import FastHttpUser, events, task
from locust.exception import StopUser

SCENARIO = json.loads(Path(os.environ["LOAD_SCENARIO"]).read_text())
URLS = os.environ["LOAD_URLS"].split()
T0 = float(os.environ["LOAD_T0"])
SIGN_IN_WINDOW = float(os.environ["LOAD_SIGN_IN_WINDOW"])
START_AT = float(os.environ["LOAD_START_AT"])
START_SPREAD = float(os.environ.get("LOAD_START_SPREAD", "5"))
THINK_SECONDS = float(os.environ.get("LOAD_THINK_SECONDS", "5"))
HR_INTERVAL = float(os.environ.get("LOAD_HR_INTERVAL", "10"))
CLIENT_ADDRESSES = int(os.environ.get("LOAD_CLIENT_ADDRESSES", "0"))
OUT = Path(os.environ["LOAD_OUT"])
LEARNERS = SCENARIO["learners"]
PAGES = SCENARIO["pages"]
QUESTIONS = SCENARIO["questions"]

FORM = {"Content-Type": "application/x-www-form-urlencoded"}
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
SIGNED_IN = 'action="/accounts/logout/"'
ATTEMPT_PAGE = re.compile(r"^/lernen/versuch/(\d+)/seite/1/$")
FIELDSET = re.compile(
    r'<fieldset class="question card[^"]*" id="question-([^"]+)".*?</fieldset>', re.S
)
PROMPT = re.compile(r'<span class="question-prompt"[^>]*>(.*?)</span>', re.S)
CHOICE = re.compile(
    r'<input type="(?:radio|checkbox)" name="([^"]+)" value="([^"]*)"[^>]*>\s*([^<]*)</label>'
)
TEXT_INPUT = re.compile(r'<input type="text"[^>]*\bname="([^"]+)"')
SELECT = re.compile(
    r'<label for="[^"]+">([^<]*)</label>\s*<select id="[^"]+" name="([^"]+)">(.*?)</select>', re.S
)
OPTION = re.compile(r'<option value="([^"]+)"[^>]*>([^<]*)</option>')

# What happened, for run.py: counted here and written to LOAD_OUT when Locust quits.
outcome = Counter()
_learner_numbers = itertools.count()


class StepFailed(Exception):
    def __init__(self, step, problem):
        super().__init__(f"{step}: {problem}")
        self.step = step


def _text(fragment):
    return " ".join(html.unescape(fragment).split())


def _sleep_until(moment):
    gevent.sleep(max(0.0, moment - time.time()))


def totp_code(secret, at=None):
    """RFC 6238 with allauth's defaults (SHA-1, 30 seconds, six digits)."""
    counter = int(at or time.time()) // 30
    digest = hmac.new(base64.b32decode(secret), struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 1_000_000:06d}"


def answer_form(page_html, *, failing):
    """The form fields answering every question on the page, found by their texts."""
    fields = []
    blocks = list(FIELDSET.finditer(page_html))
    for match in blocks:
        block = match.group(0)
        prompt = _text(PROMPT.search(block).group(1))
        sheet = SCENARIO["answers"].get(prompt)
        if sheet is None:
            raise StepFailed("question page", f"unknown question {prompt[:40]!r}")
        answer = sheet["wrong"] if failing and sheet["wrong_when_failing"] else sheet["right"]
        kind = sheet["type"]
        if kind in ("single_choice", "multiple_choice"):
            wanted = {answer} if kind == "single_choice" else set(answer)
            chosen = [(n, v) for n, v, label in CHOICE.findall(block) if _text(label) in wanted]
            if len(chosen) != len(wanted):
                raise StepFailed("question page", f"options of {prompt[:40]!r} not found")
            fields += chosen
        elif kind == "true_false":
            name = CHOICE.search(block).group(1)
            fields.append((name, answer))
        elif kind in ("short_text", "number"):
            fields.append((TEXT_INPUT.search(block).group(1), answer))
        else:
            selects = SELECT.findall(block)
            if len(selects) != len(answer):
                raise StepFailed("question page", f"items of {prompt[:40]!r} not found")
            for label, name, options in selects:
                label = _text(label)
                if kind == "ordering":
                    fields.append((name, str(answer.index(label) + 1)))
                else:
                    by_text = {_text(text): value for value, text in OPTION.findall(options)}
                    fields.append((name, by_text[answer[label]]))
    return fields, len(blocks)


# Production's session and CSRF cookies are Secure. Browsers keep such cookies for
# http://127.0.0.1 (a secure context), which is where the stack listens; the client's cookie
# jar must do the same.
LOOPBACK_COOKIES = DefaultCookiePolicy(secure_protocols=("https", "wss", "http"))


class Checked:
    """Requests whose outcome is decided by the checks given, named by step."""

    def _loopback_cookies(self):
        self.client.cookiejar.set_policy(LOOPBACK_COOKIES)

    def _call(self, method, path, *, step, status=200, markers=(), location=None, **kwargs):
        headers = {**self.extra_headers, **kwargs.pop("headers", {})}
        with self.client.request(
            method,
            path,
            name=step,
            headers=headers,
            catch_response=True,
            allow_redirects=False,
            **kwargs,
        ) as response:
            problem = None
            if response.status_code != status:
                where = response.headers.get("Location", "") if response.headers else ""
                problem = f"status {response.status_code} {where}".strip()
            elif location is not None and not re.search(
                location, response.headers.get("Location", "")
            ):
                problem = f"redirected to {response.headers.get('Location')!r}"
            else:
                text = response.text or ""
                missing = [marker for marker in markers if marker not in text]
                if missing:
                    problem = f"marker {missing[0]!r} missing"
            if problem:
                response.failure(problem)
            else:
                response.success()
        if problem:
            raise StepFailed(step, problem)
        return response

    def sign_in(self, email, step):
        page = self._call("GET", "/accounts/login/", step=f"{step} form", markers=['name="login"'])
        token = CSRF.search(page.text).group(1)
        body = urlencode(
            {"csrfmiddlewaretoken": token, "login": email, "password": SCENARIO["password"]}
        )
        return self._call(
            "POST", "/accounts/login/", step=step, status=302, data=body, headers=FORM
        )


class Learner(Checked, FastHttpUser):
    def __init__(self, environment):
        self.index = next(_learner_numbers)
        self.host = URLS[self.index % len(URLS)]
        super().__init__(environment)
        self._loopback_cookies()
        number = self.index % CLIENT_ADDRESSES + 1 if CLIENT_ADDRESSES else self.index + 1
        forwarded = f"127.{number >> 16 & 255}.{number >> 8 & 255}.{number & 255}"
        self.extra_headers = {"X-Forwarded-For": forwarded}
        self.failing = self.index % SCENARIO["fail_every"] == SCENARIO["fail_every"] - 1
        self.random = random.Random(self.index)

    @task
    def exam(self):
        try:
            if self.index >= LEARNERS:
                return  # more users than learners: nothing to do
            self._exam()
            outcome["learners_finished"] += 1
            outcome["last_finished_at"] = time.time()
        except StepFailed as failed:
            outcome[f"learners_aborted_at_{failed.step}"] += 1
            outcome["learners_aborted"] += 1
        except Exception:
            # A page that did not look as expected; Locust reports the exception.
            outcome["learners_aborted_at_unexpected"] += 1
            outcome["learners_aborted"] += 1
            raise
        finally:
            if self.index < LEARNERS:
                outcome["learners_done"] += 1
                _quit_when_done(self.environment)
        raise StopUser

    def _exam(self):
        _sleep_until(T0 + self.random.uniform(0, SIGN_IN_WINDOW))
        self.sign_in(SCENARIO["email"].format(index=self.index), "sign-in")
        self._call("GET", "/", step="home", markers=[SIGNED_IN])
        outcome["learners_signed_in"] += 1
        outcome["last_signed_in_at"] = time.time()

        _sleep_until(START_AT + self.random.uniform(0, START_SPREAD))
        quiz = self._call(
            "GET", SCENARIO["quiz_url"], step="quiz page", markers=['id="start-form"']
        )
        token = CSRF.search(quiz.text).group(1)
        started = self._call(
            "POST",
            f"/lernen/test/{SCENARIO['quiz_id']}/starten/",
            step="open quiz",
            status=302,
            location=ATTEMPT_PAGE.pattern,
            data=urlencode({"csrfmiddlewaretoken": token}),
            headers=FORM,
        )
        attempt = ATTEMPT_PAGE.search(started.headers["Location"]).group(1)
        base = f"/lernen/versuch/{attempt}"
        for page in range(1, PAGES + 1):
            answered = f"{(page - 1) * (QUESTIONS // PAGES)} von {QUESTIONS} Fragen beantwortet"
            shown = self._call(
                "GET",
                f"{base}/seite/{page}/",
                step="question page",
                markers=['id="quiz-form"', answered],
            )
            fields, count = answer_form(shown.text, failing=self.failing)
            outcome["answers_sent"] += count
            gevent.sleep(self.random.uniform(0.5, 1.5) * THINK_SECONDS)
            last = page == PAGES
            body = [
                ("csrfmiddlewaretoken", CSRF.search(shown.text).group(1)),
                ("version", VERSION.search(shown.text).group(1)),
                *fields,
                ("action", "summary" if last else "next"),
            ]
            self._call(
                "POST",
                f"{base}/seite/{page}/",
                step="save page",
                status=302,
                location=f"{base}/abgeben/$" if last else f"{base}/seite/{page + 1}/$",
                data=urlencode(body),
                headers=FORM,
            )
            outcome["answers_saved"] += count
        summary = self._call(
            "GET", f"{base}/abgeben/", step="summary", markers=['id="all-answered-note"']
        )
        self._call(
            "POST",
            f"{base}/abgeben/",
            step="submit",
            status=302,
            location=f"{base}/$",
            data=urlencode({"csrfmiddlewaretoken": CSRF.search(summary.text).group(1)}),
            headers=FORM,
        )
        verdict = "is-failed" if self.failing else "is-passed"
        self._call("GET", f"{base}/", step="result", markers=['id="quiz-outcome"', verdict])
        outcome["results_failed" if self.failing else "results_passed"] += 1


class HumanResources(Checked, FastHttpUser):
    """The authority's HR coordinator, watching the exam in the reports."""

    fixed_count = 1
    host = URLS[0]

    def __init__(self, environment):
        super().__init__(environment)
        self._loopback_cookies()
        self.extra_headers = {"X-Forwarded-For": "127.255.255.254"}

    @task
    def watch(self):
        try:
            self._watch()
        except StepFailed:
            outcome["hr_aborted"] += 1
        except Exception:
            outcome["hr_aborted"] += 1
            raise
        finally:
            outcome["hr_done"] += 1
            _quit_when_done(self.environment)
        raise StopUser

    def _watch(self):
        _sleep_until(T0)
        self.sign_in(SCENARIO["hr_email"], "HR sign-in")
        second = self._call(
            "GET",
            "/accounts/2fa/authenticate/",
            step="HR second factor form",
            markers=['name="code"'],
        )
        body = {
            "csrfmiddlewaretoken": CSRF.search(second.text).group(1),
            "code": totp_code(SCENARIO["hr_totp_secret"]),
        }
        self._call(
            "POST",
            "/accounts/2fa/authenticate/",
            step="HR second factor",
            status=302,
            data=urlencode(body),
            headers=FORM,
        )
        while outcome["learners_done"] < LEARNERS:
            self._call(
                "GET",
                "/admin/reports/completion/",
                step="HR report",
                markers=[SCENARIO["authority"]],
            )
            self._call(
                "GET",
                f"/admin/reports/course/?course={SCENARIO['course_id']}",
                step="HR report course",
                markers=["Lasttest, Lernende"],
            )
            outcome["hr_reports"] += 2
            gevent.sleep(HR_INTERVAL)


def _quit_when_done(environment):
    if outcome["learners_done"] >= LEARNERS and outcome["hr_done"]:
        # Not from the user's own greenlet, which quitting kills.
        gevent.spawn_later(1, environment.runner.quit)


@events.quitting.add_listener
def _write_outcome(environment, **_kwargs):
    OUT.write_text(json.dumps(dict(outcome), indent=1, sort_keys=True))
