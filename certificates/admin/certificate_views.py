"""Issued certificates in the admin: a read-only list and detail for centre admins and HR, each
within their scope, and revoking and re-issuing for centre admins.

Every queryset here starts from certificates_visible_to, the filters' choices included; an id
outside the user's scope is answered with 404, as if it did not exist.
"""

import re

import django_filters
from django.conf import settings
from django.contrib.admin.utils import quote, unquote
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.admin_url_finder import ModelAdminURLFinder
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import IndexView, InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button, HeaderButton

from certificates import messages as msg
from certificates.forms import RevokeForm, courses_with_certificates_for
from certificates.models import Certificate
from certificates.rendering import verify_url
from certificates.selectors import certificates_visible_to
from certificates.services import certificate_reissue, certificate_revoke
from lms.audit import models as audit
from lms.audit.services import audit_record_unless_own
from lms.forms import AuthorityChoiceField, CourseChoiceField
from lms.people.selectors import authorities_visible_to

from .permissions import IssuedCertificatePolicy

certificate_permission_policy = IssuedCertificatePolicy(Certificate)

URL_NAMESPACE = "issued_certificates"
LANGUAGE_NAMES = dict(settings.LANGUAGES)
_CODE_CONFUSABLE = str.maketrans({"O": "0", "I": "1", "L": "1"})
EMPTY = "–"


def can_see_certificates(user) -> bool:
    """Centre admins and HR (the group holds certificates.view_certificate)."""
    return bool(
        user.is_authenticated and certificate_permission_policy.user_has_permission(user, "view")
    )


def certificate_url(certificate) -> str:
    return reverse(f"{URL_NAMESPACE}:inspect", args=[quote(certificate.pk)])


def _date(value):
    if value is None:
        return EMPTY
    if hasattr(value, "hour"):
        value = timezone.localtime(value)
    return date_format(value, "SHORT_DATE_FORMAT")


def status_label(certificate) -> str:
    return str(Certificate.Status(certificate.status()).label)


def person_name(user) -> str:
    return user.get_full_name() or user.email


def _courses(request):
    return courses_with_certificates_for(user=request.user)


def _authorities(request):
    return authorities_visible_to(user=request.user).order_by("path")


class CourseFilterField(CourseChoiceField, django_filters.fields.ModelChoiceField):
    pass


class CourseFilter(django_filters.ModelChoiceFilter):
    field_class = CourseFilterField


class AuthorityFilter(django_filters.ModelChoiceFilter):
    field_class = type("AuthorityFilterField", (AuthorityChoiceField,), {})


class CertificateFilterSet(WagtailFilterSet):
    course = CourseFilter(label=_("Course"), queryset=_courses)
    authority = AuthorityFilter(
        label=_("Part of the organisation"), queryset=_authorities, method="filter_authority"
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=Certificate.Status.choices, method="filter_status"
    )

    class Meta:
        model = Certificate
        fields = []

    def filter_authority(self, queryset, name, value):
        return queryset.filter(user__authority__path__startswith=value.path)

    def filter_status(self, queryset, name, value):
        return queryset.with_status(value, timezone.localdate())


class CertificateIndexView(IndexView):
    any_permission_required = ["view"]
    page_title = _("Issued certificates")

    def get_base_queryset(self):
        return certificates_visible_to(user=self.request.user).select_related(
            "user__authority", "course"
        )

    def search_queryset(self, queryset):
        """Every word must match a name, the e-mail address or the code (typed with or
        without hyphens)."""
        if not self.is_searching:
            return queryset
        for word in self.search_query.split():
            code = re.sub(r"[\s\-]", "", word).upper().translate(_CODE_CONFUSABLE)
            queryset = queryset.filter(
                Q(user__first_name__icontains=word)
                | Q(user__last_name__icontains=word)
                | Q(user__email__icontains=word)
                | Q(code__contains=code)
            )
        return queryset

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "person",
                label=_("Person"),
                accessor=lambda c: person_name(c.user),
                get_url=self.get_inspect_url,
                sort_key="user__last_name",
            ),
            Column(
                "authority",
                label=_("Authority"),
                accessor=lambda c: c.user.authority.name if c.user.authority_id else EMPTY,
            ),
            Column("course", label=_("Course"), accessor="course.title", sort_key="course__title"),
            Column("code", label=_("Code"), accessor="code_display"),
            Column(
                "completed_at",
                label=_("Completed"),
                accessor=lambda c: _date(c.completed_at),
                sort_key="completed_at",
            ),
            Column(
                "valid_until",
                label=_("Valid until"),
                accessor=lambda c: _date(c.valid_until) if c.valid_until else _("unlimited"),
                sort_key="valid_until",
            ),
            Column("status", label=_("Status"), accessor=status_label),
        ]

    @cached_property
    def header_buttons(self):
        return [
            *super().header_buttons,
            HeaderButton(
                _("ZIP archives"),
                url=reverse("certificate_archives:index"),
                icon_name="download",
            ),
        ]


