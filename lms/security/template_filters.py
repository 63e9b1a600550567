"""Template filters of lms.security, loaded as ``{% load rich_text %}`` (TEMPLATES libraries)."""

from django import template
from django.utils.safestring import mark_safe

from .rich_text import rich_text_clean

register = template.Library()


@register.filter(name="rich_text_clean")
def rich_text_clean_filter(html):
    """Expanded rich text HTML, cleaned (lms.security.rich_text) and so safe to output."""
    return mark_safe(rich_text_clean(str(html)))  # noqa: S308 - the cleaner's output
