"""Every URL that takes an object id or code, walked from the URL configuration.

Learning records of a person in authority A (the Regierungspräsidium Darmstadt, interior
ministry) are requested by a learner, a trainer and an HR coordinator of authority B (the
finance ministry's data centre) and by an HR coordinator of a sibling authority in A's own
ministry, with GET and POST. Each is turned away and sees nothing of A; nothing of A changes.
People of A itself (its learner, a trainer, its HR coordinator) are turned away from what their
role does not cover. The owner, A's HR coordinator or a centre admin opens the same URL, so the
walk cannot pass on pages that are simply broken.

A new URL that takes a value from its path makes test_every_id_taking_url_is_known fail until
it is added to SCOPED (with how to build its object and who may open it), to OWN_RECORDS, or
to NOT_RECORDS_OF_AN_AUTHORITY with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.urls import get_resolver, include, path, reverse
from django.utils import timezone

from certificates.models import Certificate, CertificateArchive
from courses.assignments.services import assignment_create, assignment_rule_create
from courses.models import Assignment, AssignmentChange, AssignmentRule, Enrolment, QuizAttempt
from courses.quizzes.services import attempt_hand_in, attempt_start
from courses.services import enrolment_create
from lms.people.models import Authority, HRScope, User
from lms.people.roles import Role
from lms.privacy.models import DataExport
from tests.certificates.conftest import (  # noqa: F401  (fixtures)
    _private_files_in_tmp,
    certificate_template,
)
from tests.courses.conftest import add_course, catalog, lessons_of  # noqa: F401
from tests.courses.quizzes.conftest import add_quiz
from tests.factories import UserFactory, role_group
from tests.security.walk import bulk_actions, id_taking_patterns, leaked, turned_away

# --- The world: records of authority A, people of authority B -------------------------------


@dataclass
class World:
    people: dict
    rpda: Authority
    course: object
    lesson: object
    quiz: object
    open_attempt: QuizAttempt
    closed_attempt: QuizAttempt
    certificate: Certificate
    export: DataExport
    archive: CertificateArchive
    rule: AssignmentRule
    template: object
    hr_group: object
    secrets: list = field(default_factory=list)
    assignment: object = None


OUTSIDERS = ("learner_b", "trainer_b", "hr_b", "hr_sibling")
# People of A itself, each turned away from what their role does not cover.
INSIDERS = ("learner_a", "trainer_a", "hr_a")


@pytest.fixture
def world(org, centre_admin, hr_innen, hr_finanzen, catalog, certificate_template):  # noqa: F811
    learner_a = UserFactory(
        email="adelheid.amselweg@verwaltung.example",
        first_name="Adelheid",
        last_name="Amselweg",
        personnel_number="PN-A-4711",
        authority=org["rpda"],
    )
    people = {
        "learner_a": learner_a,
        "trainer_a": UserFactory(authority=org["rpda"], roles=[Role.TRAINER]),
        "hr_a": hr_innen,
        "centre_admin": centre_admin,
        "learner_b": UserFactory(authority=org["hzd"]),
        "trainer_b": UserFactory(authority=org["hzd"], roles=[Role.TRAINER]),
        "hr_b": hr_finanzen,
        "hr_sibling": UserFactory(authority=org["rpks"], roles=[Role.HR], hr_scopes=[org["rpks"]]),
    }
    course = add_course(catalog, title="Datenschutz kompakt", lessons=1)
    quiz = add_quiz(course, wait_minutes=0)
    enrolment_create(user=learner_a, course=course)
    closed_attempt = attempt_hand_in(attempt=attempt_start(user=learner_a, quiz=quiz))
    open_attempt = attempt_start(user=learner_a, quiz=quiz)
    certificate = _certificate(learner_a, course, certificate_template)
    export = DataExport.objects.create(
        requested_by=learner_a, person=learner_a, status=DataExport.Status.READY
    )
    export.file.save("daten.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    archive = CertificateArchive.objects.create(
        requested_by=hr_innen,
        authority=org["rpda"],
        course=course,
        status=CertificateArchive.Status.READY,
        count=1,
    )
    archive.file.save("zertifikate.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    rule = assignment_rule_create(
        by=hr_innen, course=course, authority=org["rpda"], due_after_days=30
    )
    assignment = assignment_create(
        by=hr_innen,
        course=course,
        due_on=timezone.localdate() + timedelta(days=20),
        people=[learner_a],
    )
    return World(
        assignment=assignment,
        people=people,
        rpda=org["rpda"],
        course=course,
        lesson=lessons_of(course)[0],
        quiz=quiz,
        open_attempt=open_attempt,
        closed_attempt=closed_attempt,
        certificate=certificate,
        export=export,
        archive=archive,
        rule=rule,
        template=certificate_template,
        hr_group=role_group(Role.HR),
        secrets=[
            "Adelheid",
            "Amselweg",
            "adelheid.amselweg",
            "PN-A-4711",
            "hr.innen@",
            certificate.code,
            certificate.code_display,
            "Regierungspräsidium Darmstadt",
            "RPDA",
        ],
    )


def _certificate(person, course, template):
    now = timezone.now()
    certificate = Certificate.objects.create(
        user=person,
        course=course,
        enrolment=Enrolment.objects.get(user=person, course=course),
        completed_at=now,
        template=template,
        template_version=1,
        language="de",
        content={
            "fields": {
                "name": person.get_full_name(),
                "course": course.title,
                "completed_on": now.date().isoformat(),
            },
            "template": {"id": template.pk, "name": template.name, "version": 1},
        },
        valid_until=now.date() + timedelta(days=365),
        issued_at=now,
        sha256="b" * 64,
    )
    certificate.pdf.save("zertifikat.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    return certificate


def records_of_a(world: World):
    """Everything of A that a request by someone else could change, as plain values."""
    person = world.people["learner_a"]
    return {
        # All but last_login, which signing in as A's learner sets.
        "person": User.objects.filter(pk=person.pk).values().first() | {"last_login": None},
        "groups": sorted(person.groups.values_list("pk", flat=True)),
        "hr_scopes": sorted(HRScope.objects.values_list("user_id", "authority_id")),
        "enrolments": list(Enrolment.objects.filter(user=person).values().order_by("pk")),
        "attempts": list(QuizAttempt.objects.filter(user=person).values().order_by("pk")),
        "certificates": list(Certificate.objects.filter(user=person).values().order_by("pk")),
        "exports": list(DataExport.objects.filter(person=person).values().order_by("pk")),
        "archives": list(CertificateArchive.objects.values().order_by("pk")),
        "rules": list(AssignmentRule.objects.values().order_by("pk")),
        "assignments": list(Assignment.objects.values().order_by("pk")),
        "assignment_changes": AssignmentChange.objects.count(),
        "authorities": list(Authority.objects.values().order_by("pk")),
        "hr_group_permissions": sorted(world.hr_group.permissions.values_list("pk", flat=True)),
        "templates": list(type(world.template).objects.values("pk", "name").order_by("pk")),
    }


# --- URLs of records that belong to authority A ---------------------------------------------


@dataclass(frozen=True)
class Scoped:
    """How to reach A's object, who may open it, and what a POST would carry."""

    urls: Callable[[World], list[str]]
    allowed: str  # the positive control: a key of World.people
    post: Callable[[World], dict] = lambda w: {}
    control_method: str = "get"
    control_status: int = 200
    also_allowed: tuple[str, ...] = ()  # other people of A whose role covers it

    @property
    def insiders_refused(self):
        return [p for p in INSIDERS if p != self.allowed and p not in self.also_allowed]


