"""The personal-data registry: which models hold data about people, why, and for how long.

Each app declares its own models in a `privacy` module (`courses/privacy.py`), loaded by
lms.privacy when the apps are ready; Django's, Wagtail's and allauth's models are declared in
`lms.privacy.dependencies`. The registry lies in the ground layer so that every app may import
it; what reads it (export, erasure, retention) is lms.privacy. A model that merely refers to
people is exempted with a reason.
`tests/privacy/test_registry.py` fails for any model that holds personal data and is neither.

What a later deletion job needs is on each declaration: the model, the paths from it to the
person (`person`), the date fields that start the retention clock and the days
(`retention`), and whether rows are deleted or anonymised (`erasure`).

A model whose rows hold something that may not leave the server as stored (a quiz attempt holds
its answer key) names its owner's public view as `export`; the data export uses it instead of
its field-by-field dump.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from functools import reduce
from operator import or_

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ImproperlyConfigured
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Groups on the processing-activities page, in this order."""

    ACCOUNTS = "accounts", _("Accounts and organisation")
    LEARNING = "learning", _("Learning records")
    SIGN_IN = "sign_in", _("Sign-in and security")
    STAFF_WORK = "staff_work", _("Editing and administration by staff")
    AUDIT = "audit", _("Change history")


class Erasure(models.TextChoices):
    """What happens to a row once its retention ends or its person's account is deleted.

    ANONYMISE clears the `person` links and keeps the row: content, versions and reviews outlive
    the accounts of the people who wrote them.
    """

    DELETE = "delete", _("Deleted.")
    ANONYMISE = "anonymise", _("Anonymised: the links to the person are removed, the record stays.")


@dataclass(frozen=True)
class Retention:
    """How long rows are kept.

    With `setting`: that many days of `settings.PRIVACY_RETENTION_DAYS` after the first of the
    `after` date fields (paths allowed) that is set; rows where none is set are not due. Without:
    `until` says in words what ends the storage, typically the person's account.
    """

    setting: str | None = None
    after: tuple[str, ...] = ()
    until: str = ""

    @classmethod
    def days_after(cls, setting: str, *after: str) -> "Retention":
        return cls(setting=setting, after=after)

    @classmethod
    def as_long_as(cls, until) -> "Retention":
        return cls(until=until)

    def days(self) -> int | None:
        if self.setting is None:
            return None
        configured = getattr(settings, "PRIVACY_RETENTION_DAYS", {})
        if self.setting not in configured:
            raise ImproperlyConfigured(
                f"PRIVACY_RETENTION_DAYS has no entry {self.setting!r} (lms.privacy)."
            )
        days = configured[self.setting]
        if not isinstance(days, int) or isinstance(days, bool) or days < 0:
            raise ImproperlyConfigured(
                f"PRIVACY_RETENTION_DAYS[{self.setting!r}] must be a whole number of days >= 0."
            )
        return days


WITH_ACCOUNT = Retention.as_long_as(_("As long as the person's account."))


