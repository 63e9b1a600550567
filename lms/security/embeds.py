"""Video embeds for lessons: YouTube and Vimeo only, in their privacy-enhanced modes.

YouTube's player is loaded from youtube-nocookie.com (no cookies until the video plays) and
Vimeo's with ``dnt=1`` (no tracking). Only the player iframes are kept from the provider's HTML,
and only from the origins the site's Content-Security-Policy allows in ``frame-src``; any other
address is refused when the trainer saves the lesson ("no embed found"), instead of showing
learners a frame that the browser blocks.
"""

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from bs4 import BeautifulSoup
from django.conf import settings
from wagtail.embeds.exceptions import EmbedNotFoundException
from wagtail.embeds.finders.oembed import OEmbedFinder
from wagtail.embeds.oembed_providers import vimeo, youtube

from .csp import origin_of

# Attributes of the provider's iframe worth keeping; style and event handlers are dropped.
IFRAME_ATTRIBUTES = {
    "src",
    "width",
    "height",
    "title",
    "allow",
    "allowfullscreen",
    "referrerpolicy",
    "frameborder",
    "loading",
}


def privacy_enhanced_src(src):
    parts = urlsplit(src)
    host = parts.netloc.lower()
    if host in ("www.youtube.com", "youtube.com") and parts.path.startswith("/embed/"):
        return urlunsplit(parts._replace(scheme="https", netloc="www.youtube-nocookie.com"))
    if host == "player.vimeo.com":
        query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "dnt"]
        return urlunsplit(parts._replace(scheme="https", query=urlencode([*query, ("dnt", "1")])))
    return src


def privacy_enhanced_html(html, *, allowed_origins):
    """The provider's iframes, pointed at the privacy-enhanced players; nothing else.

    Raises EmbedNotFoundException when there is no iframe or one leads elsewhere.
    """
    frames = BeautifulSoup(html or "", "html.parser").find_all("iframe")
    if not frames:
        raise EmbedNotFoundException("The provider returned no player.")
    kept = []
    for frame in frames:
        src = privacy_enhanced_src(frame.get("src", ""))
        if origin_of(src) not in allowed_origins:
            raise EmbedNotFoundException(f"The player's address is not allowed: {src!r}")
        attrs = {k: v for k, v in frame.attrs.items() if k.lower() in IFRAME_ATTRIBUTES}
        attrs["src"] = src
        attrs.setdefault("loading", "lazy")
        frame.attrs = attrs
        frame.clear()
        kept.append(str(frame))
    return "".join(kept)


class PrivacyEnhancedVideoFinder(OEmbedFinder):
    """Wagtail's oEmbed finder restricted to YouTube and Vimeo, with privacy-enhanced players."""

    def __init__(self, providers=None, options=None):
        super().__init__(providers=providers or [youtube, vimeo], options=options)

    def find_embed(self, url, max_width=None, max_height=None):
        result = super().find_embed(url, max_width=max_width, max_height=max_height)
        result["html"] = privacy_enhanced_html(
            result["html"], allowed_origins=set(settings.CSP_FRAME_ORIGINS)
        )
        return result
