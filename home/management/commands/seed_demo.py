from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from certificates.demo import seed_certificates
from courses.demo import seed_courses
from home.demo import seed_accessibility_statement
from home.models import HomePage
from lms.notifications.services import notifications_send_due
from lms.people.demo import DEMO_PASSWORD, demo_logins, seed_people


def _seed_courses():
    # The catalogue goes below the home page; courses know nothing of the home app.
    return seed_courses(home_page=HomePage.objects.first())


def _send_notifications():
    # The demo learners' e-mails (assignments, reminders, HR overviews): on the console with
    # the dev settings; seeding again sends none of them again.
    return notifications_send_due()


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
        # Each step is a transaction of its own and idempotent. One that fails is named with
        # its reason; what the steps before it made stays, and `make run` serves anyway.
        steps = [
            (_("Demo organisation and people"), seed_people),
            (_("Demo courses and learning progress"), _seed_courses),
            (_("Demo certificates"), seed_certificates),
            (_("Accessibility statement"), seed_accessibility_statement),
            (_("E-mail notifications"), _send_notifications),
        ]
        for name, step in steps:
            try:
                result = step()
            except Exception as error:
                raise CommandError(
                    _(
                        "The demo data is incomplete: the step “%(step)s” failed "
                        "(%(error)s). The steps before it are in place."
                    )
                    % {"step": name, "error": f"{type(error).__name__}: {error}"}
                ) from error
        self.stdout.write(_("E-mail notifications sent: %(count)s") % {"count": result})
        self.stdout.write(self.style.SUCCESS(_("Demo data is in place.")))

    def _print_logins(self):
        self.stdout.write(
            _("Demo sign-ins (password: %(password)s):") % {"password": DEMO_PASSWORD}
        )
        for email, purpose in demo_logins():
            self.stdout.write(f"  {email:<28} {purpose}")