def _url(name, *args):
    """One URL; callables among the arguments are given the world."""
    return lambda w: [reverse(name, args=[a(w) if callable(a) else a for a in args])]


def _person(w):
    return w.people["learner_a"].pk


def _user_form(w):
    """The person form as a centre admin would send it, raising A's person to centre admin."""
    person = w.people["learner_a"]
    return {
        "email": person.email,
        "first_name": "Umbenannt",
        "last_name": person.last_name,
        "preferred_language": "de",
        "authority": w.rpda.pk,
        "personnel_number": person.personnel_number,
        "is_active": "on",
        "is_superuser": "on",
        "groups": [w.hr_group.pk],
    }


def _authority_form(w):
    return {"name": "Umbenannt", "abbreviation": "RPDA", "kind": "authority", "parent": ""}


# Bulk actions take their ids from the query string, so the URL configuration does not show
# them; test_every_bulk_action_is_known fails for a model registered that is in neither list.
BULK_OBJECTS = {("people", "user"): lambda w: w.people["learner_a"].pk}
# Wagtail answers these with a confirmation page that lists the items the user may not touch
# and then leaves them alone: checked by test_bulk_deleting_a_template_needs_a_centre_admin.
BULK_CENTRE_ONLY = {("certificates", "certificatetemplate")}
BULK_ON_CONTENT = {("wagtailcore", "page"), ("wagtailimages", "image"), ("wagtaildocs", "document")}


