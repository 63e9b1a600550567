"""Pages in the reader's language around content in the language it was written in.

Page content (titles, intros, lessons) is authored in the site's content language, German.
In English the learner-facing system pages (home page, catalogue, accessibility statement)
take their headings from translated strings, and German content on an English page is marked
lang="de" so that screen readers pronounce it right (WCAG 3.1.2).
"""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

register = template.Library()


def content_language() -> str:
    """The language pages are authored in (WAGTAIL_CONTENT_LANGUAGES, German)."""
    languages = getattr(settings, "WAGTAIL_CONTENT_LANGUAGES", None) or [(settings.LANGUAGE_CODE,)]
    return languages[0][0]


def _differs(language: str) -> bool:
    current = translation.get_language() or settings.LANGUAGE_CODE
    return translation.get_supported_language_variant(current) != language


@register.simple_tag
def content_lang(language=None):
    """` lang="de"` for an element holding content in another language than the page's."""
    language = language or content_language()
    return format_html(' lang="{}"', language) if _differs(language) else ""


@register.simple_tag
def system_heading(page, heading):
    """A system page's title as editors set it in the content language; otherwise the
    translated heading (a `{% translate %}` string given by the template)."""
    if page is not None and not _differs(content_language()):
        return page.title
    return heading
