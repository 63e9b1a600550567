"""Which size class keeps a certificate on one page, estimated from the text before rendering,
so that a certificate is usually laid out once. The sizes repeat those of certificate.css."""

import dataclasses
import re

# The page area in mm as the stylesheet lays it out (A4 landscape less margins), the header.
CONTENT_WIDTH_MM = 261
CONTENT_HEIGHT_MM = 157
HEADER_MM = 24.6
_PT = 25.4 / 72
# Average advances of DejaVu Sans in em, generous, so that estimates err towards smaller type.
_EM_REGULAR, _EM_BOLD = 0.52, 0.6
# Per size class (.size-0 … .size-4 in the stylesheet): point sizes of title, name and text,
# the text's line height and width (mm), and the gaps between them (mm).
SIZES = [
    {"title": 24, "name": 26, "text": 12.5, "leading": 1.45, "width": 215, "gaps": 13},
    {"title": 21, "name": 21, "text": 11, "leading": 1.45, "width": 215, "gaps": 10},
    {"title": 18, "name": 17, "text": 9.5, "leading": 1.45, "width": 249, "gaps": 8},
    {"title": 15, "name": 13.5, "text": 8.5, "leading": 1.45, "width": 261, "gaps": 6},
    {"title": 12, "name": 11, "text": 7, "leading": 1.3, "width": 261, "gaps": 4},
]
SMALLEST = len(SIZES) - 1
# Signatures cannot shrink when they do not fit, so they are estimated more generously still
# (and at the widest glyph's advance as a last resort): 9 pt at line height 1.3 in a column
# 94 mm wide, an image up to 16 mm, the rule above the name.
_SIGNATURE_EM_REGULAR, _SIGNATURE_EM_BOLD = 0.58, 0.66
_EM_WIDEST = 1.0
_SIGNATURE_LINE_MM = 9 * 1.3 * _PT
_SIGNATURE_WIDTH_MM = 94
_SIGNATURE_IMAGE_MM = 17
_SIGNATURE_RULE_MM = 2.5


@dataclasses.dataclass(frozen=True)
class Layout:
    """A size class, and the heights of the middle (title, name, text) and the signatures,
    which with the header fill the page area exactly."""

    size: int
    middle_mm: float
    signatures_mm: float


def _lines(text: str, *, pt: float, width_mm: float, em: float) -> int:
    """The lines a text takes, wrapped at spaces as WeasyPrint does, at an average advance."""
    per_line = max(1, int(width_mm / (pt * _PT * em)))
    count = 0
    for paragraph in text.split("\n"):
        count += 1
        used = 0
        for word in paragraph.split():
            if used and used + 1 + len(word) > per_line:
                count += 1
                used = 0
            used += (1 if used else 0) + len(word)
            while used > per_line:  # a word longer than a line is broken
                count += 1
                used -= per_line
    return count


def _signatures_mm(content: dict, *, widest: bool = False) -> float:
    bold, regular = (
        (_EM_WIDEST, _EM_WIDEST) if widest else (_SIGNATURE_EM_BOLD, _SIGNATURE_EM_REGULAR)
    )
    tallest = 0.0
    for signature in content.get("signatures", [])[:2]:
        name, function = signature.get("name", ""), signature.get("function", "")
        lines = _lines(name, pt=9, width_mm=_SIGNATURE_WIDTH_MM, em=bold)
        lines += _lines(function, pt=9, width_mm=_SIGNATURE_WIDTH_MM, em=regular)
        image = _SIGNATURE_IMAGE_MM if signature.get("image") else 0
        tallest = max(tallest, image + lines * _SIGNATURE_LINE_MM + _SIGNATURE_RULE_MM + 1)
    return round(tallest, 1)


def _middle_left(signatures_mm: float) -> float:
    return round(CONTENT_HEIGHT_MM - HEADER_MM - signatures_mm - 0.5, 1)


def _middle_mm(content: dict, body: str, size: dict) -> float:
    """The estimated height of title, name and text in a size class."""
    width = CONTENT_WIDTH_MM - (24 if size["width"] < CONTENT_WIDTH_MM else 0)
    title = _lines(content.get("title", ""), pt=size["title"], width_mm=width, em=_EM_BOLD)
    name = _lines(content["fields"]["name"], pt=size["name"], width_mm=width, em=_EM_BOLD)
    text = _lines(body, pt=size["text"], width_mm=size["width"], em=_EM_REGULAR)
    paragraphs = len(re.split(r"\n{2,}", body.strip()))
    return (
        size["gaps"]
        + (title * size["title"] + name * size["name"]) * 1.15 * _PT
        + (text * size["leading"] + (paragraphs - 1) * 0.6) * size["text"] * _PT
    )


def layout_for(content: dict) -> Layout:
    """The largest size class whose estimated height fits; the render checks the estimate."""
    signatures_mm = _signatures_mm(content)
    middle_mm = _middle_left(signatures_mm)
    for index, size in enumerate(SIZES[:SMALLEST]):
        if _middle_mm(content, content["body"], size) <= middle_mm:
            return Layout(index, middle_mm, signatures_mm)
    return Layout(SMALLEST, middle_mm, signatures_mm)


def _next_layout(content: dict, layout: Layout) -> Layout | None:
    """What to try after `layout` made a second page: the next smaller type, then room for
    signatures of the widest letters; None when nothing is left."""
    if layout.size < SMALLEST:
        return dataclasses.replace(layout, size=layout.size + 1)
    widest = _signatures_mm(content, widest=True)
    if widest > layout.signatures_mm:
        return Layout(SMALLEST, _middle_left(widest), widest)
    return None


def _body(content: dict, size: int) -> str:
    # The smallest class runs the text on as one paragraph: then a text of many short lines
    # fits too, and no text the template allows can take more than the page.
    if size == SMALLEST:
        return " ".join(content["body"].split())
    return content["body"]
