"""Arbitrary query strings on the HR reports, their exports, the learning record and the
access log, in every role.

Whatever the URL carries (the real filter names and made-up ones, huge and negative numbers,
dates outside any calendar, any text, a key given several times), the answer is never a
server error, it shows nothing outside the viewer's part of the organisation, it changes no
data, and the access log records only what the viewer was allowed to see.
"""

import re
from urllib.parse import unquote_plus, urlencode

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import event, given
from hypothesis import strategies as st

from certificates.models import Certificate
from courses.models import Enrolment, ProgressEvent, QuizAttempt
from lms.audit.models import AuditEntry
from lms.forms import AuthorityChoiceField
from lms.people.models import Authority, User
from lms.people.selectors import people_visible_to
from tests.audit.conftest import record
from tests.properties.support import (
    DATEISH,
    NUMBERISH,
    TEXT,
    assert_answered,
    browser,
    examples,
    fresh_state,
    rows,
)
from tests.reports.conftest import INTERIOR_STRINGS
from tests.responses import body_text

pytestmark = pytest.mark.django_db

FINANCE_STRINGS = [
    "Finanzfrau",
    "Finanzmann",
    "PN-FIN-",
    "Ministerium der Finanzen",
    "HMdF",
    "Zentrale für Datenverarbeitung",
    "HZD",
]
# What each viewer must never be shown; learners and trainers see no one's records at all
# (the learner is Anna Amsel herself).
HIDDEN = {
    "learner": INTERIOR_STRINGS[1:5] + FINANCE_STRINGS[:3],
    "trainer": INTERIOR_STRINGS[:5] + FINANCE_STRINGS[:3],
    "hr_in_scope": FINANCE_STRINGS,
    "hr_of_another_authority": INTERIOR_STRINGS,
    "centre_admin": [],
}
ROLES = list(HIDDEN)
REFUSED = {"learner", "trainer"}

REPORTS = [
    "reports_completion",
    "reports_completion_results",
    "reports_course",
    "reports_course_results",
    "reports_compliance",
    "reports_compliance_results",
]
ACCESS_LOG = ["audit_access_log", "audit_access_log_results"]
FILTER_NAMES = [
    "course",
    "authority",
    "due_from",
    "due_to",
    "as_of",
    "self_chosen_too",
    "status",
    "mandatory",
    "days",
    "export",
    "p",
    "ordering",
    "actor",
    "report",
    "action",
    "occurred_at_from",
    "occurred_at_to",
    "print",
]
WORDS = st.sampled_from(
    [
        "csv",
        "xlsx",
        "pdf",
        "on",
        "off",
        "true",
        "1",
        "overdue",
        "expiring",
        "completed",
        "in_progress",
        "viewed",
        "exported",
        "person",
        "completion",
        "due_on",
        "-due_on",
        "user__last_name",
        "-course__title",
        "user__password",
        "__class__",
    ]
)


DATE_NAMES = {"due_from", "due_to", "as_of", "occurred_at_from", "occurred_at_to"}


def values_for(name, ids):
    """Values for a filter: mostly of the kind it expects, gone wrong; else anything."""
    if name in ("course", "authority"):
        fitting = st.sampled_from(ids) | NUMBERISH
    elif name in DATE_NAMES:
        fitting = DATEISH
    elif name in ("days", "p"):
        fitting = NUMBERISH
    else:
        fitting = WORDS
    return st.one_of(fitting, fitting, fitting, WORDS, TEXT)


def query_strings(ids):
    """Pairs of key and value, a key possibly repeated, as a browser or a script sends them."""
    known = st.sampled_from(FILTER_NAMES).flatmap(
        lambda name: st.tuples(st.just(name), values_for(name, ids))
    )
    unknown = st.tuples(st.text(max_size=20), values_for("", ids))
    pairs = st.lists(st.one_of(known, known, unknown), max_size=8)
    # Percent-escapes that decode to no text, or to a NUL; separators with nothing between.
    raw = st.sampled_from(["", "", "&%ff=%fe", "&course=%00", "&;;&&=&", "&export"])
    return st.tuples(pairs, raw).map(lambda parts: urlencode(parts[0]) + parts[1])


@pytest.fixture
def ids(records):
    """Every id a filter could name: courses, all authorities (in and out of scope), people."""
    values = [records["course"].pk, *Authority.objects.values_list("pk", flat=True)]
    values += User.objects.values_list("pk", flat=True)
    return [str(value) for value in values]


