"""What the admin's report views share."""

from django.utils.encoding import force_str

from .exports import export_response


class LocalSpreadsheetExportMixin:
    """Wagtail's report export (`?export=csv|xlsx`), written by lms.reports.exports: CSV as
    German Excel opens it (BOM, semicolons, decimal comma), local times, formula cells
    neutralised, both streamed. Wagtail's own writer has no setting for any of that."""

    def as_spreadsheet(self, queryset, spreadsheet_format):
        fields = list(self.list_export)
        header = [force_str(self.get_heading(queryset, field)) for field in fields]

        def rows():
            for item in queryset:
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
        )
