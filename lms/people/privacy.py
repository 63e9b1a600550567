"""Personal data of the people app, for the registry in lms.privacy."""

from django.utils.translation import gettext_lazy as _

from lms.personal_data import legal_bases
from lms.personal_data.registry import Category, Erasure, Retention, register

register(
    "people.User",
    category=Category.ACCOUNTS,
    person="pk",
    holds=[
        "first_name",
        "last_name",
        "email",
        "personnel_number",
        "authority",
        "preferred_language",
        "groups",
        "is_superuser",
        "is_staff",
        "is_active",
        "password",
        "date_joined",
        "last_login",
    ],
    purpose=_(
        "Identify people and let them sign in; place them in the organisation so that HR "
        "coordinators see the training of their own people; give staff their roles."
    ),
    legal_basis=legal_bases.TRAINING,
    # There is no date of leaving the service: the period runs from the last sign-in.
    retention=Retention.days_after("accounts", "last_login", "date_joined"),
    erasure=Erasure.DELETE,
)
register(
    "people.AuthorityMembership",
    category=Category.ACCOUNTS,
    holds=["authority", "started_at", "ended_at"],
    purpose=_(
        "Where a person belonged and when, so that reports count training for the authority "
        "a person belonged to at the time."
    ),
    legal_basis=legal_bases.TRAINING,
    # The current membership has no end and stays as long as the account.
    retention=Retention.days_after("learning_records", "ended_at"),
    erasure=Erasure.DELETE,
)
register(
    "people.HRScope",
    category=Category.ACCOUNTS,
    holds=["authority"],
    purpose=_("The part of the organisation an HR coordinator is responsible for and may see."),
    legal_basis=legal_bases.STAFF_WORK,
    retention=Retention.as_long_as(_("As long as the person has the HR coordinator role.")),
    erasure=Erasure.DELETE,
)
