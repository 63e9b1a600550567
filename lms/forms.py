"""Form fields shared by the apps."""

from django import forms
from django.core.exceptions import ValidationError

# The largest id a BigAutoField holds; larger numbers would overflow SQLite's integer.
MAX_ID = 2**63 - 1


class IdChoiceField(forms.ModelChoiceField):
    """A model choice by id where an id no database could hold is an invalid choice, like
    any other unknown id (not an OverflowError from the database)."""

    def to_python(self, value):
        if value not in self.empty_values:
            text = str(value).strip()
            # ASCII digits only: "²" is a digit to isdigit() that int() cannot read, and the
            # length check keeps int() from numbers longer than it converts.
            digits = text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))
            if not digits or not 0 < int(text) <= MAX_ID:
                raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class AuthorityChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.indented_name()


class CourseChoiceField(IdChoiceField):
    def label_from_instance(self, obj):
        return obj.title
