"""The demo's learners get their e-mails once, however often the demo is seeded."""

import pytest
from django.core import mail
from django.core.management import call_command

from lms.notifications.models import Notification

pytestmark = pytest.mark.django_db


def test_the_demo_learners_have_their_emails(demo_seeded):
    sent = Notification.objects.filter(status="sent")
    kinds = set(sent.values_list("kind", flat=True))
    assert {"assigned", "overdue", "hr_digest"} <= kinds
    assert sent.filter(user__email="anna.lernt@demo.example", kind="overdue").exists()
    assert sent.filter(user__email="hr.innen@demo.example", kind="hr_digest").exists()
    assert not Notification.objects.exclude(status="sent").exists()


def test_seeding_again_sends_nothing_again(demo_seeded):
    count = Notification.objects.count()

    call_command("seed_demo")

    assert mail.outbox == []
    assert Notification.objects.count() == count
