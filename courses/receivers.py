from django.dispatch import receiver

from lms.people.signals import person_joined_authority


@receiver(person_joined_authority)
def apply_assignment_rules(sender, user, authority, joined_at, **kwargs):
    """People imported or moved into a part of the organisation get its mandatory courses."""
    from .services import assignment_rules_apply_to

    assignment_rules_apply_to(user=user, authority=authority, joined_at=joined_at)
