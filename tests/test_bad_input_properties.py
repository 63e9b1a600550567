"""Arbitrary input to the endpoints learners and the public post to (Hypothesis).

Whatever arrives — any field names and values, any code in a URL, any uploaded bytes — the
answer is never a server error, and nothing changes for anyone else.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from certificates.models import Certificate
from courses.models import QuizAttempt
from courses.quizzes import services as quiz_services
from courses.services import enrolment_create
from tests.certificates.conftest import complete
from tests.courses.conftest import add_course, catalog  # noqa: F401
from tests.courses.quizzes.conftest import add_quiz
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

EXAMPLES = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
# Text as forms and URLs carry it: any characters, control characters and very long ones too.
TEXT = st.text(max_size=300) | st.sampled_from(["", "0", "-1", "9" * 30, "../..", "=1+1"])


@pytest.fixture
def open_attempt(catalog, org):  # noqa: F811
    course = add_course(catalog, lessons=1)
    quiz = add_quiz(course, max_attempts=2)
    owner = UserFactory(authority=org["rpda"])
    enrolment_create(user=owner, course=course)
    return quiz_services.attempt_start(user=owner, quiz=quiz)


def field_names(attempt):
    names = ["version", "score", "passed", "user", "status", "answers"]
    for question in attempt.questions:
        names.append(f"q-{question['id']}")
        for key in ("items", "left"):
            names += [f"q-{question['id']}-{item['key']}" for item in question.get(key, [])]
    return names


@EXAMPLES
@given(data=st.data())
def test_any_answer_form_saves_or_is_refused_never_an_error(client, open_attempt, data):
    attempt = open_attempt
    client.force_login(attempt.user)
    names = field_names(attempt)
    posted = data.draw(
        st.dictionaries(st.sampled_from(names) | TEXT, st.lists(TEXT, max_size=3), max_size=8)
    )
    page = data.draw(st.integers(min_value=0, max_value=5))
    url = f"/lernen/versuch/{attempt.pk}/seite/{page}/"
    response = client.post(url, posted)
    assert response.status_code < 500
    attempt.refresh_from_db()
    assert attempt.status == QuizAttempt.Status.OPEN
    assert attempt.score is None and attempt.passed is None


@EXAMPLES
@given(data=st.data())
def test_another_learner_changes_nothing_of_an_attempt(client, open_attempt, org, data):
    attempt = open_attempt
    other = UserFactory(authority=org["hzd"])
    client.force_login(other)
    posted = data.draw(st.dictionaries(st.sampled_from(field_names(attempt)), TEXT, max_size=6))
    before = (attempt.answers, attempt.version, attempt.status)
    for url in (
        f"/lernen/versuch/{attempt.pk}/seite/1/",
        f"/lernen/versuch/{attempt.pk}/abgeben/",
    ):
        assert client.post(url, posted).status_code == 404
    attempt.refresh_from_db()
    assert (attempt.answers, attempt.version, attempt.status) == before


@EXAMPLES
@given(posted=st.dictionaries(TEXT, TEXT, max_size=5), course_id=st.integers(0, 10**20))
def test_enrolling_with_any_form_or_id_is_never_an_error(
    client,
    catalog,  # noqa: F811
    org,
    posted,
    course_id,
):
    client.force_login(UserFactory(authority=org["rpda"]))
    response = client.post(f"/lernen/kurs/{course_id}/einschreiben/", posted)
    assert response.status_code < 500


@pytest.fixture
def issued(catalog, certificate_template, org, django_capture_on_commit_callbacks):  # noqa: F811
    course = add_course(catalog, lessons=1, certificate_template=certificate_template)
    with django_capture_on_commit_callbacks(execute=True):
        complete(UserFactory(authority=org["rpda"]), course)
    return Certificate.objects.get()


@pytest.fixture
def certificate_template(db):
    from certificates.models import CertificateTemplate

    return CertificateTemplate.objects.create(
        name="Eigenschaften", issuer="Lernzentrum", body_de="{name}: {course}"
    )


@EXAMPLES
@given(code=TEXT)
def test_any_code_in_the_verification_url_is_answered_never_an_error(
    client, settings, issued, code
):
    settings.CERTIFICATE_VERIFY_RATE = "100000/m"
    for name in ("certificates:verify", "certificates:verify_json"):
        try:
            url = reverse(name, args=[code])
        except NoReverseMatch:  # no URL of the pattern carries it: Django's own 404 applies
            continue
        assert client.get(url).status_code in (200, 301, 302, 404)


@EXAMPLES
@given(
    code=TEXT,
    upload=st.binary(max_size=2048) | st.just(b"%PDF-1.7\n") | st.just(b""),
    posted=st.dictionaries(TEXT, TEXT, max_size=3),
)
def test_any_verification_form_is_answered_never_an_error(
    client, settings, issued, code, upload, posted
):
    settings.CERTIFICATE_VERIFY_RATE = "100000/m"
    assert client.get(reverse("certificates:verify_start"), {"code": code}).status_code < 500
    data = {**posted, "file": SimpleUploadedFile("z.pdf", upload, "application/pdf")}
    assert client.post(reverse("certificates:verify_start"), data).status_code < 500
