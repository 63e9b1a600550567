"""Spreadsheet exports (CSV and XLSX): the writers and the report views' export mixin.

Shared by the HR reports, the access log and the quiz analysis. Both writers stream: rows are
consumed one at a time, so a 100,000-row export keeps memory bounded. Times are shown in the
local time zone (settings.TIME_ZONE), because HR reads the sheets, not servers.
"""

import codecs
import csv
import datetime
import itertools
import re
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from urllib.parse import quote

from django.db.models import QuerySet
from django.http import FileResponse, HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.encoding import force_str
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from wagtail.admin.views.mixins import list_to_str

from lms.text import ascii_german

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATETIME_TEXT = "%d.%m.%Y %H:%M"
DATE_TEXT = "%d.%m.%Y"
DATETIME_NUMBER_FORMAT = "DD.MM.YYYY HH:MM"
DATE_NUMBER_FORMAT = "DD.MM.YYYY"

# OWASP "CSV injection": a spreadsheet treats cells starting with these as formulas.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
_SHEET_TITLE_FORBIDDEN = str.maketrans("", "", "[]:*?/\\")
# Flush the CSV in chunks of about this size: fewer, larger writes than one per row.
_CSV_CHUNK_BYTES = 64 * 1024
# Small XLSX files stay in memory; larger ones go to disk.
_XLSX_SPOOL_BYTES = 1024 * 1024
# Column widths are taken from the header and this many first rows; in characters, within
# these bounds.
_WIDTH_SAMPLE_ROWS = 200
_MIN_WIDTH, _MAX_WIDTH = 8, 50
PREAMBLE_SHEET_TITLE = _("Report details")


def neutralise(value):
    """Prefix a string that a spreadsheet would run as a formula with a single quote.

    Only strings: a negative number is data, not an attack, and must stay a number.
    """
    if isinstance(value, str) and value.startswith(_FORMULA_PREFIXES):
        return "'" + value
    return value


def _local(value: datetime.datetime) -> datetime.datetime:
    """Aware datetime in local time without tzinfo (naive ones raise: they are a bug here)."""
    return timezone.localtime(value).replace(tzinfo=None)


def _csv_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return _local(value).strftime(DATETIME_TEXT)
    if isinstance(value, datetime.date):
        return value.strftime(DATE_TEXT)
    if isinstance(value, Decimal):
        # German Excel reads "3,5" as a number, "3.5" as text or a date.
        return format(value, "f").replace(".", ",")
    if isinstance(value, float):
        return str(value).replace(".", ",")
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


class _Line:
    """File-like object whose write() returns the line, so csv.writer can feed a generator."""

    def write(self, value: str) -> str:
        return value


def csv_stream(
    header: list[str], rows: Iterable[Sequence], *, preamble: Sequence[Sequence] = ()
) -> Iterator[bytes]:
    """Yield a semicolon-separated, CRLF, UTF-8-with-BOM CSV (what German Excel opens) in chunks.

    The first chunk is the BOM, the preamble (label;value lines such as the filters and the
    as-of date, then an empty line) and the header; then rows are encoded as they arrive.
    """
    writer = csv.writer(_Line(), delimiter=";", lineterminator="\r\n")
    head = "".join(writer.writerow([_csv_text(v) for v in line]) for line in preamble)
    if preamble:
        head += writer.writerow([])
    head += writer.writerow([_csv_text(v) for v in header])
    yield codecs.BOM_UTF8 + head.encode()
    chunk, size = [], 0
    for row in rows:
        line = writer.writerow([_csv_text(v) for v in row]).encode()
        chunk.append(line)
        size += len(line)
        if size >= _CSV_CHUNK_BYTES:
            yield b"".join(chunk)
            chunk, size = [], 0
    if chunk:
        yield b"".join(chunk)


def sheet_title_clean(title: str) -> str:
    """Excel rejects sheet titles over 31 characters or containing []:*?/\\."""
    return title.translate(_SHEET_TITLE_FORBIDDEN)[:31] or "Export"


def _xlsx_cell(ws, value):
    """A value for a write-only row: plain where openpyxl stores it as it is (cheaper by far
    for 100,000 rows), a cell where the format or the type must be set."""
    if isinstance(value, datetime.datetime):
        cell = WriteOnlyCell(ws, value=_local(value))
        cell.number_format = DATETIME_NUMBER_FORMAT
        return cell
    if isinstance(value, datetime.date):
        cell = WriteOnlyCell(ws, value=value)
        cell.number_format = DATE_NUMBER_FORMAT
        return cell
    if value is None or isinstance(value, int | float | Decimal):
        return value
    # Control characters make openpyxl raise; they carry no meaning in a report.
    text = ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value)))
    if not text.startswith("=") and text not in ERROR_CODES:
        return text
    # openpyxl turns "=..." into a formula and "#N/A" into an error; a string stays a string.
    cell = WriteOnlyCell(ws, value=text)
    cell.data_type = "s"
    return cell


def _display_width(value) -> int:
    """About how many characters a value takes in a cell as Excel shows it."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("31.12.2026 23:59")
    if isinstance(value, datetime.date):
        return len("31.12.2026")
    if isinstance(value, Decimal | float):
        return len(format(value, "f"))
    return max((len(line) for line in str(value).splitlines()), default=0)


def column_widths(header: Sequence, sample: Iterable[Sequence]) -> list[float]:
    """Column widths (in characters) from the header and the first rows: wide enough that a
    date never shows as ####, narrow enough that one long text does not push the rest away."""
    widths = [_display_width(value) for value in header]
    for row in sample:
        for index, value in enumerate(row[: len(widths)]):
            widths[index] = max(widths[index], _display_width(value))
    return [float(min(max(width + 2, _MIN_WIDTH), _MAX_WIDTH)) for width in widths]


