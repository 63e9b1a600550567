"""Collections of images and documents below the root collection.

A group's permission on a collection reaches every collection below it, and every collection
is below the root: a permission that must not reach a collection (such as the signatures of
certificates) is given on a collection beside it, never on the root (docs/decisions/0018).
"""

from django.db import transaction
from wagtail.models import Collection


@transaction.atomic
def collection_ensure(*, name: str) -> Collection:
    """The collection of this name directly below the root, made if it is missing."""
    root = Collection.objects.select_for_update().get(pk=Collection.get_first_root_node().pk)
    collection = Collection.objects.child_of(root).filter(name=name).first()
    if collection is None:
        collection = root.add_child(name=name)
    return collection
