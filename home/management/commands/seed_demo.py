from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.demo import seed_certificates
from courses.demo import seed_courses
from home.demo import seed_accessibility_statement
from lms.notifications.services import notifications_send_due
from lms.people.demo import DEMO_PASSWORD, demo_logins, seed_people


class Command(BaseCommand):
    help = "Builds the demo organisation, people and content. Idempotent; refused in production."

    def add_arguments(self, parser):
        parser.add_argument(
            "--print-logins", action="store_true", help="Only print the demo sign-ins."
        )

    def handle(self, *args, print_logins=False, **options):
        if print_logins:
            self._print_logins()
            return
        if settings.IS_PRODUCTION:
            raise CommandError(_("The demo data must not be created with production settings."))
        seed_people()
        seed_courses()
        seed_certificates()
        seed_accessibility_statement()
        # The demo learners' e-mails (assignments, reminders, HR overviews): on the console with
        # the dev settings; seeding again sends none of them again.
        sent = notifications_send_due()
        self.stdout.write(_("E-mail notifications sent: %(count)s") % {"count": sent})
        self.stdout.write(self.style.SUCCESS(_("Demo data is in place.")))

    def _print_logins(self):
        self.stdout.write(
            _("Demo sign-ins (password: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for email, purpose in demo_logins():
            self.stdout.write(f"  {email:<28} {purpose}")
