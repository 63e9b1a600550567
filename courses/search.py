"""Catalogue search: a normalised search text per course, matched by substrings.

Learners type word parts, compounds and inflected forms ("Onlinezugang", "barrierefrei",
"Passwort" for "Passwörter"); full-text tokens do not match those, and SQLite and PostgreSQL
tokenise differently. So every course keeps one row of normalised text (its title, its lessons'
titles and text, topics, summary) and a query matches when each of its stemmed terms is a
substring of it. The same plain `LIKE` runs on both databases. See docs/decisions/0019.
"""

import re
import unicodedata

from django.db import transaction
from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from wagtail import blocks
from wagtail.rich_text import get_text_for_indexing

# Hyphens and dashes inside a word join its parts: "E-Akte" is found as "eakte" and as "akte".
_JOINERS = re.compile(r"(?<=\w)[\-\u2010\u2011](?=\w)")
# Transliterated umlauts ("Passwoerter") fold like the umlauts themselves ("Passwörter").
_TRANSLITERATED = re.compile(r"(?<=[aou])e")
_NON_WORD = re.compile(r"[\W_]+")

# Inflection endings, German (Snowball's first step) and English, longest first.
_SUFFIXES = ("ern", "ing", "em", "en", "er", "es", "ed", "e", "s", "n")
_MIN_STEM = 4

# fmt: off
STOPWORDS = frozenset({
    "der", "die", "das", "des", "dem", "den", "ein", "eine", "einer", "eines", "einem", "einen",
    "und", "oder", "in", "im", "am", "an", "auf", "fur", "mit", "von", "vom", "zu", "zum", "zur",
    "bei", "aus", "als", "wie", "was", "ist", "sind",
    "the", "a", "and", "or", "of", "to", "for", "on", "with", "by", "at", "is", "are", "how",
    "what",
})
# fmt: on

# Weights of a term found in the course title, in a heading (lesson title, topic), elsewhere.
TITLE_WEIGHT, HEADING_WEIGHT, TEXT_WEIGHT = 4, 2, 1


def _fold_characters(text: str) -> str:
    """Lower case without accents: "Größe" → "grosse", "Übersicht" → "ubersicht"."""
    text = unicodedata.normalize("NFKD", text.casefold())  # casefold turns ß into ss
    return "".join(c for c in text if not unicodedata.combining(c)).replace("\u00ad", "")


def _words(text: str) -> list[str]:
    return _NON_WORD.sub(" ", _JOINERS.sub("", _fold_characters(text))).split()


def search_normalise(text: str) -> str:
    """The form every search text is stored in: folded words separated by single spaces."""
    return " ".join(_TRANSLITERATED.sub("", word) for word in _words(text))


def _stem(word: str) -> str:
    """A light stemmer: drops one inflection ending if a stem of four letters remains."""
    for suffix in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            return word[: -len(suffix)]
    return word


def search_terms(query: str) -> list[str]:
    """The query as stems that must each occur in a course's text; stopwords are left out
    unless the query has nothing else."""
    words = [word for word in _words(query) if len(word) > 1]
    content = [word for word in words if word not in STOPWORDS] or words
    terms = []
    for word in content:
        term = _TRANSLITERATED.sub("", _stem(word))
        if term not in terms:
            terms.append(term)
    return terms


def _block_text(block, value) -> list[str]:
    """The words a reader sees in a block, leaving out choices such as a heading's level."""
    if value is None or isinstance(block, blocks.ChoiceBlock):
        return []
    if isinstance(block, blocks.StreamBlock):
        return [text for child in value for text in _block_text(child.block, child.value)]
    if isinstance(block, blocks.StructBlock):
        return [
            text
            for name, child in block.child_blocks.items()
            for text in _block_text(child, value.get(name))
        ]
    if isinstance(block, blocks.ListBlock):
        return [text for item in value for text in _block_text(block.child_block, item)]
    return [str(text) for text in block.get_searchable_content(value)]


def course_search_texts(*, course, lessons, topics) -> dict[str, str]:
    """The normalised title, headings and text of a course with its live lessons and topics.

    Takes plain objects, so that the migration building the first rows can use it too.
    """
    headings = [lesson.title for lesson in lessons] + list(topics)
    parts = [
        course.title,
        *headings,
        course.summary,
        get_text_for_indexing(course.objectives or ""),
    ]
    parts.append(course.prerequisites or "")
    for lesson in lessons:
        parts.extend(_block_text(lesson.body.stream_block, lesson.body))
    return {
        "title": search_normalise(course.title),
        "headings": search_normalise(" \n ".join(headings)),
        "text": search_normalise(" \n ".join(parts)),
    }


@transaction.atomic
def course_search_text_update(*, course_id: int) -> None:
    """Rebuild a course's search text from its live content: its own fields as published,
    its live lessons, its topics."""
    from .models import CoursePage, CourseSearchText, LessonPage

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is None:
        return
    lessons = LessonPage.objects.child_of(course).live().order_by("path")
    topics = course.topics.values_list("name", flat=True)
    CourseSearchText.objects.update_or_create(
        course=course,
        defaults=course_search_texts(course=course, lessons=lessons, topics=topics),
    )


def course_search_text_refresh(*, page) -> None:
    """After a page was published, unpublished, moved or deleted: rebuild the search text of
    the course it is or belongs to."""
    from .models import CoursePage, LessonPage

    kind = getattr(page, "specific_class", None) or type(page)
    if issubclass(kind, CoursePage):
        course_search_text_update(course_id=page.pk)
    elif issubclass(kind, LessonPage):
        parent_path = page.path[: -page.steplen]
        for course_id in CoursePage.objects.filter(path=parent_path).values_list("pk", flat=True):
            course_search_text_update(course_id=course_id)


def courses_matching(courses: QuerySet, *, query: str) -> QuerySet:
    """The courses whose search text holds every term of the query, best first: a term in the
    title counts most, then in a lesson title or topic, then anywhere. One query, as before."""
    terms = search_terms(query)
    if not terms:
        return courses.none()  # signs alone: nothing to look for, and never a wildcard
    for term in terms:
        courses = courses.filter(search_text__text__contains=term)
    rank = Value(0, output_field=IntegerField())
    for term in terms:
        rank += Case(
            When(Q(search_text__title__contains=term), then=Value(TITLE_WEIGHT)),
            When(Q(search_text__headings__contains=term), then=Value(HEADING_WEIGHT)),
            default=Value(TEXT_WEIGHT),
            output_field=IntegerField(),
        )
    return courses.annotate(search_rank=rank).order_by("-search_rank", "title", "pk")