class CertificateInspectView(InspectView):
    any_permission_required = ["view"]
    page_title = _("Certificate")
    template_name = "certificates/admin/certificate_inspect.html"

    def get_object(self, queryset=None):
        # Before the lookup, so that people without the permission learn nothing from a 404.
        if not self.user_has_permission("view"):
            raise PermissionDenied
        return get_object_or_404(
            certificates_visible_to(user=self.request.user).select_related(
                "user__authority", "course", "template", "revoked_by", "replaces"
            ),
            pk=unquote(str(self.pk)),
        )

    def get_page_subtitle(self):
        return f"{person_name(self.object.user)} – {self.object.course.title}"

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        # The holder reads it on their page "Who viewed my data?".
        audit_record_unless_own(
            actor=request.user,
            action=audit.AuditEntry.Action.VIEWED,
            report=audit.CERTIFICATE,
            report_title=str(self.page_title),
            filters={"course": self.object.content["fields"]["course"]},
            subject=self.object.user,
        )
        return response

    @cached_property
    def can_administer(self):
        return self.request.user.is_centre_admin

    @cached_property
    def can_revoke(self):
        return self.can_administer and self.object.revoked_at is None

    @cached_property
    def can_reissue(self):
        certificate = self.object
        return (
            self.can_administer
            and certificate.is_issued
            and certificate.revoked_at is None
            and getattr(certificate, "replaced_by", None) is None
        )

    @cached_property
    def header_more_buttons(self):
        buttons = []
        if self.object.is_issued:
            buttons.append(
                Button(
                    _("Download PDF"),
                    url=reverse("certificates:download", args=[self.object.pk]),
                    icon_name="download",
                    priority=10,
                )
            )
        if self.can_reissue:
            buttons.append(
                Button(
                    _("Re-issue with the current name"),
                    url=reverse(f"{URL_NAMESPACE}:reissue", args=[self.object.pk]),
                    icon_name="rotate",
                    priority=20,
                )
            )
        if self.can_revoke:
            buttons.append(
                Button(
                    _("Revoke"),
                    url=reverse(f"{URL_NAMESPACE}:revoke", args=[self.object.pk]),
                    icon_name="cross",
                    priority=30,
                )
            )
        return buttons

    def get_fields_context(self):
        certificate, user = self.object, self.object.user
        fields = [
            (_("Person"), f"{person_name(user)} <{user.email}>"),
            (_("Name on the certificate"), certificate.content["fields"]["name"]),
            (_("Authority"), str(user.authority) if user.authority_id else EMPTY),
            (_("Course"), certificate.course.title),
            (_("Code"), certificate.code_display),
            (_("Kind"), certificate.get_kind_display()),
            (_("Status"), status_label(certificate)),
            (_("Completed"), _date(certificate.completed_at)),
            (
                _("Valid until"),
                _date(certificate.valid_until) if certificate.valid_until else _("unlimited"),
            ),
            (_("Issued"), _date(certificate.issued_at)),
            (_("Language"), LANGUAGE_NAMES.get(certificate.language, certificate.language)),
            (
                _("Template"),
                _("%(name)s, version %(version)s")
                % {
                    "name": certificate.content["template"]["name"],
                    "version": certificate.template_version,
                },
            ),
        ]
        if certificate.revoked_at is not None:
            fields += [
                (_("Revoked on"), _date(certificate.revoked_at)),
                (
                    _("Revoked by"),
                    person_name(certificate.revoked_by) if certificate.revoked_by else EMPTY,
                ),
                (_("Reason for the revocation"), certificate.revoked_reason),
            ]
        return [{"label": label, "value": value, "component": None} for label, value in fields]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        certificate = self.object
        successor = getattr(certificate, "replaced_by", None)
        context.update(
            {
                "download_url": reverse("certificates:download", args=[certificate.pk])
                if certificate.is_issued
                else None,
                "verify_url": verify_url(certificate.code) if certificate.is_issued else None,
                "replaces": certificate.replaces,
                "replaces_url": certificate_url(certificate.replaces)
                if certificate.replaces_id
                else None,
                "replaced_by": successor,
                "replaced_by_url": certificate_url(successor) if successor else None,
                "can_revoke": self.can_revoke,
                "can_reissue": self.can_reissue,
            }
        )
        return context