def _bulk_urls(w):
    urls = []
    for (app_label, model_name), actions in sorted(bulk_actions().items()):
        if (app_label, model_name) not in BULK_OBJECTS:
            continue
        pk = BULK_OBJECTS[app_label, model_name](w)
        for action in actions:
            base = reverse("wagtail_bulk_action", args=[app_label, model_name, action])
            urls.append(f"{base}?id={pk}")
    return urls


def _attempt_answers(w):
    first = w.open_attempt.questions[0]
    return {"version": w.open_attempt.version, "action": "next", f"q-{first['id']}": "x"}


def _due_change(w):
    later = timezone.localdate() + timedelta(days=90)
    return {"due_on": later.isoformat(), "reason": "Elternzeit"}


def _enrolment_a(w):
    return Enrolment.objects.get(user=w.people["learner_a"], course=w.course).pk


def _rule_confirm(w):
    return {"due_after_days": "1", "recurrence_months": "", "active": "", "confirm": "1"}


SCOPED: dict[str, Scoped] = {
    # The learner's own pages
    "courses:attempt_page": Scoped(
        _url("courses:attempt_page", lambda w: w.open_attempt.pk, 1),
        "learner_a",
        post=_attempt_answers,
    ),
    "courses:attempt_summary": Scoped(
        _url("courses:attempt_summary", lambda w: w.open_attempt.pk), "learner_a"
    ),
    "courses:attempt_result": Scoped(
        _url("courses:attempt_result", lambda w: w.closed_attempt.pk), "learner_a"
    ),
    "certificates:download": Scoped(
        _url("certificates:download", lambda w: w.certificate.pk),
        "learner_a",
        also_allowed=("hr_a",),  # HR hands out the certificates of its scope
    ),
    "privacy:data_export_download": Scoped(
        _url("privacy:data_export_download", lambda w: w.export.pk), "learner_a"
    ),
    # HR of A's scope
    "reports_person": Scoped(_url("reports_person", _person), "hr_a"),
    "issued_certificates:inspect": Scoped(
        _url("issued_certificates:inspect", lambda w: w.certificate.pk), "hr_a"
    ),
    "certificate_archives:download": Scoped(
        _url("certificate_archives:download", lambda w: w.archive.pk), "hr_a"
    ),
    "courses_assignment_rules:edit": Scoped(
        _url("courses_assignment_rules:edit", lambda w: w.rule.pk), "hr_a", post=_rule_confirm
    ),
    "courses_assignment_rules:deactivate": Scoped(
        _url("courses_assignment_rules:deactivate", lambda w: w.rule.pk),
        "hr_a",
        control_method="post",
        control_status=302,
    ),
    "courses_assignments:inspect": Scoped(
        _url("courses_assignments:inspect", lambda w: w.assignment.pk), "hr_a"
    ),
    "courses_assignments:edit": Scoped(
        _url("courses_assignments:edit", lambda w: w.assignment.pk), "hr_a", post=_due_change
    ),
    "courses_assignments:delete": Scoped(
        _url("courses_assignments:delete", lambda w: w.assignment.pk),
        "hr_a",
        post=lambda w: {"reason": "Versehen"},
    ),
    "courses_assignments:extend": Scoped(
        _url("courses_assignments:extend", lambda w: w.assignment.pk, _enrolment_a),
        "hr_a",
        post=_due_change,
    ),
    # Centre admins only
    "issued_certificates:revoke": Scoped(
        _url("issued_certificates:revoke", lambda w: w.certificate.pk),
        "centre_admin",
        post=lambda w: {"reason": "Missbrauch"},
    ),
    "issued_certificates:reissue": Scoped(
        _url("issued_certificates:reissue", lambda w: w.certificate.pk), "centre_admin"
    ),
    "privacy_person_export": Scoped(_url("privacy_person_export", _person), "centre_admin"),
    "privacy_person_erase": Scoped(
        _url("privacy_person_erase", _person),
        "centre_admin",
        post=lambda w: {"email": w.people["learner_a"].email},
    ),
    "wagtailusers_users:edit": Scoped(
        _url("wagtailusers_users:edit", _person), "centre_admin", post=_user_form
    ),
    "wagtailusers_users:delete": Scoped(_url("wagtailusers_users:delete", _person), "centre_admin"),
    "wagtailusers_users:copy": Scoped(
        _url("wagtailusers_users:copy", _person), "centre_admin", post=_user_form
    ),
    "wagtailusers_users:history": Scoped(
        _url("wagtailusers_users:history", _person), "centre_admin"
    ),
    "wagtailusers_users:history_results": Scoped(
        _url("wagtailusers_users:history_results", _person), "centre_admin"
    ),
    "wagtailusers_users:usage": Scoped(_url("wagtailusers_users:usage", _person), "centre_admin"),
    "wagtail_bulk_action": Scoped(
        _bulk_urls,
        "centre_admin",
        post=lambda w: {"role": w.hr_group.pk, "mark_as_active": ""},
    ),
    "wagtailadmin_editing_sessions:ping": Scoped(
        _url("wagtailadmin_editing_sessions:ping", "people", "user", _person, 1),
        "centre_admin",
        control_method="post",
    ),
    "authorities:edit": Scoped(
        _url("authorities:edit", lambda w: w.rpda.pk), "centre_admin", post=_authority_form
    ),
    "authorities:delete": Scoped(_url("authorities:delete", lambda w: w.rpda.pk), "centre_admin"),
    "authorities:inspect": Scoped(_url("authorities:inspect", lambda w: w.rpda.pk), "centre_admin"),
    "authorities:history": Scoped(_url("authorities:history", lambda w: w.rpda.pk), "centre_admin"),
    "authorities:history_results": Scoped(
        _url("authorities:history_results", lambda w: w.rpda.pk), "centre_admin"
    ),
    "authorities:usage": Scoped(_url("authorities:usage", lambda w: w.rpda.pk), "centre_admin"),
    # Role and permission editing: the groups behind the roles
    "wagtailusers_groups:edit": Scoped(
        _url("wagtailusers_groups:edit", lambda w: w.hr_group.pk),
        "centre_admin",
        post=lambda w: {"name": w.hr_group.name, "permissions": []},
    ),
    "wagtailusers_groups:delete": Scoped(
        _url("wagtailusers_groups:delete", lambda w: w.hr_group.pk), "centre_admin"
    ),
    "wagtailusers_groups:history": Scoped(
        _url("wagtailusers_groups:history", lambda w: w.hr_group.pk), "centre_admin"
    ),
    "wagtailusers_groups:history_results": Scoped(
        _url("wagtailusers_groups:history_results", lambda w: w.hr_group.pk), "centre_admin"
    ),
    "wagtailusers_groups:usage": Scoped(
        _url("wagtailusers_groups:usage", lambda w: w.hr_group.pk), "centre_admin"
    ),
    # Certificate templates: the centre's letterhead
    "certificate_templates:edit": Scoped(
        _url("certificate_templates:edit", lambda w: w.template.pk),
        "centre_admin",
        post=lambda w: {"name": "Umbenannt"},
    ),
    "certificate_templates:delete": Scoped(
        _url("certificate_templates:delete", lambda w: w.template.pk), "centre_admin"
    ),
    "certificate_templates:history": Scoped(
        _url("certificate_templates:history", lambda w: w.template.pk), "centre_admin"
    ),
    "certificate_templates:history_results": Scoped(
        _url("certificate_templates:history_results", lambda w: w.template.pk), "centre_admin"
    ),
    "certificate_templates:usage": Scoped(
        _url("certificate_templates:usage", lambda w: w.template.pk), "centre_admin"
    ),
    "certificate_templates:preview_pdf": Scoped(
        _url("certificate_templates:preview_pdf", lambda w: w.template.pk, "de"), "centre_admin"
    ),
    # The editor's unsaved state: an empty form is refused with its mistakes named (422).
    "certificate_templates:preview_form": Scoped(
        _url("certificate_templates:preview_form", lambda w: w.template.pk, "de"),
        "centre_admin",
        control_method="post",
        control_status=422,
    ),
}

