"""What confirming an assignment or a rule will do, in words, for the preview step."""

from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .selectors import AssignmentPreview, RulePreview, recurrence_lead_days

RULE_INACTIVE = _(
    "The rule will be inactive: it assigns the course to nobody who joins and starts no new "
    "rounds. What it assigned stays."
)


def number_text(number) -> str:
    """A count as people read it in their language: 1.240 in German, 1,240 in English."""
    return number_format(number, force_grouping=True)


def _completed_sentence(preview: AssignmentPreview) -> list[str]:
    if not preview.completed:
        return []
    return [
        ngettext(
            "%(count)s of them has already completed it; the completion stays.",
            "%(count)s of them have already completed it; the completion stays.",
            preview.completed,
        )
        % {"count": number_text(preview.completed)}
    ]


def assignment_preview_sentences(preview: AssignmentPreview) -> list[str]:
    """What assigning does, in words: "This assigns the course to 1,240 people (12 of them
    already enrolled)." and how many of those completed it."""
    values = {"count": number_text(preview.people), "enrolled": number_text(preview.enrolled)}
    if preview.enrolled:
        first = ngettext(
            "This assigns the course to %(count)s person (%(enrolled)s of them already enrolled).",
            "This assigns the course to %(count)s people (%(enrolled)s of them already enrolled).",
            preview.people,
        )
    else:
        first = ngettext(
            "This assigns the course to %(count)s person.",
            "This assigns the course to %(count)s people.",
            preview.people,
        )
    return [first % values, *_completed_sentence(preview)]


def _recurrence_sentences(preview: RulePreview) -> list[str]:
    months = preview.recurrence_months
    if not months:
        return []
    days = recurrence_lead_days(months)
    sentences = [
        ngettext(
            "The course is due again %(months)s month after each completion.",
            "The course is due again %(months)s months after each completion.",
            months,
        )
        % {"months": number_text(months)},
        ngettext(
            "The new round starts %(days)s day before.",
            "The new round starts %(days)s days before.",
            days,
        )
        % {"days": number_text(days)},
    ]
    if preview.renew_now:
        sentences.append(
            ngettext(
                "For %(count)s person who completed it long enough ago, the new round starts now.",
                "For %(count)s people who completed it long enough ago, the new round starts now.",
                preview.renew_now,
            )
            % {"count": number_text(preview.renew_now)}
        )
    if preview.next_round_on:
        sentences.append(
            _("The next new round starts on %(date)s.")
            % {"date": date_format(preview.next_round_on, "SHORT_DATE_FORMAT")}
        )
    return sentences


def rule_preview_sentences(preview: RulePreview, *, applies_now: bool = True) -> list[str]:
    """What saving a rule does, in words: "This rule assigns the course to 1,240 people (12 of
    them already enrolled), and later to everyone who joins.", how many of those completed it,
    and for a recurrence when the new rounds start. `applies_now` is False for a rule that is
    active already and stays so: it reached its people before."""
    values = {"count": number_text(preview.people), "enrolled": number_text(preview.enrolled)}
    if not applies_now:
        first = ngettext(
            "The rule covers %(count)s person now (%(enrolled)s of them enrolled); "
            "a changed number of days applies to people who join from now on.",
            "The rule covers %(count)s people now (%(enrolled)s of them enrolled); "
            "a changed number of days applies to people who join from now on.",
            preview.people,
        )
    elif preview.enrolled:
        first = ngettext(
            "This rule assigns the course to %(count)s person (%(enrolled)s of them already "
            "enrolled), and later to everyone who joins.",
            "This rule assigns the course to %(count)s people (%(enrolled)s of them already "
            "enrolled), and later to everyone who joins.",
            preview.people,
        )
    else:
        first = ngettext(
            "This rule assigns the course to %(count)s person, and later to everyone who joins.",
            "This rule assigns the course to %(count)s people, and later to everyone who joins.",
            preview.people,
        )
    return [first % values, *_completed_sentence(preview), *_recurrence_sentences(preview)]
