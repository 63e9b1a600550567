"""Mandatory training: HR coordinators and centre admins assign courses in the Wagtail admin."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.admin.menu import admin_menu

from courses import messages as msg
from courses.assignments.services import assignment_rule_create, assignment_rule_update
from courses.models import Assignment, AssignmentRule, Enrolment
from courses.models.assignments import recurrence_text
from lms.people.imports import users_import
from lms.people.models import User
from lms.people.services import user_move
from tests.courses.conftest import add_course
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NEW_PERSON_CSV = (
    "E-Mail;Vorname;Nachname;Behörde\r\nneu@verwaltung.example;Neu;Person;RPDA-I\r\n"
).encode()


def in_days(days):
    return timezone.localdate() + timedelta(days=days)


@pytest.fixture
def people(org):
    return {
        "rpda": UserFactory(authority=org["rpda"]),
        "rpda_unit": UserFactory(authority=org["rpda_unit"]),
        "rpda_inactive": UserFactory(authority=org["rpda"], is_active=False),
        "rpks": UserFactory(authority=org["rpks"]),
        "hzd": UserFactory(authority=org["hzd"]),
    }


@pytest.fixture
def hr_client(client, hr_innen):
    client.force_login(hr_innen)
    return client


def assign(client, course, *, step="confirm", due_on=None, authority=None, people=()):
    data = {
        "course": course.pk,
        "due_on": (due_on or in_days(30)).isoformat(),
        "authority": authority.pk if authority else "",
        "people": [p.pk for p in people],
        step: "1",
    }
    return client.post(reverse("courses_assignments:add"), data)


def add_rule(client, course, authority, *, days=30, step="confirm"):
    data = {
        "course": course.pk,
        "authority": authority.pk,
        "due_after_days": days,
        step: "1",
    }
    return client.post(reverse("courses_assignment_rules:add"), data)


def enrolled(course):
    return set(Enrolment.objects.filter(course=course).values_list("user_id", flat=True))


def text_of(response):
    return [str(m.message).strip() for m in get_messages(response.wsgi_request)]


# Assigning a course


def test_preview_counts_the_active_people_in_the_subtree_and_writes_nothing(
    hr_client, course, org, people
):
    response = assign(hr_client, course, step="preview", authority=org["rpda"])
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["count"] == 2
    assert preview["message"] in response.content.decode()
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_preview_counts_selected_people_once(hr_client, course, org, people):
    response = assign(
        hr_client,
        course,
        step="preview",
        authority=org["rpda"],
        people=[people["rpda"], people["rpks"]],
    )
    assert response.context["preview"]["count"] == 3
    assert not Enrolment.objects.exists()


def test_hr_assigns_a_course_to_a_subtree(hr_client, hr_innen, course, org, people):
    due = in_days(45)
    response = assign(hr_client, course, due_on=due, authority=org["rpda"])
    assert response.status_code == 302
    assert response.url == reverse("courses_assignments:add")

    assignment = Assignment.objects.get()
    assert assignment.authority == org["rpda"]
    assert assignment.created_by == hr_innen
    assert enrolled(course) == {people["rpda"].pk, people["rpda_unit"].pk}
    for enrolment in Enrolment.objects.filter(course=course):
        assert enrolment.due_on == due
        assert enrolment.source == Enrolment.Source.ASSIGNED
        assert enrolment.assignment == assignment


def test_the_list_shows_the_assignment_with_its_people(hr_client, course, org, people):
    assign(hr_client, course, authority=org["rpda"])
    response = hr_client.get(reverse("courses_assignments:add"))
    assert response.status_code == 200
    [row] = response.context["items"].object_list
    assert row.people_count == 2
    assert course.title in response.content.decode()


def test_hr_assigns_a_course_to_selected_people(hr_client, course, people):
    response = assign(hr_client, course, people=[people["rpks"]])
    assert response.status_code == 302
    assert enrolled(course) == {people["rpks"].pk}
    assert Assignment.objects.get().authority is None


def test_hr_cannot_assign_to_another_ministry(hr_client, course, org, people):
    response = assign(hr_client, course, authority=org["hzd"])
    assert response.status_code == 200
    assert response.context["form"].errors["authority"]
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_hr_cannot_assign_a_person_of_another_ministry(hr_client, course, people):
    response = assign(hr_client, course, people=[people["rpda"], people["hzd"]])
    assert response.status_code == 200
    assert response.context["form"].errors["people"]
    assert not Assignment.objects.exists()
    assert not Enrolment.objects.exists()


def test_inactive_people_cannot_be_selected(hr_client, course, people):
    response = assign(hr_client, course, people=[people["rpda_inactive"]])
    assert response.context["form"].errors["people"]
    assert not Enrolment.objects.exists()


def test_a_due_date_in_the_past_is_a_form_error(hr_client, course, org, people):
    response = assign(hr_client, course, due_on=in_days(-1), authority=org["rpda"])
    assert response.status_code == 200
    assert response.context["form"].errors["due_on"] == [str(msg.ERROR_DUE_IN_PAST)]
    assert not Assignment.objects.exists()


def test_a_target_is_required(hr_client, course):
    response = assign(hr_client, course)
    assert response.context["form"].non_field_errors() == [str(msg.ERROR_NO_TARGET)]
    assert not Assignment.objects.exists()


def test_a_refusal_by_the_service_is_shown_on_the_form(hr_client, course, org, monkeypatch):
    def refuse(**kwargs):
        raise PermissionDenied(msg.ERROR_OUT_OF_SCOPE)

    monkeypatch.setattr("courses.assignments.views.assignment_create", refuse)
    response = assign(hr_client, course, authority=org["rpda"])
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(msg.ERROR_OUT_OF_SCOPE)]


def test_only_live_courses_can_be_assigned(hr_client, catalog, org):
    draft = add_course(catalog, title="Noch im Entwurf")
    draft.unpublish()
    response = assign(hr_client, draft, authority=org["rpda"])
    assert response.context["form"].errors["course"]
    assert not Assignment.objects.exists()


def test_assigning_twice_keeps_one_enrolment_and_the_earlier_due_date(
    hr_client, course, org, people
):
    assign(hr_client, course, due_on=in_days(30), authority=org["rpda"])
    response = assign(hr_client, course, due_on=in_days(60), people=[people["rpda"]])
    assert response.status_code == 302
    assert Assignment.objects.count() == 2
    enrolment = Enrolment.objects.get(user=people["rpda"], course=course)
    assert enrolment.due_on == in_days(30)


def test_a_self_chosen_course_becomes_mandatory_when_assigned(hr_client, course, org, people):
    from courses.services import enrolment_create

    enrolment_create(user=people["rpda"], course=course)
    assign(hr_client, course, due_on=in_days(20), authority=org["rpda"])
    enrolment = Enrolment.objects.get(user=people["rpda"], course=course)
    assert enrolment.source == Enrolment.Source.ASSIGNED
    assert enrolment.due_on == in_days(20)


def test_centre_admin_assigns_anywhere(client, centre_admin, course, org, people):
    client.force_login(centre_admin)
    response = assign(client, course, authority=org["hzd"])
    assert response.status_code == 302
    assert enrolled(course) == {people["hzd"].pk}


def test_hr_lists_only_assignments_in_their_scope(
    client, centre_admin, hr_innen, hr_finanzen, course, org, people
):
    client.force_login(centre_admin)
    assign(client, course, authority=org["rpda"])
    assign(client, course, people=[people["rpks"], people["hzd"]])
    assign(client, course, authority=org["hzd"])

    assign(client, course, people=[UserFactory(authority=org["rpks"])])

    client.force_login(hr_finanzen)
    rows = client.get(reverse("courses_assignments:add")).context["items"].object_list
    assert [row.authority for row in rows] == [org["hzd"]]

    # Interior HR: their subtree, and selected people only when all of them are theirs.
    client.force_login(hr_innen)
    rows = client.get(reverse("courses_assignments:add")).context["items"].object_list
    assert [(row.authority, row.people_count) for row in rows] == [
        (None, 1),
        (org["rpda"], 2),
    ]


# Who may use the screens


@pytest.mark.parametrize(
    "name",
    ["courses_assignments:add", "courses_assignment_rules:add", "courses_assignment_rules:index"],
)
def test_learners_and_trainers_cannot_open_the_screens(client, org, course, name):
    learner = UserFactory(authority=org["rpda"])
    trainer = UserFactory(authority=org["rpda"], roles=["trainer"])
    for user in (learner, trainer):
        client.force_login(user)
        assert client.get(reverse(name)).status_code in (302, 403)
        response = client.post(
            reverse(name),
            {
                "course": course.pk,
                "authority": org["rpda"].pk,
                "due_on": in_days(5),
                "confirm": 1,
                "due_after_days": 5,
            },
        )
        assert response.status_code in (302, 403)
    assert not Assignment.objects.exists()
    assert not AssignmentRule.objects.exists()
    assert not Enrolment.objects.exists()


def test_the_menu_is_shown_to_hr_and_centre_admins_only(org, hr_innen, centre_admin):
    trainer = UserFactory(authority=org["rpda"], roles=["trainer"])

    def menu_names(user):
        request = RequestFactory().get("/admin/")
        request.user = user
        return {item.name for item in admin_menu.menu_items_for_request(request)}

    assert "mandatory-training" in menu_names(hr_innen)
    assert "mandatory-training" in menu_names(centre_admin)
    assert "mandatory-training" not in menu_names(trainer)


# Assignment rules


def test_rule_preview_counts_current_members_and_writes_nothing(hr_client, course, org, people):
    response = add_rule(hr_client, course, org["rpda"], step="preview")
    assert response.status_code == 200
    assert response.context["preview"]["count"] == 2
    assert response.context["preview"]["message"] in response.content.decode()
    assert not AssignmentRule.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_rule_enrols_current_and_later_members(
    hr_client, hr_innen, centre_admin, course, org, people
):
    response = add_rule(hr_client, course, org["rpda"], days=30)
    assert response.status_code == 302
    rule = AssignmentRule.objects.get()
    assert (rule.authority, rule.due_after_days, rule.active) == (org["rpda"], 30, True)
    assert rule.created_by == hr_innen
    assert enrolled(course) == {people["rpda"].pk, people["rpda_unit"].pk}
    for enrolment in Enrolment.objects.filter(course=course):
        assert enrolment.due_on == in_days(30)
        assert enrolment.source == Enrolment.Source.RULE

    report = users_import(data=NEW_PERSON_CSV, by=centre_admin)
    assert report.ok, report.errors
    newcomer = User.objects.get(email="neu@verwaltung.example")
    enrolment = Enrolment.objects.get(user=newcomer, course=course)
    assert enrolment.due_on == in_days(30)
    assert enrolment.source == Enrolment.Source.RULE

    user_move(user=people["rpks"], authority=org["rpda"])
    assert Enrolment.objects.get(user=people["rpks"], course=course).due_on == in_days(30)
    # Nobody elsewhere.
    assert not Enrolment.objects.filter(user=people["hzd"]).exists()


def test_hr_cannot_make_a_rule_for_another_ministry(hr_client, course, org, people):
    response = add_rule(hr_client, course, org["hzd"])
    assert response.status_code == 200
    assert response.context["form"].errors["authority"]
    assert not AssignmentRule.objects.exists()
    assert not Enrolment.objects.exists()


def test_a_deactivated_rule_no_longer_applies_to_people_joining(
    hr_client, centre_admin, course, org, people
):
    add_rule(hr_client, course, org["rpda"])
    rule = AssignmentRule.objects.get()
    response = hr_client.post(reverse("courses_assignment_rules:deactivate", args=[rule.pk]))
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.active

    assert users_import(data=NEW_PERSON_CSV, by=centre_admin).ok
    newcomer = User.objects.get(email="neu@verwaltung.example")
    user_move(user=people["rpks"], authority=org["rpda"])
    assert not Enrolment.objects.filter(user__in=[newcomer, people["rpks"]]).exists()
    # What the rule assigned before stays.
    assert enrolled(course) == {people["rpda"].pk, people["rpda_unit"].pk}


def test_hr_cannot_deactivate_a_rule_outside_their_scope(
    client, hr_finanzen, hr_innen, course, org
):
    rule = assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=10
    )
    client.force_login(hr_finanzen)
    response = client.post(reverse("courses_assignment_rules:deactivate", args=[rule.pk]))
    assert response.status_code in (302, 404)
    rule.refresh_from_db()
    assert rule.active
    assert list(client.get(reverse("courses_assignment_rules:index")).context["object_list"]) == []


def test_deactivating_needs_post(hr_client, hr_innen, course, org):
    rule = assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=10
    )
    hr_client.get(reverse("courses_assignment_rules:deactivate", args=[rule.pk]))
    rule.refresh_from_db()
    assert rule.active


def test_the_rules_list_offers_deactivation(hr_client, hr_innen, course, org):
    rule = assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=10
    )
    response = hr_client.get(reverse("courses_assignment_rules:index"))
    assert response.status_code == 200
    assert reverse("courses_assignment_rules:deactivate", args=[rule.pk]) in (
        response.content.decode()
    )


def test_confirming_shows_a_success_message(hr_client, course, org, people):
    response = assign(hr_client, course, authority=org["rpda"])
    with translation.override("de"):
        assert any(course.title in text for text in text_of(response))


def test_the_deactivate_button_works_with_csrf_protection(hr_innen, course, org):
    import re

    from django.test import Client

    rule = assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=10
    )
    client = Client(enforce_csrf_checks=True)
    client.force_login(hr_innen)
    page = client.get(reverse("courses_assignment_rules:index")).content.decode()
    url = reverse("courses_assignment_rules:deactivate", args=[rule.pk])
    form = re.search(rf'<form action="{re.escape(url)}" method="post">(.*?)</form>', page, re.S)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(1)).group(1)
    response = client.post(url, {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert not rule.active


def test_hr_sees_their_own_assignments_even_when_nobody_new_was_enrolled(
    hr_client, course, org, people
):
    assign(hr_client, course, due_on=in_days(10), people=[people["rpks"]])
    assign(hr_client, course, due_on=in_days(20), people=[people["rpks"]])
    rows = hr_client.get(reverse("courses_assignments:add")).context["items"].object_list
    assert [row.due_on for row in rows] == [in_days(20), in_days(10)]


def test_hr_whose_scope_shrank_no_longer_sees_their_assignments_outside_it(
    hr_client, hr_innen, course, org, people
):
    assign(hr_client, course, due_on=in_days(10), authority=org["rpks"])
    assign(hr_client, course, due_on=in_days(30), people=[people["rpda_unit"]])
    hr_innen.hr_scopes.update(authority=org["rpda"])

    response = hr_client.get(reverse("courses_assignments:add"))

    rows = response.context["items"].object_list
    assert [row.due_on for row in rows] == [in_days(30)]
    assert org["rpks"].name not in response.content.decode()


# Editing a rule


def edit_rule(client, rule, *, days=30, months="", active=True, step="confirm"):
    data = {"due_after_days": days, "recurrence_months": months, step: "1"}
    if active:
        data["active"] = "on"
    return client.post(reverse("courses_assignment_rules:edit", args=[rule.pk]), data)


@pytest.fixture
def rule(hr_innen, course, org, people):
    return assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=10
    )


def test_the_edit_screen_shows_the_rule(hr_client, rule):
    response = hr_client.get(reverse("courses_assignment_rules:edit", args=[rule.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert (form["due_after_days"].value(), form["active"].value()) == (10, True)
    assert rule.course.title in response.content.decode()


def test_the_rules_list_links_to_the_edit_screen(hr_client, rule):
    page = hr_client.get(reverse("courses_assignment_rules:index")).content.decode()
    assert reverse("courses_assignment_rules:edit", args=[rule.pk]) in page


def test_the_rules_list_shows_the_recurrence(hr_client, hr_innen, catalog, org):
    for title, months in (("Datenschutz", 12), ("Brandschutz", 6), ("Einführung", None)):
        assignment_rule_create(
            by=hr_innen,
            course=add_course(catalog, title=title, slug=title.lower()),
            authority=org["rpda"],
            due_after_days=10,
            recurrence_months=months,
        )
    hr_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = hr_client.get(reverse("courses_assignment_rules:index")).content.decode()
    for text in ("annually", "every 6 months", "once"):
        assert re.search(rf"<td[^>]*>\s*{text}\s*</td>", page), text


def test_recurrence_is_described_in_words():
    with translation.override("en"):
        assert [recurrence_text(m) for m in (None, 12, 1, 6)] == [
            "once",
            "annually",
            "monthly",
            "every 6 months",
        ]


def test_an_edit_is_previewed_before_it_is_saved(hr_client, rule):
    response = edit_rule(hr_client, rule, days=20, months=12, step="preview")
    assert response.status_code == 200
    preview = response.context["preview"]
    assert preview["count"] == 2
    assert preview["message"] in response.content.decode()
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months) == (10, None)


def test_hr_changes_days_and_recurrence_of_a_rule(hr_client, rule, course, people):
    due_before = set(Enrolment.objects.filter(course=course).values_list("due_on", flat=True))
    response = edit_rule(hr_client, rule, days=45, months=12)
    assert response.status_code == 302
    assert response.url == reverse("courses_assignment_rules:index")
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months, rule.active) == (45, 12, True)
    # Due dates already set stay; the new days are for people who join from now on.
    assert set(Enrolment.objects.filter(course=course).values_list("due_on", flat=True)) == (
        due_before
    )


def test_hr_deactivates_a_rule_on_the_edit_screen(hr_client, rule):
    assert edit_rule(hr_client, rule, active=False).status_code == 302
    rule.refresh_from_db()
    assert not rule.active


def test_reactivating_a_rule_applies_it_to_who_joined_meanwhile(hr_client, rule, course, org):
    edit_rule(hr_client, rule, active=False)
    newcomer = UserFactory(authority=org["rpda_unit"])
    assert not Enrolment.objects.filter(user=newcomer).exists()

    preview = edit_rule(hr_client, rule, step="preview")
    assert preview.context["preview"]["count"] == 3
    response = edit_rule(hr_client, rule, days=14)
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.active
    enrolment = Enrolment.objects.get(user=newcomer, course=course)
    assert enrolment.due_on == in_days(14)
    assert enrolment.source == Enrolment.Source.RULE


def test_hr_of_finance_can_neither_see_nor_edit_an_interior_rule(client, hr_finanzen, rule):
    client.force_login(hr_finanzen)
    url = reverse("courses_assignment_rules:edit", args=[rule.pk])
    assert client.get(url).status_code == 404
    for step in ("preview", "confirm"):
        assert edit_rule(client, rule, days=99, months=12, active=False, step=step).status_code == (
            404
        )
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months, rule.active) == (10, None, True)
    assert list(client.get(reverse("courses_assignment_rules:index")).context["object_list"]) == []


def test_the_service_refuses_an_edit_outside_the_scope(hr_finanzen, rule):
    with pytest.raises(PermissionDenied):
        assignment_rule_update(
            by=hr_finanzen, rule=rule, due_after_days=1, recurrence_months=None, active=False
        )
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.active) == (10, True)


def test_a_centre_admin_edits_any_rule(client, centre_admin, rule):
    client.force_login(centre_admin)
    assert edit_rule(client, rule, days=5, months=24).status_code == 302
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months) == (5, 24)


def test_a_rule_that_does_not_exist_is_not_found(hr_client):
    assert hr_client.get("/admin/courses/rules/999999/").status_code == 404
    assert hr_client.get("/admin/courses/rules/" + "9" * 30 + "/").status_code == 404


def test_learners_cannot_open_the_edit_screen(client, org, rule):
    client.force_login(UserFactory(authority=org["rpda"]))
    assert client.get(reverse("courses_assignment_rules:edit", args=[rule.pk])).status_code in (
        302,
        403,
    )
    assert edit_rule(client, rule, days=99).status_code in (302, 403)
    rule.refresh_from_db()
    assert rule.due_after_days == 10


# Bad input on the rule forms: a form error, never a server error, nothing saved

BAD_NUMBERS = ["-1", "0", "99999", "32768", "9" * 5000, "abc", "12.5", "1e3", "½", "0x10"]


@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_bad_days_on_a_new_rule_are_a_form_error(hr_client, course, org, people, value):
    response = add_rule(hr_client, course, org["rpda"], days=value)
    assert response.status_code == 200
    assert response.context["form"].errors["due_after_days"]
    assert not AssignmentRule.objects.exists()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("value", [*BAD_NUMBERS, "121"])
def test_a_bad_recurrence_on_a_new_rule_is_a_form_error(hr_client, course, org, people, value):
    for step in ("preview", "confirm"):
        response = hr_client.post(
            reverse("courses_assignment_rules:add"),
            {
                "course": course.pk,
                "authority": org["rpda"].pk,
                "due_after_days": 30,
                "recurrence_months": value,
                step: "1",
            },
        )
        assert response.status_code == 200
        assert response.context["form"].errors["recurrence_months"]
        assert response.context["preview"] is None
    assert not AssignmentRule.objects.exists()
    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("field", ["due_after_days", "recurrence_months"])
@pytest.mark.parametrize("value", BAD_NUMBERS)
def test_bad_numbers_on_the_edit_screen_are_a_form_error(hr_client, rule, field, value):
    values = {"days": 20, "months": 12}
    values["days" if field == "due_after_days" else "months"] = value
    response = edit_rule(hr_client, rule, **values)
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months, rule.active) == (10, None, True)


@pytest.mark.parametrize(
    ("days", "months"), [(0, None), (-3, None), (4000, None), (30, 0), (30, -1), (30, 500)]
)
def test_the_services_refuse_numbers_out_of_range(hr_innen, rule, course, org, days, months):
    with pytest.raises(ValidationError):
        assignment_rule_create(
            by=hr_innen,
            course=course,
            authority=org["rpda_unit"],
            due_after_days=days,
            recurrence_months=months,
        )
    with pytest.raises(ValidationError):
        assignment_rule_update(
            by=hr_innen, rule=rule, due_after_days=days, recurrence_months=months, active=True
        )
    assert AssignmentRule.objects.count() == 1
    rule.refresh_from_db()
    assert (rule.due_after_days, rule.recurrence_months) == (10, None)