# --- URLs of shared content that act on the requester's own records --------------------------

# Courses, lessons and quizzes belong to no authority: anyone may enrol, finish a lesson or
# start a quiz for themselves. Requested by someone of B, they must change nothing of A and
# show nothing of A.
OWN_RECORDS: dict[str, Callable[[World], list[str]]] = {
    "courses:enrol": _url("courses:enrol", lambda w: w.course.pk),
    "courses:drop": _url("courses:drop", lambda w: w.course.pk),
    "courses:complete": _url("courses:complete", lambda w: w.lesson.pk),
    "courses:quiz_start": _url("courses:quiz_start", lambda w: w.quiz.pk),
    # Figures per question over all attempts, for whoever may edit the quiz; no person in it.
    "courses_quiz_analysis": _url("courses_quiz_analysis", lambda w: w.quiz.pk),
}

# --- URLs that take a value but reach no record of an authority ------------------------------

_PUBLIC_BY_CODE = (
    "Public by design: the certificate's code is what its holder hands out to be checked; the "
    "page says whether it is valid (tests/certificates/test_verification.py)."
)
_SERVING = (
    "Wagtail serves pages and documents by path; lessons and quizzes check the enrolment in "
    "their serve hooks (tests/courses), documents and pages follow Wagtail's privacy settings."
)
_ONE_TIME_KEY = (
    "A one-time key sent by e-mail is the credential itself; allauth and Django check it."
)
_SIGN_IN_PROVIDER = "Names a sign-in provider, not an object."
_WAGTAIL_CONTENT = (
    "Wagtail's content admin: pages, images, documents, collections, workflows, sites, "
    "settings and tags are the centre's shared content, not records of an authority; Wagtail's "
    "page and collection permissions decide (tests/courses/test_authoring.py)."
)
_TEMPLATE_CHOOSER = (
    "Trainers choose a course's certificate template in the course editor; the answer is the "
    "template's id and name, the centre's letterhead, no record of an authority."
)
_NEW_TEMPLATE_PREVIEW = (
    "Previews a certificate template being added, from the posted form alone (the value is "
    "the language); centre admins only, nothing stored is read."
)
_OWN_EDITING_SESSION = (
    "Releases the requester's own editing session; Wagtail looks it up by the signed-in user."
)


