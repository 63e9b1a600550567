from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.users.forms import UserCreationForm, UserEditForm

from lms.forms import AuthorityChoiceField

from .adapters import email_domain_allows_signup
from .messages import ERROR_SIGNUP_DOMAIN
from .models import Authority, AuthorityKind, User
from .services import (
    ERROR_ABBREVIATION_TAKEN,
    authority_create,
    authority_update,
    authority_validate_position,
    user_email_address_sync,
    user_hr_scopes_set,
    user_move,
)


class PersonFieldsMixin(forms.Form):
    """Fields of our user model that Wagtail's user forms do not know."""

    authority = AuthorityChoiceField(
        queryset=Authority.objects.all(), required=False, label=_("Authority")
    )
    hr_scopes = forms.ModelMultipleChoiceField(
        queryset=Authority.objects.all(),
        required=False,
        label=_("HR scopes"),
        help_text=_("Subtrees of the organisation this person coordinates as HR."),
        widget=forms.SelectMultiple(attrs={"size": 10}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hr_scopes"].label_from_instance = lambda a: a.indented_name()
        if self.instance.pk:
            self.fields["hr_scopes"].initial = list(
                self.instance.hr_scopes.values_list("authority_id", flat=True)
            )

    @transaction.atomic
    def save(self, commit=True):
        authority = self.cleaned_data.get("authority")
        user = super().save(commit=commit)
        if commit:
            user_move(user=user, authority=authority)
            user_email_address_sync(user=user)
            user.__dict__.pop("roles", None)  # groups were just saved
            user.__dict__.pop("group_names", None)
            user_hr_scopes_set(user=user, scopes=list(self.cleaned_data.get("hr_scopes") or []))
        return user


_person_fields = {"authority", "personnel_number", "preferred_language"}


class PersonCreationForm(PersonFieldsMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = UserCreationForm.Meta.fields | _person_fields


class PersonEditForm(PersonFieldsMixin, UserEditForm):
    class Meta(UserEditForm.Meta):
        model = User
        fields = UserEditForm.Meta.fields | _person_fields


class AuthorityForm(WagtailAdminModelForm):
    """Edits a node and its place in the tree through the people services."""

    parent = AuthorityChoiceField(
        queryset=Authority.objects.all(),
        required=False,
        label=_("Parent"),
        help_text=_("Leave empty for a ministry (top level)."),
    )

    class Meta:
        model = Authority
        fields = ["name", "abbreviation", "kind"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["parent"].initial = self.instance.get_parent()
            self.fields["parent"].queryset = Authority.objects.exclude(
                path__startswith=self.instance.path
            )

    def clean_abbreviation(self):
        abbreviation = self.cleaned_data["abbreviation"].strip()
        taken = Authority.objects.filter(abbreviation__iexact=abbreviation)
        if taken.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                ERROR_ABBREVIATION_TAKEN, params={"abbreviation": abbreviation}
            )
        return abbreviation

    def clean(self):
        cleaned = super().clean()
        kind = cleaned.get("kind")
        if kind:
            try:
                authority_validate_position(
                    kind=AuthorityKind(kind), parent=cleaned.get("parent"), node=self.instance
                )
            except forms.ValidationError as error:
                self.add_error("parent", error)
        return cleaned

    def save(self, commit=True):
        data = {key: self.cleaned_data[key] for key in ("name", "abbreviation", "kind")}
        parent = self.cleaned_data.get("parent")
        if self.instance.pk:
            self.instance = authority_update(authority=self.instance, parent=parent, **data)
        else:
            self.instance = authority_create(parent=parent, **data)
        return self.instance


class SignupForm(AllauthSignupForm):
    """Self-signup, open only to the e-mail domains listed in ACCOUNT_SIGNUP_DOMAINS."""

    def clean_email(self):
        email = super().clean_email()
        if not email_domain_allows_signup(email):
            raise forms.ValidationError(ERROR_SIGNUP_DOMAIN, code="signup_domain")
        return email