def shows(text, secret) -> bool:
    """Whether the text shows the secret as a word of its own, not inside a random token."""
    pattern = r"(?<![A-Za-z0-9])" + re.escape(secret)
    if secret[-1].isalnum():
        pattern += r"(?![A-Za-z0-9])"
    return re.search(pattern, text) is not None


def data_rows():
    return (
        rows(Enrolment.objects.all(), "user_id", "course_id", "due_on", "completed_at", "source"),
        rows(Certificate.objects.all(), "user_id", "revoked_at", "valid_until"),
        rows(QuizAttempt.objects.all(), "user_id", "status", "version"),
        rows(User.objects.all(), "email", "authority_id", "last_name", "is_superuser"),
        ProgressEvent.objects.count(),
    )


def get_and_check(roles, role, url):
    """Request the URL as the role and check what every report answer must hold."""
    viewer = roles[role]
    before = data_rows()
    last_entry = AuditEntry.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    response = browser(viewer).get(url)

    assert_answered(response)
    event(f"{role}: {response.status_code}")
    if role in REFUSED:
        # Turned away, or told that no such page exists (an id no URL takes).
        assert response.status_code in (302, 403, 404), response.status_code
    text = body_text(response)
    asked = unquote_plus(url).casefold()
    for secret in HIDDEN[role]:
        if secret.casefold() not in asked:  # what the URL itself carries may be shown back
            assert not shows(text, secret), (url, secret)
    assert data_rows() == before
    recorded = list(AuditEntry.objects.filter(pk__gt=last_entry))
    if response.status_code != 200:
        assert recorded == [], "a refused request was written to the access log"
    assert len(recorded) <= 1
    for entry in recorded:
        assert entry.actor_id == viewer.pk
        if entry.subject_id is not None:
            # A person learns from the log who looked at them: only what the viewer could see.
            assert people_visible_to(user=viewer).filter(pk=entry.subject_id).exists()
    return response


@examples(150)
@given(data=st.data())
def test_any_report_query_is_answered_within_scope_and_changes_nothing(roles, ids, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    name = data.draw(st.sampled_from(REPORTS), label="report")
    query = data.draw(query_strings(ids), label="query")
    export = data.draw(st.sampled_from(["", "", "&export=csv", "&export=xlsx"]), label="export")
    with fresh_state():
        get_and_check(roles, role, f"{reverse(name)}?{query}{export}")


@examples(50)
@given(data=st.data())
def test_any_learning_record_request_shows_only_people_in_scope(roles, ids, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    person = data.draw(st.sampled_from(ids) | NUMBERISH, label="person")
    query = data.draw(query_strings(ids) | st.just("print=1"), label="query")
    url = f"{reverse('wagtailadmin_home')}reports/person/{person}/?{query}"
    with fresh_state():
        response = get_and_check(roles, role, url)
        if response.status_code == 200:
            visible = people_visible_to(user=roles[role])
            assert visible.filter(pk=int(person)).exists()


@pytest.fixture
def logged(roles, records):
    """Entries for the access log to list and export: both coordinators at work."""
    record(actor=roles["hr_in_scope"], subject=records["people"]["anna"], row_count=1)
    record(actor=roles["hr_of_another_authority"], subject=records["people"]["dora"], row_count=1)
    record(
        actor=roles["hr_in_scope"],
        action=AuditEntry.Action.EXPORTED,
        report="course",
        report_title="Teilnahmen",
        filters={"course": "Informationssicherheit", "authority": "=HMdI"},
        row_count=4,
        export_format="xlsx",
    )


@examples(40)
@given(data=st.data())
def test_any_access_log_query_is_answered_and_only_centre_admins_read_it(roles, ids, logged, data):
    role = data.draw(st.sampled_from(ROLES), label="role")
    name = data.draw(st.sampled_from(ACCESS_LOG), label="view")
    query = data.draw(query_strings(ids), label="query")
    export = data.draw(st.sampled_from(["", "&export=csv", "&export=xlsx"]), label="export")
    with fresh_state():
        response = get_and_check(roles, role, f"{reverse(name)}?{query}{export}")
        if role != "centre_admin":
            assert response.status_code in (302, 403, 404)


@examples(300)
@given(value=NUMBERISH | TEXT | st.integers().map(str) | st.sampled_from(["", " ", None]))
def test_any_text_as_an_id_in_a_filter_is_a_choice_or_invalid(records, value):
    """The id fields behind the report filters (and the people forms): whatever is typed is a
    valid choice or an invalid one, never an exception of another kind."""
    field = AuthorityChoiceField(queryset=Authority.objects.all(), required=False)
    try:
        chosen = field.clean(value)
    except ValidationError:
        return
    assert chosen is None or chosen.pk == int(str(value).strip())
