"""Bar charts drawn on the server as SVG: no script, readable by screen readers, printable.

The chart repeats figures that are also in the table below it, so the image carries a short
description and each bar a title; nothing is said by colour alone.
"""

from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _

from lms.text import percent_text

BAR_HEIGHT = 22
GAP = 8
LABEL_WIDTH = 120
BAR_AREA = 360
VALUE_WIDTH = 70
WIDTH = LABEL_WIDTH + BAR_AREA + VALUE_WIDTH
# Dark blue on white: 8.6:1, above the 3:1 WCAG asks of graphics.
BAR_COLOUR = "#1d4f91"
GRID_COLOUR = "#6b6b6b"


def completion_rate_chart(rows, *, title: str):
    """Horizontal bars of the completion rate (0–100 %) per row; rows have `label`,
    `abbreviation` and `counts.rate`."""
    rows = [row for row in rows if row.counts.rate is not None]
    if not rows:
        return ""
    height = len(rows) * (BAR_HEIGHT + GAP) + 30
    bars = []
    for index, row in enumerate(rows):
        y = index * (BAR_HEIGHT + GAP)
        width = round(BAR_AREA * float(row.counts.rate) / 100, 1)
        value = percent_text(row.counts.rate)
        bars.append(
            (
                y,
                row.label,
                value,
                LABEL_WIDTH - 6,
                y + BAR_HEIGHT / 2 + 5,
                row.abbreviation or row.label[:14],
                LABEL_WIDTH,
                width,
                BAR_HEIGHT,
                BAR_COLOUR,
                LABEL_WIDTH + width + 6,
                value,
            )
        )
    axis_y = len(rows) * (BAR_HEIGHT + GAP)
    ticks = format_html_join(
        "",
        '<line x1="{0}" y1="0" x2="{0}" y2="{1}" stroke="{2}" stroke-width="0.5" '
        'stroke-dasharray="2 3"/><text x="{0}" y="{3}" text-anchor="middle" '
        'font-size="11">{4}</text>',
        (
            (LABEL_WIDTH + BAR_AREA * step / 100, axis_y, GRID_COLOUR, axis_y + 16, f"{step} %")
            for step in (0, 25, 50, 75, 100)
        ),
    )
    body = format_html_join(
        "",
        "<g><title>{1}: {2}</title>"
        '<text x="{3}" y="{4}" text-anchor="end" font-size="12">{5}</text>'
        '<rect x="{6}" y="{0}" width="{7}" height="{8}" fill="{9}"/>'
        '<text x="{10}" y="{4}" font-size="12">{11}</text></g>',
        bars,
    )
    description = _(
        "Completion rate per part of the organisation, from 0 to 100 per cent. "
        "The same figures are in the table below."
    )
    return format_html(
        '<svg class="lms-chart" role="img" aria-labelledby="chart-title chart-desc" '
        'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        'xmlns="http://www.w3.org/2000/svg">'
        '<title id="chart-title">{title}</title><desc id="chart-desc">{description}</desc>'
        "{ticks}{body}</svg>",
        width=WIDTH,
        height=height,
        title=title,
        description=description,
        ticks=ticks,
        body=body,
    )