class CentreAdminActionMixin:
    """Revoking and re-issuing: centre admins only, on a certificate they can see."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_centre_admin:
            raise PermissionDenied(msg.ERROR_NOT_ALLOWED)
        self.object = get_object_or_404(
            certificates_visible_to(user=request.user).select_related("user", "course"),
            pk=kwargs["pk"],
        )
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return f"{person_name(self.object.user)} – {self.object.course.title}"

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse(f"{URL_NAMESPACE}:index"), "label": _("Issued certificates")},
            {"url": certificate_url(self.object), "label": self.object.code_display},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        context["cancel_url"] = certificate_url(self.object)
        return context


class RevokeView(CentreAdminActionMixin, WagtailAdminTemplateMixin, FormView):
    """GET asks for the reason; only the POST revokes."""

    template_name = "certificates/admin/certificate_revoke.html"
    page_title = _("Revoke certificate")
    header_icon = "cross"
    form_class = RevokeForm

    def form_valid(self, form):
        try:
            certificate_revoke(
                certificate=self.object, by=self.request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            form.add_error("reason", error)
            return self.form_invalid(form)
        messages.success(self.request, msg.MESSAGE_REVOKED % {"code": self.object.code_display})
        return redirect(certificate_url(self.object))


class ReissueView(CentreAdminActionMixin, WagtailAdminTemplateMixin, TemplateView):
    """GET shows the name then and now; only the POST issues the corrected certificate."""

    template_name = "certificates/admin/certificate_reissue.html"
    page_title = _("Re-issue certificate")
    header_icon = "rotate"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["name_then"] = self.object.content["fields"]["name"]
        context["name_now"] = person_name(self.object.user)
        return context

    def post(self, request, *args, **kwargs):
        try:
            new = certificate_reissue(certificate=self.object, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
            return redirect(certificate_url(self.object))
        done = msg.MESSAGE_REISSUED if new.is_issued else msg.MESSAGE_REISSUE_PENDING
        messages.success(
            request, done % {"code": new.code_display, "old": self.object.code_display}
        )
        return redirect(certificate_url(new))


class CertificateViewSet(ModelViewSet):
    """Read-only: no add, edit, copy or delete views exist, for anyone."""

    model = Certificate
    name = URL_NAMESPACE
    url_prefix = "certificates/issued"
    icon = "doc-full"
    menu_label = _("Issued certificates")
    menu_name = "issued-certificates"
    index_view_class = CertificateIndexView
    inspect_view_class = CertificateInspectView
    inspect_view_enabled = True
    copy_view_enabled = False
    add_to_reference_index = False
    pk_path_converter = "id"
    filterset_class = CertificateFilterSet
    # Only switches the search box on; CertificateIndexView.search_queryset does the search.
    search_fields = ["user__first_name", "user__last_name", "user__email", "code"]
    ordering = ["-completed_at", "-pk"]

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<id:pk>/", self.inspect_view, name="inspect"),
            path("<id:pk>/revoke/", RevokeView.as_view(), name="revoke"),
            path("<id:pk>/reissue/", ReissueView.as_view(), name="reissue"),
        ]

    @property
    def url_finder_class(self):
        return type(
            "_CertificateAdminURLFinder",
            (ModelAdminURLFinder,),
            {"edit_url_name": self.get_url_name("inspect")},
        )

    def get_permissions_to_register(self):
        return Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Certificate),
            codename="view_certificate",
        )
