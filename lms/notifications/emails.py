"""The e-mail of a notification, from the editable templates in templates/emails/.

Each kind has `<kind>_subject.txt`, `<kind>.txt` and `<kind>.html` (the HTML ones extend
`emails/base.html`, the text ones `emails/base.txt`), rendered in the person's language.
"""

import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from lms.people.models import User

from .selectors import Due

# RFC 3834: out-of-office replies and other robots do not answer this.
HEADERS = {"Auto-Submitted": "auto-generated"}


def language_of(user) -> str:
    """The person's language for e-mails; German unless they chose English."""
    return "en" if user.preferred_language == User.Language.ENGLISH else "de"


def centre_name(language: str) -> str:
    """The centre's name (site settings of the default site) in the e-mail's language."""
    from wagtail.models import Site

    from home.models import SiteIdentity

    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return settings.WAGTAIL_SITE_NAME
    return SiteIdentity.for_site(site).name_in(language)


def _tidy(text: str) -> str:
    """Template tags leave blank lines behind; keep at most one between paragraphs."""
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def email_build(*, due: Due) -> tuple[EmailMultiAlternatives, str]:
    """The e-mail for `due` and the language it is written in."""
    user = due.user
    language = language_of(user)
    context = {
        "user": user,
        "name": user.get_full_name() or user.email,
        "site_name": centre_name(language),
        **due.context,
    }
    with translation.override(language):
        subject = " ".join(render_to_string(f"emails/{due.kind}_subject.txt", context).split())
        context["subject"] = subject
        text = _tidy(render_to_string(f"emails/{due.kind}.txt", context))
        html = render_to_string(f"emails/{due.kind}.html", context)
    message = EmailMultiAlternatives(subject=subject, body=text, to=[user.email], headers=HEADERS)
    message.attach_alternative(html, "text/html")
    return message, language
