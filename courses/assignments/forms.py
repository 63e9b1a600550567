"""Forms of the mandatory-training screens in the admin; choices are limited to the user's scope."""

from django import forms
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from lms.forms import AuthorityChoiceField, CourseChoiceField
from lms.people.models import Authority, User
from lms.people.selectors import authorities_visible_to, people_visible_to

from .. import messages as msg
from ..models import Assignment, AssignmentRule, CoursePage
from ..models.assignments import DUE_AFTER_DAYS_MAX, RECURRENCE_MONTHS_MAX
from ..selectors import courses_with_steps


def field_label(model, field_name):
    """A model field's verbose name as a label, so forms and lists share one translation."""
    return capfirst(model._meta.get_field(field_name).verbose_name)


class PeoplePickerWidget(forms.CheckboxSelectMultiple):
    """Checkboxes for the chosen people and for one page of search results, plus a search box.

    Only these are rendered, never everyone in scope. Without JavaScript the search button
    submits the form and the page comes back with the results; with it (people_picker.js) the
    results are fetched from `search_url` as the coordinator types.
    """

    template_name = "courses/admin/people_picker.html"

    class Media:
        js = ["courses/admin/people-picker.js"]

    search_url = ""
    query = ""
    results = None

    def _render(self, template_name, context, renderer=None):
        # From the project's templates, which the default form renderer does not search;
        # the template escapes what it shows.
        return render_to_string(template_name, context)

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"].update(search_url=self.search_url, query=self.query, results=self.results)
        return context


def person_label(person) -> str:
    where = f" – {person.authority.abbreviation}" if person.authority_id else ""
    return f"{person.get_full_name()} <{person.email}>{where}"


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    """People by id, each checked against the coordinator's scope when the form is cleaned."""

    widget = PeoplePickerWidget
    default_error_messages = {
        "invalid_choice": msg.ERROR_PERSON_OUT_OF_SCOPE,
        "invalid_pk_value": msg.ERROR_PERSON_OUT_OF_SCOPE,
    }

    def label_from_instance(self, obj):
        return person_label(obj)


def _live_courses():
    """Courses people can be enrolled in: live, with a live lesson or quiz."""
    return courses_with_steps(CoursePage.objects.live()).order_by("title")


class AssignmentForm(forms.Form):
    """Assign a course, with one due date, to everyone in a subtree and/or to selected people."""

    course = CourseChoiceField(
        label=field_label(Assignment, "course"), queryset=CoursePage.objects.none()
    )
    due_on = forms.DateField(
        label=_("Due date"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    authority = AuthorityChoiceField(
        label=field_label(Assignment, "authority"),
        help_text=Assignment._meta.get_field("authority").help_text,
        queryset=Authority.objects.none(),
        required=False,
    )
    people = PeopleChoiceField(
        label=_("Selected people"),
        help_text=_(
            "Search by name, e-mail address or personnel number; only active people you are "
            "responsible for are found."
        ),
        queryset=User.objects.none(),
        required=False,
    )

    def __init__(self, *args, user, search_url="", query="", results=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = _live_courses()
        self.fields["authority"].queryset = authorities_visible_to(user=user)
        in_scope = people_visible_to(user=user).filter(is_active=True).select_related("authority")
        field = self.fields["people"]
        field.queryset = in_scope
        # Render the chosen people and one page of results, not everyone in scope.
        chosen_ids = [pk for pk in self._chosen_ids() if str(pk).isdigit()]
        chosen = list(in_scope.filter(pk__in=chosen_ids)) if chosen_ids else []
        found = [p for p in (results or []) if p.pk not in {c.pk for c in chosen}]
        widget = field.widget
        widget.choices = [(p.pk, person_label(p)) for p in chosen + found]
        widget.search_url, widget.query, widget.results = search_url, query, results

    def _chosen_ids(self):
        if self.is_bound:
            key = self.add_prefix("people")
            if hasattr(self.data, "getlist"):
                return self.data.getlist(key)
            value = self.data.get(key) or []
            return value if isinstance(value, list | tuple) else [value]
        return [getattr(p, "pk", p) for p in self.initial.get("people") or []]

    def clean_due_on(self):
        due_on = self.cleaned_data["due_on"]
        if due_on < timezone.localdate():
            raise forms.ValidationError(msg.ERROR_DUE_IN_PAST, code="due_in_past")
        return due_on

    def clean(self):
        cleaned_data = super().clean()
        no_authority = not cleaned_data.get("authority") and "authority" not in self.errors
        no_people = not cleaned_data.get("people") and "people" not in self.errors
        if no_authority and no_people:
            raise forms.ValidationError(msg.ERROR_NO_TARGET, code="no_target")
        return cleaned_data


RECURRENCE_HELP = _(
    "Leave empty for training done once; e.g. 12 for annual training. The new round starts "
    "shortly before the last completion is that many months old."
)


def _due_after_days_field():
    return forms.IntegerField(
        label=field_label(AssignmentRule, "due_after_days"),
        help_text=AssignmentRule._meta.get_field("due_after_days").help_text,
        min_value=1,
        max_value=DUE_AFTER_DAYS_MAX,
        initial=30,
    )


def _recurrence_months_field():
    return forms.IntegerField(
        label=field_label(AssignmentRule, "recurrence_months"),
        help_text=RECURRENCE_HELP,
        min_value=1,
        max_value=RECURRENCE_MONTHS_MAX,
        required=False,
    )


class AssignmentRuleForm(forms.Form):
    """A standing rule: everyone in a subtree, now and when joining later, due after N days;
    optionally again every N months after completing it."""

    course = CourseChoiceField(
        label=field_label(AssignmentRule, "course"), queryset=CoursePage.objects.none()
    )
    authority = AuthorityChoiceField(
        label=field_label(AssignmentRule, "authority"),
        help_text=Assignment._meta.get_field("authority").help_text,
        queryset=Authority.objects.none(),
    )
    due_after_days = _due_after_days_field()
    recurrence_months = _recurrence_months_field()

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["course"].queryset = _live_courses()
        self.fields["authority"].queryset = authorities_visible_to(user=user)


class AssignmentRuleEditForm(forms.Form):
    """What may change in a rule: its days, its recurrence, and whether it is active."""

    due_after_days = _due_after_days_field()
    recurrence_months = _recurrence_months_field()
    active = forms.BooleanField(
        label=field_label(AssignmentRule, "active"),
        help_text=_(
            "An inactive rule assigns the course to nobody who joins and starts no new rounds; "
            "what it assigned stays. Made active again, it applies to everyone in the subtree."
        ),
        required=False,
    )

    @classmethod
    def for_rule(cls, rule: AssignmentRule, data=None):
        initial = {
            "due_after_days": rule.due_after_days,
            "recurrence_months": rule.recurrence_months,
            "active": rule.active,
        }
        return cls(data, initial=initial)


REASON_MAX = 500


def _due_field(label):
    return forms.DateField(
        label=label, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class AssignmentDueForm(forms.Form):
    """A new due date for everyone with an open enrolment from the assignment."""

    due_on = _due_field(_("New due date"))
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ExtensionForm(forms.Form):
    """A later due date for one person, with the reason it was granted."""

    due_on = _due_field(_("New due date"))
    reason = forms.CharField(
        label=_("Reason"), max_length=REASON_MAX, widget=forms.Textarea(attrs={"rows": 2})
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
