from django import forms
from django.utils.translation import gettext_lazy as _

from . import messages as msg


class EraseConfirmForm(forms.Form):
    email = forms.CharField(label=_("E-mail address of the person"), max_length=254)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_email(self):
        email = self.cleaned_data["email"].strip().lower()
        if email != self.person.email.lower():
            raise forms.ValidationError(msg.ERROR_EMAIL_MISMATCH)
        return email