def _names(reason, *names):
    return dict.fromkeys(names, reason)


NOT_RECORDS_OF_AN_AUTHORITY: dict[str, str] = {
    **_names(_PUBLIC_BY_CODE, "certificates:verify", "certificates:verify_json"),
    **_names(
        _SERVING,
        "wagtail_serve",
        "wagtaildocs_serve",
        "wagtaildocs_authenticate_with_password",
        "wagtailcore_authenticate_with_password",
    ),
    **_names(
        _ONE_TIME_KEY,
        "account_confirm_email",
        "account_reset_password_from_key",
        "wagtailadmin_password_reset_confirm",
    ),
    **_names(_SIGN_IN_PROVIDER, "openid_connect_login", "openid_connect_callback"),
    **_names(_OWN_EDITING_SESSION, "wagtailadmin_editing_sessions:release"),
    **_names(_TEMPLATE_CHOOSER, "wagtailsnippetchoosers_certificates_certificatetemplate:chosen"),
    **_names(_NEW_TEMPLATE_PREVIEW, "certificate_templates:preview_new"),
    **_names(
        _WAGTAIL_CONTENT,
        "wagtailadmin_explore",
        "wagtailadmin_explore_results",
        "wagtailadmin_choose_page_child",
        "wagtailadmin_tag_model_autocomplete",
        "wagtailadmin_api:pages:detail",
        "wagtailadmin_api:pages:action",
        "wagtailadmin_api:documents:detail",
        "wagtailadmin_api:images:detail",
        "wagtailadmin_pages:add",
        "wagtailadmin_pages:add_subpage",
        "wagtailadmin_pages:choose_parent",
        "wagtailadmin_pages:collect_workflow_action_data",
        "wagtailadmin_pages:confirm_workflow_cancellation",
        "wagtailadmin_pages:convert_alias",
        "wagtailadmin_pages:copy",
        "wagtailadmin_pages:delete",
        "wagtailadmin_pages:edit",
        "wagtailadmin_pages:history",
        "wagtailadmin_pages:history_results",
        "wagtailadmin_pages:lock",
        "wagtailadmin_pages:move",
        "wagtailadmin_pages:move_confirm",
        "wagtailadmin_pages:preview_on_add",
        "wagtailadmin_pages:preview_on_edit",
        "wagtailadmin_pages:revisions_compare",
        "wagtailadmin_pages:revisions_index",
        "wagtailadmin_pages:revisions_revert",
        "wagtailadmin_pages:revisions_unschedule",
        "wagtailadmin_pages:revisions_view",
        "wagtailadmin_pages:set_page_position",
        "wagtailadmin_pages:set_privacy",
        "wagtailadmin_pages:type_use",
        "wagtailadmin_pages:type_use_results",
        "wagtailadmin_pages:unlock",
        "wagtailadmin_pages:unpublish",
        "wagtailadmin_pages:usage",
        "wagtailadmin_pages:view_draft",
        "wagtailadmin_pages:workflow_action",
        "wagtailadmin_pages:workflow_history",
        "wagtailadmin_pages:workflow_history_detail",
        "wagtailadmin_pages:workflow_preview",
        "wagtailadmin_workflows:add_task",
        "wagtailadmin_workflows:disable",
        "wagtailadmin_workflows:disable_task",
        "wagtailadmin_workflows:edit",
        "wagtailadmin_workflows:edit_task",
        "wagtailadmin_workflows:enable",
        "wagtailadmin_workflows:enable_task",
        "wagtailadmin_workflows:remove",
        "wagtailadmin_workflows:task_chosen",
        "wagtailadmin_workflows:usage",
        "wagtailadmin_workflows:usage_results",
        "wagtailadmin_collections:edit",
        "wagtailadmin_collections:delete",
        "wagtailadmin_collections:set_privacy",
        "wagtailimages:edit",
        "wagtailimages:delete",
        "wagtailimages:url_generator",
        "wagtailimages:url_generator_output",
        "wagtailimages:preview",
        "wagtailimages:image_usage",
        "wagtailimages:edit_multiple",
        "wagtailimages:delete_multiple",
        "wagtailimages:create_multiple_from_uploaded_image",
        "wagtailimages:delete_upload_multiple",
        "wagtailimages_chooser:chosen",
        "wagtailimages_chooser:select_format",
        "wagtaildocs:edit",
        "wagtaildocs:delete",
        "wagtaildocs:edit_multiple",
        "wagtaildocs:delete_multiple",
        "wagtaildocs:create_multiple_from_uploaded_document",
        "wagtaildocs:delete_upload_multiple",
        "wagtaildocs:document_usage",
        "wagtaildocs_chooser:chosen",
        "wagtailsites:edit",
        "wagtailsites:delete",
        "wagtailsites:copy",
        "wagtailsites:history",
        "wagtailsites:history_results",
        "wagtailsites:usage",
        "wagtailsettings:edit",
        "wagtailsettings:preview_on_edit",
    ),
}


