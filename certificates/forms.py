"""Forms of the certificate screens in the admin; choices are limited to the user's scope."""

from django import forms
from django.utils.translation import gettext_lazy as _

from courses.models import CoursePage
from lms.forms import AuthorityChoiceField, CourseChoiceField
from lms.people.models import Authority
from lms.people.selectors import authorities_visible_to

from . import admin_messages as admin_msg
from . import messages as msg
from .models import Certificate
from .selectors import certificates_visible_to

REASON_MAX_LENGTH = Certificate._meta.get_field("revoked_reason").max_length


def courses_with_certificates_for(*, user):
    """The courses of the certificates the user may see: no course outside their scope."""
    return CoursePage.objects.filter(
        pk__in=certificates_visible_to(user=user).values("course_id")
    ).order_by("title")


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the revocation"),
        help_text=_(
            "Kept with the certificate. The public verification page says only that it was "
            "revoked, not why."
        ),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": msg.ERROR_REASON_REQUIRED,
            "max_length": msg.ERROR_REASON_TOO_LONG,
        },
    )


class ArchiveRequestForm(forms.Form):
    """A ZIP of the certificates of one course in one part of the organisation."""

    authority = AuthorityChoiceField(
        label=_("Part of the organisation"),
        help_text=_("Includes all units below it."),
        queryset=Authority.objects.none(),
        error_messages={"invalid_choice": admin_msg.ERROR_ARCHIVE_OUT_OF_SCOPE},
    )
    course = CourseChoiceField(
        label=_("Course"),
        queryset=CoursePage.objects.none(),
        error_messages={"invalid_choice": admin_msg.ERROR_COURSE_NOT_AVAILABLE},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["authority"].queryset = authorities_visible_to(user=user).order_by("path")
        self.fields["course"].queryset = courses_with_certificates_for(user=user)
