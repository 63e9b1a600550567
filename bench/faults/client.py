"""Learners over HTTP: sign in through the real form, take the quiz page by page, submit.

urllib only. Cookies are kept by hand because production sets them `Secure`, which a cookie jar
would not send back over the loopback's plain HTTP (a browser treats 127.0.0.1 as secure).
Redirects are followed by hand so that every response's status is recorded.
"""

import re
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie

TIMEOUT = 30
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION = re.compile(r'name="version" value="(\d+)"')
QUESTION = re.compile(r'name="(q-[0-9a-f-]+)" value="true"')
ATTEMPT_PAGE = re.compile(r"/lernen/versuch/(\d+)/seite/(\d+)/$")
ATTEMPT_SUMMARY = re.compile(r"/lernen/versuch/(\d+)/abgeben/$")
ATTEMPT_RESULT = re.compile(r"/lernen/versuch/(\d+)/$")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)


@dataclass
class Response:
    method: str
    url: str
    status: int  # 0: no HTTP answer (connection refused, reset, timeout)
    location: str = ""
    body: str = ""
    error: str = ""
    started: float = 0.0
    seconds: float = 0.0


@dataclass
class Log:
    """Every response of every learner, shared by the threads of a scenario."""

    responses: list = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, response):
        with self.lock:
            self.responses.append(response)

    def failed(self):
        """Responses with a server error, or none at all."""
        return [r for r in self.responses if r.status == 0 or r.status >= 500]


class StepFailed(RuntimeError):
    """A step ended on an error page or none at all; the learner may try it again."""


class Browser:
    def __init__(self, base, *, log, client_ip):
        self.base = base.rstrip("/")
        self.log = log
        self.cookies = {}
        # Behind the proxy the stack's settings trust one X-Forwarded-For hop: each learner is
        # an address of their own, as in an office, not 200 sign-ins from one address.
        self.client_ip = client_ip

    def request(self, method, path, data=None):
        url = path if path.startswith("http") else self.base + path
        body = urllib.parse.urlencode(data, doseq=True).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, method=method)  # noqa: S310 - loopback URLs only
        request.add_header("X-Forwarded-For", self.client_ip)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if method == "POST":
            request.add_header("Referer", url)
        started = time.time()
        try:
            with _OPENER.open(request, timeout=TIMEOUT) as answer:
                response = Response(method, url, answer.status, body=answer.read().decode())
                headers = answer.headers
        except urllib.error.HTTPError as answer:
            response = Response(
                method,
                url,
                answer.code,
                location=answer.headers.get("Location", ""),
                body=answer.read().decode(errors="replace"),
            )
            headers = answer.headers
        except (OSError, urllib.error.URLError) as error:
            response = Response(method, url, 0, error=f"{type(error).__name__}: {error}")
            headers = None
        response.started, response.seconds = started, time.time() - started
        if headers is not None:
            for value in headers.get_all("Set-Cookie") or []:
                self._remember(value)
        self.log.add(response)
        return response

    def _remember(self, header):
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or (not morsel.value and morsel["expires"]):
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get(self, path):
        return self.request("GET", path)

    def post(self, path, data):
        return self.request("POST", path, data)

    def follow(self, response, limit=5):
        """The page a redirect leads to (GET), or the response itself."""
        while response.status in (301, 302, 303) and limit:
            response = self.get(urllib.parse.urljoin(response.url, response.location))
            limit -= 1
        return response


def _ok(response, what):
    if response.status == 0 or response.status >= 500:
        raise StepFailed(f"{what}: {response.status or response.error} {response.url}")
    return response


def _expect_redirect(response, what, pattern=None):
    _ok(response, what)
    path = urllib.parse.urlsplit(response.location).path
    if response.status != 302 or (pattern is not None and not pattern.search(path)):
        raise StepFailed(f"{what}: {response.status} → {response.location!r} ({response.url})")
    return path


def _token(response, what):
    match = TOKEN.search(response.body)
    if not match:
        raise StepFailed(f"{what}: no form on {response.url} ({response.status})")
    return match.group(1)


