"""Fixtures for the browser journeys. They run against the stack that tests/stack.py starts
(`make e2e`), which passes its address in LMS_E2E_BASE_URL.

The tests drive Debian's Chromium through Playwright; they read what only the server knows (the
key of a quiz attempt) from the stack's database through the ORM, with pytest-django's settings
(lms.settings.test) and the DATABASE_URL the stack exports. They never create a test database.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from .a11y import axe_check, known_violation_notes, page_basics_problems

# Playwright's sync API runs an event loop in this thread, which Django takes for async code;
# the ORM reads here are plain blocking reads between two browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("LMS_E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).parent / "artifacts"
DEMO_PASSWORD = "demo-lms-2026"  # published in the README; seed_demo refuses production
TIMEOUT_MS = 15_000

_axe_results = []


@pytest.fixture(scope="session")
def base_url():
    url = os.environ.get("LMS_E2E_BASE_URL")
    if not url:
        pytest.exit(
            "LMS_E2E_BASE_URL is not set: the browser journeys run with `make e2e`, which "
            "starts the stack they need.",
            returncode=4,
        )
    return url.rstrip("/")


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.exit(f"{CHROMIUM} is missing: `make e2e-deps` installs Debian's chromium.", 4)
    with sync_playwright() as playwright:
        # Debian's build, never a browser downloaded by Playwright.
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url, request):
    context = browser.new_context(
        base_url=base_url,
        locale="de-DE",
        timezone_id="Europe/Berlin",
        viewport={"width": 1280, "height": 900},
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        _screenshot(page, request.node, "failure")
    context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


@pytest.fixture
def new_page(browser, base_url, request):
    """new_page(): a page in a browser context of its own (another person signing in), set up
    like `page`; screenshotted if the test fails, closed after it, free of JavaScript errors."""
    opened = []
    errors = []

    def open_page():
        context = browser.new_context(
            base_url=base_url,
            locale="de-DE",
            timezone_id="Europe/Berlin",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(TIMEOUT_MS)
        new = context.new_page()
        new.on("pageerror", lambda error: errors.append(str(error)))
        opened.append(new)
        return new

    yield open_page
    report = getattr(request.node, "rep_call", None)
    for number, opened_page in enumerate(opened, start=2):
        if report is not None and report.failed and not opened_page.is_closed():
            _screenshot(opened_page, request.node, f"failure-{number}")
        opened_page.context.close()
    assert not errors, f"JavaScript errors on the pages: {errors}"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def _artifact_dir(node) -> Path:
    return ARTIFACTS / re.sub(r"[^\w.-]+", "_", node.name)


def _screenshot(page, node, name):
    path = _artifact_dir(node) / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=path, full_page=True)
    return path


@pytest.fixture
def shot(request):
    """shot(page, name): a full-page screenshot in tests/e2e/artifacts/<test name>/, numbered."""
    shutil.rmtree(_artifact_dir(request.node), ignore_errors=True)
    taken = []

    def take(page, name):
        taken.append(name)
        return _screenshot(page, request.node, f"{len(taken):02d}-{name}")

    return take


@pytest.fixture
def login(base_url):
    """login(page, email): signs in through the allauth form with the demo password."""

    def sign_in(page, email, password=DEMO_PASSWORD):
        page.goto("/accounts/login/")
        page.get_by_label(re.compile("E-Mail", re.I)).fill(email)
        page.get_by_label(re.compile("Passwort", re.I)).fill(password)
        page.locator("form").get_by_role("button", name="Anmelden").click()
        page.wait_for_url(f"{base_url}/")

    return sign_in


@pytest.fixture
def check_a11y(request):
    """check_a11y(page, name, lang="de", enforce=True): axe's WCAG 2.1 A/AA rules and the page
    basics.

    Prints a line per page; fails on violations of impact serious or critical (listing them)
    and on a wrong <html lang>, a missing skip link or an empty <title>. With enforce=False
    (staff pages in the Wagtail admin) it prints the same findings and fails on none.
    """

    def check(page, name, *, lang="de", enforce=True):
        page.wait_for_load_state("load")
        result = axe_check(page, name)
        result.enforced = enforce
        _axe_results.append(result)
        print(result.line())
        if result.violations:
            print(result.details())
        for note in known_violation_notes(result):
            print(note)
        if not enforce:
            # Staff pages (the Wagtail admin): reported, never failing the journey.
            for problem in page_basics_problems(page, lang=lang):
                print(f"{name} ({page.url}), not enforced: {problem}")
            return result
        blocking = result.blocking
        assert not blocking, (
            f"axe found serious or critical violations on {name} ({result.url}):\n"
            + result.details(blocking)
        )
        problems = page_basics_problems(page, lang=lang)
        assert not problems, f"{name} ({page.url}): " + "; ".join(problems)
        return result

    return check


@pytest.fixture
def django_read(django_db_blocker):
    """django_read(function, *args): runs the function with database access (the stack's)."""
    from django.db import connections

    def read(function, *args, **kwargs):
        with django_db_blocker.unblock():
            try:
                return function(*args, **kwargs)
            finally:
                connections.close_all()

    return read


def pytest_terminal_summary(terminalreporter):
    if _axe_results:
        terminalreporter.section("axe (WCAG 2.1 A and AA) per page")
        for result in _axe_results:
            terminalreporter.write_line(result.line())
        notes = sorted({note for result in _axe_results for note in known_violation_notes(result)})
        for note in notes:
            terminalreporter.write_line(note, yellow=True)
