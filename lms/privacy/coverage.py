"""Which models look as if they held personal data, and which of those the registry misses.

A model holds personal data by these rules when one of its own fields (inherited table fields
are checked on the parent model) is
1. a foreign key, one-to-one or many-to-many relation to the user model;
2. named like personal data (PERSONAL_FIELD_NAMES);
3. a foreign key or one-to-one relation that cascades from a model whose rows are deleted with
   a person's records: what is deleted with them is about the same person (LessonProgress under
   Enrolment, SocialToken under SocialAccount).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import models

from lms.personal_data.registry import Erasure, Registry

#: Parts of field names that suggest personal data on any model. A name matches when it
#: contains one of them as whole underscore-separated words: "contact_email" and "client_ip"
#: match, "emailed" and "description" do not. A bare "name" is left out on purpose: here it names
#: authorities, tags, workflows, collections and tokens; people's names are first and last names.
PERSONAL_FIELD_NAMES = (
    "email",
    "first_name",
    "last_name",
    "full_name",
    "given_name",
    "family_name",
    "surname",
    "author_name",
    "birthday",
    "birth_date",
    "date_of_birth",
    "phone",
    "telephone",
    "mobile",
    "fax",
    "address",
    "street",
    "postcode",
    "ip",
    "remote_addr",
    "user_agent",
    "personnel_number",
)


def looks_personal(name: str) -> bool:
    padded = f"_{name.lower()}_"
    return any(f"_{part}_" in padded for part in PERSONAL_FIELD_NAMES)


def _own_fields(model) -> list[models.Field]:
    opts = model._meta
    return [
        f
        for f in [*opts.local_fields, *opts.local_many_to_many]
        if not (f.one_to_one and f.remote_field.parent_link)
    ]


def personal_fields(model) -> list[models.Field]:
    """The model's own fields that point to a person or are named like personal data."""
    user_model = get_user_model()
    return [
        f
        for f in _own_fields(model)
        if (f.is_relation and f.related_model is user_model) or looks_personal(f.name)
    ]


def _cascades_from_erased(model, registry: Registry) -> list[models.Field]:
    found = []
    for f in _own_fields(model):
        if not (f.many_to_one or f.one_to_one):
            continue
        declaration = registry.declaration_for(f.related_model)
        if (
            declaration is not None
            and declaration.erasure == Erasure.DELETE
            and f.remote_field.on_delete is models.CASCADE
        ):
            found.append(f)
    return found


@dataclass(frozen=True)
class Finding:
    model: type[models.Model]
    fields: tuple[str, ...]
    problem: str

    def __str__(self):
        return f"{self.model._meta.label} ({', '.join(self.fields)}): {self.problem}"


NOT_DECLARED = (
    "holds personal data but is neither registered nor exempted in lms.privacy; "
    "declare it in its app's privacy.py"
)
NOT_NAMED = "looks personal but its declaration names it neither in `person` nor in `holds`"


def unaccounted(models_: Iterable[type[models.Model]], *, registry: Registry) -> list[Finding]:
    """Models holding personal data that the registry does not account for.

    Also registered models with a personal-looking field their declaration does not name, so that
    a field added later is declared too.
    """
    findings = []
    for model in models_:
        if model._meta.proxy or model in registry.exemptions:
            continue
        declaration = registry.declaration_for(model)
        if declaration is None:
            fields = [*personal_fields(model), *_cascades_from_erased(model, registry)]
            if fields:
                names = tuple(dict.fromkeys(f.name for f in fields))
                findings.append(Finding(model, names, NOT_DECLARED))
            continue
        named = {*declaration.person, *declaration.holds}
        missing = tuple(f.name for f in personal_fields(model) if f.name not in named)
        if missing:
            findings.append(Finding(model, missing, NOT_NAMED))
    return findings
