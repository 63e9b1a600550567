"""What the admin's report views share."""

from django.db.models import QuerySet
from django.utils.encoding import force_str
from wagtail.admin.views.mixins import list_to_str

from .exports import export_response


class LocalSpreadsheetExportMixin:
    """Wagtail's report export (`?export=csv|xlsx`), written by lms.reports.exports: CSV as
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
