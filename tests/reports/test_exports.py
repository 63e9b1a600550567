import codecs
import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from lms.spreadsheets import (
    CSV_CONTENT_TYPE,
    XLSX_CONTENT_TYPE,
    csv_stream,
    export_response,
    neutralise,
    xlsx_file,
)

UTC = datetime.UTC
DANGEROUS = ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"]


def csv_bytes(header, rows):
    return b"".join(csv_stream(header, rows))


def csv_rows(header, rows):
    data = csv_bytes(header, rows)
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def xlsx_sheet(header, rows, sheet_title="Bericht"):
    return load_workbook(xlsx_file(header, rows, sheet_title=sheet_title)).active


def test_csv_has_bom_semicolons_and_crlf():
    data = csv_bytes(["Name", "Kurs"], [["Anna", "Datenschutz"]])
    assert data == codecs.BOM_UTF8 + b"Name;Kurs\r\nAnna;Datenschutz\r\n"


def test_csv_quotes_field_with_semicolon_quote_and_newline():
    tricky = 'a;b "c"\nd'
    assert csv_rows(["x", "y"], [[tricky, "z"]]) == [["x", "y"], [tricky, "z"]]


@pytest.mark.parametrize("value", DANGEROUS)
def test_csv_neutralises_formula_prefix(value):
    assert csv_rows(["x"], [[value]])[1] == ["'" + value]


@pytest.mark.parametrize("value", DANGEROUS)
def test_xlsx_neutralises_formula_prefix_and_keeps_a_string(value):
    cell = xlsx_sheet(["x"], [[value]])["A2"]
    assert cell.data_type == "s"
    # XML parsers (openpyxl's and Excel's) may read a bare CR back as LF.
    assert cell.value in ("'" + value, "'" + value.replace("\r", "\n"))


def test_xlsx_error_code_text_stays_a_string():
    cell = xlsx_sheet(["x"], [["#N/A"]])["A2"]
    assert (cell.data_type, cell.value) == ("s", "#N/A")


def test_negative_numbers_are_not_neutralised():
    assert neutralise(-5) == -5
    assert csv_rows(["a", "b"], [[-5, Decimal("-1.5")]])[1] == ["-5", "-1,5"]
    ws = xlsx_sheet(["a", "b"], [[-5, Decimal("-1.5")]])
    assert ws["A2"].data_type == "n" and ws["A2"].value == -5
    assert ws["B2"].data_type == "n" and ws["B2"].value == -1.5


def test_csv_decimal_uses_decimal_comma():
    assert csv_rows(["a", "b"], [[Decimal("3.5"), 2.25]])[1] == ["3,5", "2,25"]


@pytest.mark.parametrize(
    ("utc", "local"),
    [
        (
            datetime.datetime(2026, 11, 29, 13, 5, tzinfo=UTC),
            datetime.datetime(2026, 11, 29, 14, 5),
        ),
        (datetime.datetime(2026, 7, 1, 10, 0, tzinfo=UTC), datetime.datetime(2026, 7, 1, 12, 0)),
    ],
)
def test_datetimes_are_shown_in_berlin_time(utc, local):
    assert csv_rows(["t"], [[utc]])[1] == [local.strftime("%d.%m.%Y %H:%M")]
    cell = xlsx_sheet(["t"], [[utc]])["A2"]
    assert cell.value == local
    assert cell.number_format == "DD.MM.YYYY HH:MM"


def test_dates_are_german_text_in_csv_and_date_cells_in_xlsx():
    day = datetime.date(2026, 11, 29)
    assert csv_rows(["d"], [[day]])[1] == ["29.11.2026"]
    cell = xlsx_sheet(["d"], [[day]])["A2"]
    assert cell.value == datetime.datetime(2026, 11, 29)
    assert cell.number_format == "DD.MM.YYYY"


def test_umlauts_survive_both_formats():
    text = "Jürgen Größe-Übel"
    assert csv_rows(["Straße"], [[text]]) == [["Straße"], [text]]
    ws = xlsx_sheet(["Straße"], [[text]])
    assert (ws["A1"].value, ws["A2"].value) == ("Straße", text)


def test_xlsx_header_is_bold_and_frozen_and_title_cleaned():
    ws = xlsx_sheet(
        ["Name"], [["Anna"]], sheet_title="Pflicht[schulungen]: 2026/27 * alle Abteilungen"
    )
    assert ws["A1"].font.bold
    assert not ws["A2"].font.bold
    assert ws.freeze_panes == "A2"
    assert ws.title == "Pflichtschulungen 202627  alle "
    assert len(ws.title) == 31


def test_csv_stream_yields_header_before_reading_rows_and_streams_in_chunks():
    consumed = 0

    def rows():
        nonlocal consumed
        for i in range(100_000):
            consumed += 1
            yield [i, f"Person {i}", Decimal("1.5")]

    stream = csv_stream(["Nr", "Name", "Stunden"], rows())
    assert next(stream) == codecs.BOM_UTF8 + b"Nr;Name;Stunden\r\n"
    assert consumed == 0
    second = next(stream)
    assert second.startswith(b"0;Person 0;1,5\r\n")
    assert 0 < consumed < 100_000
    remaining = sum(1 for _ in stream)
    assert consumed == 100_000
    assert remaining > 10


def test_xlsx_handles_many_rows():
    rows = ([i, f"Person {i}"] for i in range(20_000))
    ws = xlsx_sheet(["Nr", "Name"], rows)
    assert ws.max_row == 20_001
    assert ws["B20001"].value == "Person 19999"


def test_export_response_csv_is_streamed_with_umlaut_filename():
    response = export_response(
        fmt="csv", filename_stem="Prüfungen Übersicht", header=["a"], rows=[["ä"]], sheet_title="x"
    )
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == CSV_CONTENT_TYPE
    assert response["Content-Disposition"] == (
        'attachment; filename="Pruefungen Uebersicht.csv"; '
        "filename*=UTF-8''Pr%C3%BCfungen%20%C3%9Cbersicht.csv"
    )
    body = b"".join(response.streaming_content)
    assert body == codecs.BOM_UTF8 + "a\r\nä\r\n".encode()


def test_export_response_xlsx_is_a_file_download():
    response = export_response(
        fmt="xlsx", filename_stem="Nachweise", header=["a"], rows=[["b"]], sheet_title="Nachweise"
    )
    assert isinstance(response, FileResponse)
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="Nachweise.xlsx"'
    ws = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert (ws.title, ws["A2"].value) == ("Nachweise", "b")
    response.file_to_stream.close()  # not response.close(): that signals a request end


def test_export_response_rejects_unknown_format():
    with pytest.raises(ValueError, match="pdf"):
        export_response(fmt="pdf", filename_stem="x", header=[], rows=[], sheet_title="x")


def test_filename_cannot_break_out_of_the_header():
    response = export_response(
        fmt="csv", filename_stem='a"b/c\r\nd', header=["a"], rows=[], sheet_title="x"
    )
    assert response["Content-Disposition"] == 'attachment; filename="a_b_c__d.csv"'
