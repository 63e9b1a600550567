"""Rich text as learners get it: only the markup Wagtail's editor features produce.

The editor's converter already drops what its features do not allow, but rich text also reaches
the database without it (shell, data migrations, imports), and Wagtail's ``expand_db_html`` only
rewrites its own ``<a linktype>`` and ``<embed>`` tags. So the expanded HTML is cleaned on every
rendering, by ammonia (through nh3): an allowlist of elements and attributes, URLs in ``href``
and ``src`` only relative or http(s)/mailto/tel, and frames only from the video players the
Content-Security-Policy allows (as lms.security.embeds does for video blocks).

Both ways Wagtail renders rich text, the ``richtext`` filter and ``RichText`` values of
``RichTextBlock``, go through the template ``wagtailcore/shared/richtext.html``, which this
project overrides to call :func:`rich_text_clean`.
"""

from functools import cache

import nh3
from django.conf import settings

from .csp import origin_of
from .embeds import IFRAME_ATTRIBUTES

TAGS = {
    # Wagtail's editor features: headings, bold, italic, lists, links, line breaks, rules,
    # code, superscript, subscript, strikethrough, blockquote.
    *("p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"),
    *("b", "strong", "i", "em", "u", "s", "sub", "sup", "code", "blockquote"),
    *("ul", "ol", "li", "a", "span"),
    # What Wagtail's image and media embeds expand to.
    *("img", "div", "iframe"),
}
ATTRIBUTES = {
    "*": {"lang", "dir"},
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "ol": {"start"},
    "iframe": IFRAME_ATTRIBUTES,
}
CLASSES = {
    "img": {"richtext-image", "left", "right", "full-width"},
    "div": {"responsive-object"},
}
# Removed with everything inside them, not just their tags: their content is code or markup
# that would otherwise show up as stray text.
CONTENT_REMOVED = {"script", "style", "template", "noscript", "svg", "math", "object", "embed"}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _frame_sources_allowed(element, attribute, value):
    """Keeps an iframe's address only when it leads to an allowed video player."""
    if element == "iframe" and attribute == "src":
        return value if origin_of(value) in settings.CSP_FRAME_ORIGINS else None
    return value


@cache
def _cleaner():
    return nh3.Cleaner(
        tags=TAGS,
        clean_content_tags=CONTENT_REMOVED,
        attributes=ATTRIBUTES,
        allowed_classes=CLASSES,
        attribute_filter=_frame_sources_allowed,
        url_schemes=URL_SCHEMES,
        # Links stay as written: no target attribute is allowed, so there is no opener to hide.
        link_rel=None,
        strip_comments=True,
    )


def rich_text_clean(html: str) -> str:
    """The HTML with only the allowed markup: nothing a browser would run."""
    return _cleaner().clean(html or "")
