"""Course media: the images trainers and reviewers upload and choose for lessons live in the
collection "Kursmedien", which holds their image permissions. Not the root collection: a
permission there would also reach "Unterschriften", the certificates' signature images that
only centre admins may see (certificates.signatures, docs/decisions/0018)."""

from wagtail.models import Collection

from lms.media_collections import collection_ensure

# Stable name, also created by certificates migration 0004_signature_collection.
COURSE_MEDIA_COLLECTION = "Kursmedien"


def course_media_collection() -> Collection:
    return collection_ensure(name=COURSE_MEDIA_COLLECTION)
