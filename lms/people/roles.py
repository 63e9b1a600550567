"""Roles: Learner is everyone, Trainer and HR are groups, Centre admin is a superuser."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    LEARNER = "learner", _("Learner")
    TRAINER = "trainer", _("Trainer")
    HR = "hr", _("HR coordinator")
    CENTRE_ADMIN = "admin", _("Centre admin")


# Stable group names; created by a data migration with their permissions.
ROLE_GROUP_NAMES = {
    Role.TRAINER: "Trainer",
    Role.HR: "HR-Koordination",
}

# Roles that must protect their account with a second factor in production.
STAFF_ROLES = frozenset({Role.TRAINER, Role.HR, Role.CENTRE_ADMIN})
