"""Files built by a Celery task on request (HR certificate archives, own-data exports).

Such a model has `status` (queued, building, ready, failed), `created_at` and `started_at`. A
build is claimed by a conditional UPDATE, so a task delivered twice builds once; what a down
broker or a dead worker left behind is queued again by `stale_builds_requeue`.
"""

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BuildStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    BUILDING = "building", _("Being built")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def stale_builds_requeue(*, model, task, build_seconds_max: int, queued_minutes: int, now=None):
    """Queue again builds still queued after `queued_minutes` (their task was lost) and builds
    running longer than `build_seconds_max` (their worker died). `task` builds one, given its
    pk. Returns how many were queued."""
    now = now or timezone.now()
    model.objects.filter(
        status=model.Status.BUILDING,
        started_at__lt=now - timedelta(seconds=build_seconds_max),
    ).update(status=model.Status.QUEUED)
    stale = list(
        model.objects.filter(
            status=model.Status.QUEUED,
            created_at__lt=now - timedelta(minutes=queued_minutes),
        ).values_list("pk", flat=True)
    )
    for pk in stale:
        task.delay(pk)
    return len(stale)
