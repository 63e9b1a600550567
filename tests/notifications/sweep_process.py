"""A sweep in a process of its own, as a worker runs it, with the e-mail backend given:

    python -m tests.notifications.sweep_process <backend> <YYYY-MM-DD>

The database comes from DATABASE_URL (the test database); prints the number of e-mails sent.
"""

import os
import sys
from datetime import date


def main(backend: str, today: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "lms.settings.test"
    import django

    django.setup()
    from django.conf import settings

    from lms.notifications.services import notifications_send_due

    settings.EMAIL_BACKEND = backend
    print(notifications_send_due(today=date.fromisoformat(today)))


if __name__ == "__main__":
    main(*sys.argv[1:])
