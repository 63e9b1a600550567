"""The readable half of a data export: one HTML page beside `data.json`, in the person's language.

It is rendered from the same data as `data.json` (`exports.person_data`), so it shows nothing
that the JSON does not: quiz attempts come as their owner's public view, secrets as withheld.
Every registered kind of record appears, grouped as on the processing-activities page; kinds
with no record about the person are listed by name at the end.
"""

import json
from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext

from lms.personal_data.registry import registry

QUIZ_ATTEMPTS = "courses.QuizAttempt"
WITHHELD = "[withheld]"


def _label(model, name) -> str:
    try:
        return capfirst(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return capfirst(name.replace("_", " "))


def _choices(model, name) -> dict:
    try:
        return dict(model._meta.get_field(name).flatchoices)
    except FieldDoesNotExist:
        return {}


def _display(value, choices=None) -> str:
    """A value as a person reads it."""
    if value is None or value == "" or value == [] or value == {}:
        return "–"
    if value == WITHHELD:
        return gettext("withheld (not exported)")
    if choices and isinstance(value, str) and value in choices:
        return str(choices[value])
    if value == "self":
        return gettext("you")
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT")
    if isinstance(value, date):
        return formats.date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, Decimal | float | int):
        return formats.number_format(value)
    if isinstance(value, dict) and set(value) == {"id", "name"}:
        return str(value["name"])
    if isinstance(value, list):
        return ", ".join(_display(item) for item in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def _shown_with(question: dict) -> list[tuple[str, list[str]]]:
    """What the learner was given to answer with, besides the prompt."""
    texts = [item["text"] for item in question.get("options") or question.get("items") or []]
    if question.get("options"):
        return [(gettext("Answers to choose from:"), texts)]
    if question.get("items"):
        return [(gettext("Items to put in order:"), texts)]
    if question.get("lefts"):
        return [
            (gettext("Items to match:"), [left["text"] for left in question["lefts"]]),
            (gettext("Matches to choose from:"), [right["text"] for right in question["rights"]]),
        ]
    return []


def _attempt(attempt: dict) -> dict:
    questions = [
        {**question, "shown_with": _shown_with(question)} for question in attempt["questions"]
    ]
    return {**attempt, "questions": questions}


def _record(declaration, record: dict) -> dict:
    model = declaration.model
    rows = record["rows"]
    columns = []
    if declaration.label != QUIZ_ATTEMPTS:
        names = [name for name in (rows[0] if rows else {}) if name != "id"]
        columns = [(name, _label(model, name), _choices(model, name)) for name in names]
    headings = [label for _name, label, _choices_ in columns]
    values = [
        [_display(row.get(name), choices) for name, _label_, choices in columns] for row in rows
    ]
    return {
        "label": declaration.label,
        "name": record["name"],
        "purpose": record["purpose"],
        "legal_basis": record["legal_basis"],
        "retention": record["retention"],
        "headings": headings,
        "rows": values,
        # One record reads better as a list of facts than as a table of one row.
        "facts": list(zip(headings, values[0], strict=True)) if len(values) == 1 else None,
        "attempts": [_attempt(row) for row in rows] if declaration.label == QUIZ_ATTEMPTS else None,
    }


def summary_html(*, person, data: dict) -> str:
    """The page, rendered in the active language (the export is built in the person's)."""
    records = data["records"]
    categories, empty = [], []
    for category, declarations in registry.by_category():
        shown = []
        for declaration in declarations:
            record = records.get(declaration.label)
            if record is None:
                continue
            if record["rows"]:
                shown.append(_record(declaration, record))
            else:
                empty.append(record["name"])
        if shown:
            categories.append((category.label, shown))
    return render_to_string(
        "privacy/export_summary.html",
        {
            "person": person,
            "created_at": _display(data["created_at"]),
            "categories": categories,
            "empty": sorted(empty),
        },
    )