class Learner:
    """One learner's way through the quiz; every step may be repeated after a failure, as a
    person would press reload, and picks up from what the server says the state is."""

    def __init__(self, browser, *, email, password, quiz_url, quiz_id, answer="true"):
        self.browser = browser
        self.email, self.password = email, password
        self.quiz_url, self.quiz_id = quiz_url, quiz_id
        self.answer = answer  # every statement is true: "false" fails the quiz
        self.attempt_id = None

    def sign_in(self):
        page = _ok(self.browser.get("/accounts/login/"), "sign-in form")
        answer = self.browser.post(
            "/accounts/login/",
            {
                "csrfmiddlewaretoken": _token(page, "sign-in form"),
                "login": self.email,
                "password": self.password,
            },
        )
        _expect_redirect(answer, "sign in")
        if "sessionid" not in self.browser.cookies:
            raise StepFailed(f"sign in: no session for {self.email}")

    def start(self):
        page = _ok(self.browser.get(self.quiz_url), "quiz page")
        if page.status != 200:
            raise StepFailed(f"quiz page: {page.status} → {page.location}")
        answer = self.browser.post(
            f"/lernen/test/{self.quiz_id}/starten/",
            {"csrfmiddlewaretoken": _token(page, "quiz page")},
        )
        path = _expect_redirect(answer, "start")
        match = ATTEMPT_PAGE.search(path) or ATTEMPT_SUMMARY.search(path)
        if not match:
            raise StepFailed(f"start: went to {path}")
        self.attempt_id = int(match.group(1))

    def save_page(self, number):
        """Answers every question of the page and saves it; returns where the server sends the
        learner next (the next page, the summary or, if submitted meanwhile, the result)."""
        path = f"/lernen/versuch/{self.attempt_id}/seite/{number}/"
        page = _ok(self.browser.get(path), f"page {number}")
        if page.status == 302:
            return urllib.parse.urlsplit(page.location).path
        questions = QUESTION.findall(page.body)
        version = VERSION.search(page.body)
        if page.status != 200 or not questions or not version:
            raise StepFailed(f"page {number}: {page.status}, no questions on {path}")
        data = {
            "csrfmiddlewaretoken": _token(page, f"page {number}"),
            "version": version.group(1),
            "action": "next",
        }
        data.update({name: self.answer for name in questions})
        answer = self.browser.post(path, data)
        return _expect_redirect(answer, f"save page {number}")

    def submit(self):
        path = f"/lernen/versuch/{self.attempt_id}/abgeben/"
        page = _ok(self.browser.get(path), "summary")
        if page.status == 302 and ATTEMPT_RESULT.search(urllib.parse.urlsplit(page.location).path):
            return  # submitted by an earlier try whose answer was lost
        if page.status != 200:
            raise StepFailed(f"summary: {page.status} → {page.location}")
        answer = self.browser.post(path, {"csrfmiddlewaretoken": _token(page, "summary")})
        _expect_redirect(answer, "submit", ATTEMPT_RESULT)
        result = _ok(self.browser.follow(answer), "result")
        if result.status != 200:
            raise StepFailed(f"result: {result.status}")

    def take_quiz(self, *, pages, retry, pause=0.0):
        """Start (or continue), save every page, submit: each step through `retry`."""
        retry(self.start)
        number = 1
        while number <= pages:
            time.sleep(pause)
            where = retry(lambda number=number: self.save_page(number))
            page = ATTEMPT_PAGE.search(where)
            if ATTEMPT_RESULT.search(where):
                return
            number = int(page.group(2)) if page else pages + 1
        time.sleep(pause)
        retry(self.submit)


def retrying(*, attempts, wait, failures):
    """Runs a step up to `attempts` times, `wait` seconds apart; failures are counted."""

    def retry(step):
        for attempt in range(attempts):
            try:
                return step()
            except StepFailed as error:
                failures.append((time.time(), str(error)))
                if attempt + 1 == attempts:
                    raise
                time.sleep(wait)
        return None

    return retry
