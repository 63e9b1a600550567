"""Changing an assignment after it was made: a new due date, an extension for one person,
withdrawing it; every change recorded, and only within the coordinator's scope."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone, translation

from courses import messages as msg
from courses.assignments.services import (
    assignment_create,
    assignment_due_change,
    assignment_withdraw,
    enrolment_due_extend,
)
from courses.models import Assignment, AssignmentChange, Enrolment, ProgressEvent
from courses.services import enrolment_create, lesson_open
from tests.courses.conftest import lessons_of
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def people(org):
    return {
        "anna": UserFactory(first_name="Anna", last_name="Amsel", authority=org["rpda"]),
        "bernd": UserFactory(first_name="Bernd", last_name="Buche", authority=org["rpda_unit"]),
        "carla": UserFactory(first_name="Carla", last_name="Chorweg", authority=org["rpda"]),
        "hzd": UserFactory(first_name="Hanna", last_name="Zins", authority=org["hzd"]),
    }


@pytest.fixture
def assignment(hr_innen, course, org, people):
    return assignment_create(by=hr_innen, course=course, due_on=in_days(30), authority=org["rpda"])


def enrolment_of(person, course):
    return Enrolment.objects.get(user=person, course=course)


def complete(enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(
        completed_at=timezone.now(), progress_percent=100
    )


def german(text):
    with translation.override("de"):
        return str(text)


# A new due date


def test_hr_moves_the_due_date_of_open_courses_and_completed_ones_keep_theirs(
    client, hr_innen, assignment, course, people
):
    complete(enrolment_of(people["carla"], course))
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignments:edit", args=[assignment.pk]),
        {"due_on": in_days(60).isoformat(), "reason": "Schulungsraum belegt"},
    )
    assert response.status_code == 302
    assert enrolment_of(people["anna"], course).due_on == in_days(60)
    assert enrolment_of(people["bernd"], course).due_on == in_days(60)
    assert enrolment_of(people["carla"], course).due_on == in_days(30)
    assignment.refresh_from_db()
    assert assignment.due_on == in_days(60)


def test_a_due_date_change_is_recorded_and_shown_on_the_assignment_page(
    client, hr_innen, assignment, course, people
):
    assignment_due_change(
        by=hr_innen, assignment=assignment, due_on=in_days(45), reason="Schulungsraum belegt"
    )
    change = AssignmentChange.objects.get()
    assert (change.kind, change.changed_by, change.old_due_on, change.new_due_on) == (
        AssignmentChange.Kind.DUE_CHANGED,
        hr_innen,
        in_days(30),
        in_days(45),
    )
    assert change.people == 3
    events = ProgressEvent.objects.filter(kind=ProgressEvent.Kind.DUE_CHANGED)
    assert {e.user_id for e in events} == {p.pk for n, p in people.items() if n != "hzd"}
    assert events.first().data["due_on"] == in_days(45).isoformat()

    client.force_login(hr_innen)
    page = client.get(reverse("courses_assignments:inspect", args=[assignment.pk]))
    text = page.content.decode()
    assert "Schulungsraum belegt" in text
    assert in_days(45).strftime("%d.%m.%Y") in text


def test_a_due_date_in_the_past_is_refused_in_german(client, hr_innen, assignment):
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignments:edit", args=[assignment.pk]),
        {"due_on": in_days(-1).isoformat(), "reason": ""},
    )
    assert response.status_code == 200
    assert german(msg.ERROR_DUE_IN_PAST) in response.content.decode()
    assert not AssignmentChange.objects.exists()


def test_changes_are_append_only(hr_innen, assignment):
    change = assignment_due_change(by=hr_innen, assignment=assignment, due_on=in_days(40))
    with pytest.raises(ValueError):
        change.save()
    with pytest.raises(ValueError):
        change.delete()


# An extension for one person


def test_hr_extends_the_due_date_for_one_person_with_a_reason(
    client, hr_innen, assignment, course, people
):
    anna = enrolment_of(people["anna"], course)
    client.force_login(hr_innen)
    url = reverse("courses_assignments:extend", args=[assignment.pk, anna.pk])
    refused = client.post(url, {"due_on": in_days(50).isoformat(), "reason": ""})
    assert refused.status_code == 200
    assert enrolment_of(people["anna"], course).due_on == in_days(30)

    client.post(url, {"due_on": in_days(50).isoformat(), "reason": "Elternzeit"})
    assert enrolment_of(people["anna"], course).due_on == in_days(50)
    assert enrolment_of(people["bernd"], course).due_on == in_days(30)
    change = AssignmentChange.objects.get()
    assert (change.kind, change.enrolment, change.reason) == (
        AssignmentChange.Kind.EXTENDED,
        anna,
        "Elternzeit",
    )
    page = client.get(reverse("courses_assignments:inspect", args=[assignment.pk]))
    assert "Elternzeit" in page.content.decode()
    assert "Anna Amsel" in page.content.decode()


def test_an_extension_must_be_later_than_the_current_date(hr_innen, assignment, course, people):
    anna = enrolment_of(people["anna"], course)
    with pytest.raises(Exception) as refused:
        enrolment_due_extend(
            by=hr_innen, assignment=assignment, enrolment=anna, due_on=in_days(10), reason="x"
        )
    assert refused.value.messages == [msg.ERROR_EXTENSION_NOT_LATER]


def test_an_extension_outlasts_an_earlier_new_due_date(hr_innen, assignment, course, people):
    anna = enrolment_of(people["anna"], course)
    enrolment_due_extend(
        by=hr_innen, assignment=assignment, enrolment=anna, due_on=in_days(90), reason="Kur"
    )
    assignment_due_change(by=hr_innen, assignment=assignment, due_on=in_days(40))
    assert enrolment_of(people["anna"], course).due_on == in_days(90)
    assert enrolment_of(people["bernd"], course).due_on == in_days(40)


# Withdrawing


def test_withdrawing_removes_unstarted_courses_and_keeps_started_ones_as_own(
    client, hr_innen, assignment, course, people
):
    lesson_open(user=people["bernd"], lesson=lessons_of(course)[0])
    complete(enrolment_of(people["carla"], course))
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignments:delete", args=[assignment.pk]), {"reason": "Kurs veraltet"}
    )
    assert response.status_code == 302

    assert not Enrolment.objects.filter(user=people["anna"], course=course).exists()
    bernd = enrolment_of(people["bernd"], course)
    assert (bernd.source, bernd.due_on, bernd.assignment) == (Enrolment.Source.SELF, None, None)
    carla = enrolment_of(people["carla"], course)
    assert carla.is_complete and carla.assignment == assignment
    assignment.refresh_from_db()
    assert assignment.is_withdrawn
    change = AssignmentChange.objects.get()
    assert (change.kind, change.people, change.reason, change.changed_by) == (
        AssignmentChange.Kind.WITHDRAWN,
        2,
        "Kurs veraltet",
        hr_innen,
    )
    kinds = set(ProgressEvent.objects.values_list("user_id", "kind"))
    assert (people["anna"].pk, ProgressEvent.Kind.DROPPED) in kinds
    assert (people["bernd"].pk, ProgressEvent.Kind.UNASSIGNED) in kinds


def test_a_withdrawn_assignment_can_no_longer_be_changed(client, hr_innen, assignment, course):
    assignment_withdraw(by=hr_innen, assignment=assignment)
    with pytest.raises(Exception) as refused:
        assignment_due_change(by=hr_innen, assignment=assignment, due_on=in_days(40))
    assert refused.value.messages == [msg.ERROR_ASSIGNMENT_WITHDRAWN]
    client.force_login(hr_innen)
    page = client.get(reverse("courses_assignments:inspect", args=[assignment.pk]))
    assert page.status_code == 200
    assert reverse("courses_assignments:edit", args=[assignment.pk]) not in page.content.decode()


# Scope


def test_hr_of_finance_sees_none_of_an_interior_assignment(
    client, hr_finanzen, assignment, course, people
):
    anna = enrolment_of(people["anna"], course)
    client.force_login(hr_finanzen)
    later = {"due_on": in_days(60).isoformat(), "reason": "Versuch"}
    assert (
        client.get(reverse("courses_assignments:inspect", args=[assignment.pk])).status_code == 404
    )
    for name, args in [
        ("courses_assignments:edit", [assignment.pk]),
        ("courses_assignments:delete", [assignment.pk]),
        ("courses_assignments:extend", [assignment.pk, anna.pk]),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404
        assert client.post(reverse(name, args=args), later).status_code == 404
    listing = client.get(reverse("courses_assignments:index"))
    assert listing.status_code == 200
    assert course.title not in listing.content.decode()
    assert not AssignmentChange.objects.exists()
    assignment.refresh_from_db()
    assert assignment.due_on == in_days(30) and not assignment.is_withdrawn
    with pytest.raises(PermissionDenied):
        assignment_withdraw(by=hr_finanzen, assignment=assignment)


def test_the_list_shows_interior_assignments_to_interior_hr(client, hr_innen, assignment, course):
    client.force_login(hr_innen)
    listing = client.get(reverse("courses_assignments:index"))
    assert course.title in listing.content.decode()
    assert reverse("courses_assignments:inspect", args=[assignment.pk]) in listing.content.decode()


def test_learners_cannot_open_the_assignments(client, org, assignment):
    client.force_login(UserFactory(authority=org["rpda"]))
    for url in (
        reverse("courses_assignments:index"),
        reverse("courses_assignments:inspect", args=[assignment.pk]),
        reverse("courses_assignments:people") + "?q=Anna",
    ):
        assert client.get(url).status_code in (302, 403)


# The people picker


def test_the_picker_finds_people_by_name_within_the_scope_only(client, hr_innen, org, people):
    client.force_login(hr_innen)
    url = reverse("courses_assignments:people")
    found = client.get(url, {"q": "amsel"}).content.decode()
    assert "Anna Amsel" in found
    assert f'value="{people["anna"].pk}"' in found
    outside = client.get(url, {"q": "Zins"}).content.decode()
    assert "Hanna" not in outside
    assert f'value="{people["hzd"].pk}"' not in outside


def test_the_picker_finds_by_personnel_number_and_e_mail(client, hr_innen, org):
    person = UserFactory(
        authority=org["rpda"], personnel_number="PN-778", email="dora.dorn@verwaltung.example"
    )
    client.force_login(hr_innen)
    url = reverse("courses_assignments:people")
    assert f'value="{person.pk}"' in client.get(url, {"q": "PN-778"}).content.decode()
    assert f'value="{person.pk}"' in client.get(url, {"q": "dora.dorn"}).content.decode()


def test_the_picker_pages_its_results(client, hr_innen, org):
    for number in range(25):
        UserFactory(authority=org["rpda"], last_name=f"Muster{number:02d}")
    client.force_login(hr_innen)
    first = client.get(reverse("courses_assignments:people"), {"q": "Muster"})
    assert first.context["results"].paginator.count == 25
    assert len(first.context["results"].object_list) == 20
    assert 'data-people-picker-page="2"' in first.content.decode()


def test_without_javascript_the_search_returns_the_form_with_results(
    client, hr_innen, course, people
):
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignments:add"),
        {
            "course": course.pk,
            "due_on": in_days(30).isoformat(),
            "people_q": "Buche",
            "search": "1",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{people["bernd"].pk}"' in page
    assert "Anna Amsel" not in page
    assert not Assignment.objects.exists()


def test_the_assign_page_does_not_list_everyone_in_scope(client, hr_innen, people):
    client.force_login(hr_innen)
    page = client.get(reverse("courses_assignments:add")).content.decode()
    assert "Anna Amsel" not in page


def test_posting_someone_outside_the_scope_is_refused_with_a_clear_message(
    client, hr_innen, course, people
):
    client.force_login(hr_innen)
    response = client.post(
        reverse("courses_assignments:add"),
        {
            "course": course.pk,
            "due_on": in_days(30).isoformat(),
            "people": [people["anna"].pk, people["hzd"].pk],
            "confirm": "1",
        },
    )
    assert response.status_code == 200
    assert german(msg.ERROR_PERSON_OUT_OF_SCOPE) in response.content.decode()
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_people_chosen_in_the_picker_are_assigned(client, hr_innen, course, people):
    client.force_login(hr_innen)
    data = {
        "course": course.pk,
        "due_on": in_days(30).isoformat(),
        "people": [people["anna"].pk, people["bernd"].pk],
    }
    preview = client.post(reverse("courses_assignments:add"), {**data, "preview": "1"})
    assert preview.context["preview"]["count"] == 2
    client.post(reverse("courses_assignments:add"), {**data, "confirm": "1"})
    assert set(Enrolment.objects.values_list("user_id", flat=True)) == {
        people["anna"].pk,
        people["bernd"].pk,
    }


# The dashboard panel


@pytest.fixture
def overdue(hr_innen, centre_admin, course, org, people):
    """Anna and Bernd (interior) and Hanna (finance) overdue; Carla's course is not due yet."""
    assignment_create(
        by=centre_admin,
        course=course,
        due_on=in_days(10),
        people=[people["anna"], people["bernd"], people["hzd"]],
    )
    enrolment_create(user=people["carla"], course=course)
    Enrolment.objects.exclude(user=people["carla"]).update(due_on=in_days(-3))


@pytest.mark.parametrize(
    ("who", "count"), [("hr_innen", 2), ("hr_finanzen", 1), ("centre_admin", 3)]
)
def test_the_dashboard_panel_counts_the_overdue_people_in_the_scope(
    client, request, overdue, who, count
):
    client.force_login(request.getfixturevalue(who))
    page = client.get(reverse("wagtailadmin_home")).content.decode()
    assert 'id="overdue-training' in page
    people = "Person" if count == 1 else "Personen"
    assert f"{count} {people}" in page
    assert reverse("courses_assignments:overdue") in page


def test_the_overdue_list_shows_only_the_scope(client, hr_finanzen, overdue):
    client.force_login(hr_finanzen)
    response = client.get(reverse("courses_assignments:overdue"))
    names = [row.user.get_full_name() for row in response.context["items"].object_list]
    assert names == ["Hanna Zins"]
