"""Import people from a CSV file on the command line, with full rights."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from lms.people import messages as msg
from lms.people.imports import users_import


class Command(BaseCommand):
    help = "Import people from a CSV file: E-Mail;Vorname;Nachname;Behörde[;Personalnummer;Rollen]"

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="Path to the CSV file")
        parser.add_argument(
            "--dry-run", action="store_true", help="Only check the file, import nothing"
        )

    def handle(self, *args, file: Path, dry_run: bool, **options):
        try:
            with file.open("rb") as handle:
                # One byte over the limit is enough for users_import to refuse the file.
                data = handle.read(settings.LMS_IMPORT_MAX_BYTES + 1)
        except OSError as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error}) from None
        report = users_import(data=data, by=None, dry_run=dry_run)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(str(msg.IMPORT_FAILED))
        done = msg.IMPORT_DRY_RUN_SUCCESS if dry_run else msg.IMPORT_SUCCESS
        self.stdout.write(self.style.SUCCESS(str(done % report.counts)))
