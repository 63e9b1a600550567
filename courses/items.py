"""Learning items: what a person can be assigned, make progress in and complete.

A course is one today; a package module, a seminar or a programme is the next. Assignments and
rules, due dates, reminders, the compliance report and certificate issuing ask a learning item
only what `LearningItem` offers, so a new kind implements this class instead of being taught to
each of them (docs/decisions/0027-learning-items.md says what else it still has to do).

The participation record (`Enrolment`), the certificate and the event log still point at
`CoursePage`: the interface is the part that is generic today, not the foreign keys.
"""

from dataclasses import dataclass

from django.apps import apps

from lms.public_urls import page_public_url


@dataclass(frozen=True)
class ItemProgress:
    """Where one participation stands by the item's own rule: the percentage shown and whether
    the item is complete."""

    percent: int
    complete: bool


class LearningItem:
    """Mixed into a Wagtail page model that people can be assigned and complete.

    The page's `title` is the item's title everywhere. Everything else the consumers need is
    one of these attributes; a kind overrides what differs from the defaults.
    """

    # What one item of the kind is called in lists and e-mails ("Kurs", "Seminar", …).
    item_kind_label = None

    @property
    def item_title(self) -> str:
        return self.title

    def item_learner_url(self) -> str | None:
        """The absolute link a learner follows from an e-mail or a certificate."""
        return page_public_url(self)

    @property
    def item_assignable(self) -> bool:
        """Whether HR can assign it now (published, and something to do in it)."""
        raise NotImplementedError

    @property
    def item_mandatory(self) -> bool:
        """Shown as mandatory training; its certificates are renewed before they expire."""
        return False

    @property
    def item_certificate_template_id(self) -> int | None:
        """The certificate template completing it issues with; None: no certificate."""
        return None

    @property
    def item_certificate_template(self):
        return None

    @property
    def item_validity_months(self) -> int | None:
        """How long a completion (and its certificate) is valid; None: it does not expire."""
        return None

    @property
    def item_duration_minutes(self) -> int | None:
        """The time it takes, as a certificate prints it."""
        return None

    def item_progress(self, *, enrolment) -> ItemProgress:
        """The item's completion rule applied to one participation (courses.completion calls
        it and does what follows a completion)."""
        raise NotImplementedError


def learning_item_types() -> list[type]:
    """The page models that are learning items, in the order their apps are installed."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, LearningItem) and not model._meta.abstract
    ]