# --- The walk ---------------------------------------------------------------------------------


KNOWN = {**SCOPED, **OWN_RECORDS, **NOT_RECORDS_OF_AN_AUTHORITY}


def unknown_id_urls(url_patterns=None) -> dict[str, str]:
    return {
        name: route for name, route in id_taking_patterns(url_patterns).items() if name not in KNOWN
    }


def test_every_id_taking_url_is_known():
    """A URL added with an id in its path fails here until the walk knows how to fill it."""
    unknown = unknown_id_urls()
    assert not unknown, f"Tell tests/security/test_url_walk.py how to fill: {unknown}"
    gone = sorted(set(KNOWN) - set(id_taking_patterns()))
    assert not gone, f"No longer in the URL configuration: {gone}"


def test_a_new_id_taking_url_is_reported_even_inside_an_include():
    def note(request, note_id):
        raise AssertionError("never called")

    added = [
        *get_resolver().url_patterns,
        path("lernen/notizen/", include([path("<id:note_id>/", note, name="note")])),
        path("<int:pk>/", include([path("anhang/", note)])),
    ]
    assert unknown_id_urls(added) == {
        "note": "lernen/notizen/<id:note_id>/",
        "<int:pk>/anhang/": "<int:pk>/anhang/",
    }


def test_every_bulk_action_is_known():
    registered = set(bulk_actions())
    unknown = registered - set(BULK_OBJECTS) - BULK_CENTRE_ONLY - BULK_ON_CONTENT
    assert not unknown, f"Tell tests/security/test_url_walk.py which object to try: {unknown}"
    assert set(BULK_OBJECTS) | BULK_CENTRE_ONLY <= registered