def _set_widths(ws, widths: Sequence[float]) -> None:
    # Write-only sheets take column widths as long as they are set before the first row.
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width


def _text_cell(ws, value, *, bold=None):
    cell = WriteOnlyCell(ws, value=ILLEGAL_CHARACTERS_RE.sub("", neutralise(str(value))))
    cell.data_type = "s"
    if bold is not None:
        cell.font = bold
    return cell


def xlsx_file(
    header: list[str],
    rows: Iterable[Sequence],
    *,
    sheet_title: str,
    preamble: Sequence[Sequence] = (),
    preamble_title: str = "Info",
):
    """Write an XLSX into a temporary file and return it rewound, ready for FileResponse.

    openpyxl's write-only mode streams rows to disk, so memory stays bounded. Column widths
    come from the header and the first rows (held back until the widths are set). The
    preamble (filters, as-of date) goes on a second sheet, so the first stays a plain table.
    """
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet_title_clean(sheet_title))
    rows = iter(rows)
    sample = list(itertools.islice(rows, _WIDTH_SAMPLE_ROWS))
    _set_widths(ws, column_widths(header, sample))
    # Write-only sheets accept freeze_panes as long as it is set before the first row.
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    ws.append([_text_cell(ws, value, bold=bold) for value in header])
    for row in itertools.chain(sample, rows):
        ws.append([_xlsx_cell(ws, value) for value in row])
    if preamble:
        info = wb.create_sheet(sheet_title_clean(preamble_title))
        _set_widths(info, column_widths(["", ""], preamble))
        for label, value in preamble:
            info.append([_text_cell(info, label, bold=bold), _xlsx_cell(info, value)])
    out = tempfile.SpooledTemporaryFile(max_size=_XLSX_SPOOL_BYTES)  # noqa: SIM115 - caller closes
    wb.save(out)
    out.seek(0)
    return out


def _attachment_header(filename: str) -> str:
    """Content-Disposition with an ASCII fallback and the real name as RFC 5987 filename*.

    Django's content_disposition_header() sends only filename* for non-ASCII names; old
    clients then fall back to the URL, so the plain filename is always given too.
    """
    filename = re.sub(r'[\x00-\x1f\x7f"\\/]', "_", filename)
    ascii_name = ascii_german(filename)
    header = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        header += f"; filename*=UTF-8''{quote(filename)}"
    return header


def export_response(
    *,
    fmt: str,
    filename_stem: str,
    header: list[str],
    rows: Iterable[Sequence],
    sheet_title: str,
    preamble: Sequence[Sequence] = (),
) -> HttpResponse:
    """Return the export as a download: a streamed CSV or an XLSX file.

    `preamble` holds label/value lines about the export (filters, as-of date): above the
    table in the CSV, on a second sheet in the XLSX. The filename may contain umlauts:
    Content-Disposition carries an ASCII fallback and an RFC 5987 filename*.
    """
    if fmt == "csv":
        response = StreamingHttpResponse(
            csv_stream(header, rows, preamble=preamble), content_type=CSV_CONTENT_TYPE
        )
    elif fmt == "xlsx":
        xlsx = xlsx_file(
            header,
            rows,
            sheet_title=sheet_title,
            preamble=preamble,
            preamble_title=str(PREAMBLE_SHEET_TITLE),
        )
        response = FileResponse(xlsx, content_type=XLSX_CONTENT_TYPE)
    else:
        raise ValueError(f"Unknown export format: {fmt!r}")
    response["Content-Disposition"] = _attachment_header(f"{filename_stem}.{fmt}")
    return response


class LocalSpreadsheetExportMixin:
    """Wagtail's report export (`?export=csv|xlsx`), written by `export_response`: CSV as
    German Excel opens it (BOM, semicolons, decimal comma), local times, formula cells
    neutralised, both streamed. Wagtail's own writer has no setting for any of that."""

    # Wagtail turns aware datetimes into naive UTC for XLSX; the writers convert them to
    # Europe/Berlin themselves, so dates and times pass through untouched.
    custom_value_preprocess = {
        list: {"csv": list_to_str, "xlsx": list_to_str},
    }

    def as_spreadsheet(self, queryset, spreadsheet_format):
        fields = list(self.list_export)
        header = [force_str(self.get_heading(queryset, field)) for field in fields]

        # A queryset is read in chunks: an export of 100,000 rows never holds them all.
        items = queryset.iterator(chunk_size=2000) if isinstance(queryset, QuerySet) else queryset

        def rows():
            for item in items:
                row = self.to_row_dict(item)
                yield [
                    self.preprocess_field_value(field, row[field], spreadsheet_format)
                    for field in fields
                ]

        return export_response(
            fmt=spreadsheet_format,
            filename_stem=self.get_filename(),
            header=header,
            rows=rows(),
            sheet_title=force_str(self.get_page_title()),
            preamble=self.export_preamble(),
        )

    def export_preamble(self) -> list[tuple[str, object]]:
        """Label/value lines the export carries besides its table (filters, Stand)."""
        return []
