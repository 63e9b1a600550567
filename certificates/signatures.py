"""Signature images of certificate templates live in the collection "Unterschriften", on
which no group has a permission: only centre admins (superusers) see and choose them. Trainers
and reviewers have their image permissions on "Kursmedien" beside it (courses.media), never on
the root collection, whose permissions would reach every collection (docs/decisions/0018)."""

from django.db import transaction
from wagtail.images.models import Image
from wagtail.models import Collection

from lms.media_collections import collection_ensure

from .models import CertificateSignature, CertificateTemplate

# Stable name, also created by migration 0004_signature_collection.
SIGNATURE_COLLECTION = "Unterschriften"


def signature_collection() -> Collection:
    return collection_ensure(name=SIGNATURE_COLLECTION)


@transaction.atomic
def signature_images_secure(*, template: CertificateTemplate) -> int:
    """Move the template's signature images into "Unterschriften", wherever they were uploaded;
    returns how many moved. Idempotent."""
    collection = signature_collection()
    image_ids = CertificateSignature.objects.filter(template=template, image__isnull=False).values(
        "image_id"
    )
    moved = 0
    for image in Image.objects.filter(pk__in=image_ids).exclude(collection=collection):
        image.collection = collection
        image.save(update_fields=["collection"])
        moved += 1
    return moved