def test_the_lists_do_not_overlap():
    assert not set(SCOPED) & set(OWN_RECORDS)
    assert not (set(SCOPED) | set(OWN_RECORDS)) & set(NOT_RECORDS_OF_AN_AUTHORITY)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCOPED))
def test_people_of_another_authority_are_turned_away(client, world, name):
    target = SCOPED[name]
    before = records_of_a(world)
    for role in OUTSIDERS:
        client.force_login(world.people[role])
        for url in target.urls(world):
            for method, data in (("get", {}), ("post", target.post(world))):
                response = getattr(client, method)(url, data)
                where = (role, method.upper(), url)
                assert turned_away(response), (*where, response.status_code)
                found = leaked(response, world.secrets)
                assert not found, (*where, found)
    assert records_of_a(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCOPED))
def test_people_of_the_same_authority_are_turned_away_beyond_their_role(client, world, name):
    """A's learner opens no HR screen, A's HR no learner's attempt and no centre admin's
    action, A's trainer none of them: a role does not stretch to the records of its own
    authority."""
    target = SCOPED[name]
    before = records_of_a(world)
    for role in target.insiders_refused:
        client.force_login(world.people[role])
        for url in target.urls(world):
            for method, data in (("get", {}), ("post", target.post(world))):
                response = getattr(client, method)(url, data)
                assert turned_away(response), (role, method.upper(), url, response.status_code)
    assert records_of_a(world) == before


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(SCOPED))
def test_the_owner_in_scope_hr_or_a_centre_admin_gets_through(client, world, name):
    """The positive control: the same URLs open for those who may, so refusals above are
    refusals and not broken pages."""
    target = SCOPED[name]
    client.force_login(world.people[target.allowed])
    for url in target.urls(world):
        data = target.post(world) if target.control_method == "post" else {}
        response = getattr(client, target.control_method)(url, data)
        assert response.status_code == target.control_status, (url, response.status_code)
        if response.status_code == 302:
            assert not turned_away(response), (url, response["Location"])


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(OWN_RECORDS))
def test_shared_content_urls_change_and_show_nothing_of_another_authority(client, world, name):
    before = records_of_a(world)
    for role in OUTSIDERS:
        client.force_login(world.people[role])
        for url in OWN_RECORDS[name](world):
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                where = (role, method.upper(), url)
                assert response.status_code < 500, where
                found = leaked(response, world.secrets)
                assert not found, (*where, found)
    assert records_of_a(world) == before


@pytest.mark.django_db
def test_the_positive_controls_show_the_data_the_walk_looks_for(client, world):
    """The secrets are what A's own pages do show, so their absence above means something."""
    client.force_login(world.people["hr_a"])
    text = client.get(reverse("reports_person", args=[_person(world)])).content.decode()
    assert "Amselweg" in text and "PN-A-4711" in text
    text = client.get(
        reverse("issued_certificates:inspect", args=[world.certificate.pk])
    ).content.decode()
    assert world.certificate.code_display in text and "adelheid.amselweg" in text


@pytest.mark.django_db
def test_bulk_deleting_a_template_needs_a_centre_admin(client, world):
    url = reverse("wagtail_bulk_action", args=["certificates", "certificatetemplate", "delete"])
    url += f"?id={world.template.pk}"
    for role in (*OUTSIDERS, *INSIDERS):
        client.force_login(world.people[role])
        for method in ("get", "post"):
            response = getattr(client, method)(url)
            assert response.status_code < 500, (role, method)
            if role in OUTSIDERS:
                assert not leaked(response, world.secrets), (role, method)
    assert type(world.template).objects.filter(pk=world.template.pk).exists()
    client.force_login(world.people["centre_admin"])
    client.post(url)
    assert not type(world.template).objects.filter(pk=world.template.pk).exists()