@dataclass(frozen=True)
class Declaration:
    """One model that holds personal data.

    `person`: paths from the model to the person's user row, e.g. "user" or "enrolment__user";
    "pk" on the user model itself; empty where the link is not queryable (sessions).
    `holds`: the model's other fields with data about the person.
    `export`: the owning app's public view of the rows, `export(rows=..., person=...)` giving
    JSON-ready dicts; None: every field is exported (secrets withheld, lms.privacy.exports).
    """

    model: type[models.Model]
    category: Category
    person: tuple[str, ...]
    holds: tuple[str, ...]
    purpose: str
    legal_basis: str
    retention: Retention
    erasure: Erasure
    export: Callable[..., list[dict]] | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    @property
    def verbose_name(self) -> str:
        return capfirst(self.model._meta.verbose_name_plural)

    def person_fields(self) -> list[models.Field]:
        """The model's own fields that point to the person (paths through others left out)."""
        return [
            self.model._meta.get_field(path)
            for path in self.person
            if path != "pk" and "__" not in path
        ]

    def held_fields(self) -> list[models.Field]:
        return [self.model._meta.get_field(name) for name in self.holds]

    def rows_of(self, user) -> models.QuerySet:
        """The rows about this person."""
        manager = self.model._default_manager
        if not self.person:
            return manager.none()
        return manager.filter(reduce(or_, (Q(**{path: user.pk}) for path in self.person)))

    def expired_rows(self, *, now=None) -> models.QuerySet:
        """The rows whose retention period has ended (none where the period is the account's)."""
        manager = self.model._default_manager
        days = self.retention.days()
        if days is None:
            return manager.none()
        after = self.retention.after
        clock = Coalesce(*after) if len(after) > 1 else F(after[0])
        cutoff = (now or timezone.now()) - timedelta(days=days)
        return manager.alias(privacy_clock=clock).filter(privacy_clock__lt=cutoff)

    def retention_text(self) -> str:
        if self.retention.setting is None:
            return str(self.retention.until)
        days = self.retention.days()
        first, *fallbacks = (_clock_name(self.model, path) for path in self.retention.after)
        starts = first
        for fallback in fallbacks:
            starts = gettext("%(start)s (if empty: %(fallback)s)") % {
                "start": starts,
                "fallback": fallback,
            }
        if days == 0:
            return gettext("Until %(start)s.") % {"start": starts}
        return ngettext("%(days)s day after %(start)s.", "%(days)s days after %(start)s.", days) % {
            "days": days,
            "start": starts,
        }

    def problems(self) -> list[str]:
        """What is wrong with this declaration; empty when it is complete and consistent."""
        found = []
        for name in self.holds:
            if "__" in name or not _has_field(self.model, name):
                found.append(f"holds {name!r}, which is not a field of {self.label}")
        user_model = get_user_model()
        for path in self.person:
            if path == "pk":
                if self.model is not user_model:
                    found.append(f"person 'pk' is only for {user_model._meta.label}")
                continue
            target = _field_at(self.model, path)
            if target is None or target.related_model is not user_model:
                found.append(f"person {path!r} does not lead to {user_model._meta.label}")
        if not self.person and not self.holds:
            found.append("names neither a person nor the fields it holds")
        for text, what in ((self.purpose, "purpose"), (self.legal_basis, "legal basis")):
            if not str(text).strip():
                found.append(f"has no {what}")
        found.extend(self._retention_problems())
        return found

    def _retention_problems(self) -> list[str]:
        retention = self.retention
        if retention.setting is None:
            return [] if str(retention.until).strip() else ["has no retention"]
        found = []
        try:
            retention.days()
        except ImproperlyConfigured as error:
            found.append(str(error))
        if not retention.after:
            found.append("names no date that starts the retention period")
        for path in retention.after:
            if not isinstance(_field_at(self.model, path), models.DateTimeField):
                found.append(f"retention starts at {path!r}, which is not a date and time field")
        return found


def _clock_name(model, path) -> str:
    """“Submitted”, or “Enrolment: completed” for a date on a related record."""
    clock = _field_at(model, path)
    name = capfirst(clock.verbose_name)
    if clock.model is not model:
        name = f"{capfirst(clock.model._meta.verbose_name)}: {clock.verbose_name}"
    return f"“{name}”"


def _has_field(model, name) -> bool:
    try:
        model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return True


def _field_at(model, path) -> models.Field | None:
    """The field a query path such as "enrolment__user" ends at, or None."""
    target = None
    for name in path.split("__"):
        if model is None or not _has_field(model, name):
            return None
        target = model._meta.get_field(name)
        model = target.related_model
    return target


@dataclass
class Registry:
    declarations: list[Declaration] = field(default_factory=list)
    # Model -> why it is not registered although it looks as if it held personal data.
    exemptions: dict[type[models.Model], str] = field(default_factory=dict)

    def register(
        self,
        model_label: str,
        *,
        category: Category,
        person: str | Iterable[str] = "user",
        holds: Iterable[str] = (),
        purpose,
        legal_basis,
        retention: Retention,
        erasure: Erasure,
        export: Callable[..., list[dict]] | None = None,
    ) -> Declaration:
        model = apps.get_model(model_label)
        self._ensure_new(model)
        declaration = Declaration(
            model=model,
            category=Category(category),
            person=(person,) if isinstance(person, str) else tuple(person),
            holds=tuple(holds),
            purpose=purpose,
            legal_basis=legal_basis,
            retention=retention,
            erasure=Erasure(erasure),
            export=export,
        )
        self.declarations.append(declaration)
        return declaration

    def exempt(self, model_label: str, *, reason) -> None:
        model = apps.get_model(model_label)
        self._ensure_new(model)
        if not str(reason).strip():
            raise ImproperlyConfigured(f"Exempting {model_label} from lms.privacy needs a reason.")
        self.exemptions[model] = reason

    def declaration_for(self, model) -> Declaration | None:
        return next((d for d in self.declarations if d.model is model), None)

    def by_category(self) -> list[tuple[Category, list[Declaration]]]:
        return [
            (category, [d for d in self.declarations if d.category == category])
            for category in Category
            if any(d.category == category for d in self.declarations)
        ]

    def _ensure_new(self, model) -> None:
        if self.declaration_for(model) or model in self.exemptions:
            raise ImproperlyConfigured(f"{model._meta.label} is already in lms.privacy.")


registry = Registry()
register = registry.register
exempt = registry.exempt
