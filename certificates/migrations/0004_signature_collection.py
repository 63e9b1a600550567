"""Signature images only for centre admins: the collections "Unterschriften" and "Kursmedien".

Permissions on the root collection reach every collection below it, so the image permissions
that groups have on the root (trainers, reviewers, and those Wagtail gave to every admin
group) move to "Kursmedien", with the images in the root; the signature images of the
certificate templates move to "Unterschriften", on which no group has a permission.
Document permissions stay where they are. docs/decisions/0018.
"""

from django.db import migrations

SIGNATURES = "Unterschriften"
COURSE_MEDIA = "Kursmedien"
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _step(number):
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def _child_of_root(Collection, root, name):
    """The child of the root with this name; made with a tree path of its own if missing
    (historical models have no treebeard methods)."""
    children = Collection.objects.filter(depth=2, path__startswith=root.path)
    collection = children.filter(name=name).first()
    if collection is not None:
        return collection
    last = children.order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    collection = Collection.objects.create(
        name=name, path=root.path + _step(number), depth=2, numchild=0
    )
    root.numchild = children.count()
    root.save(update_fields=["numchild"])
    return collection


def forwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Image = apps.get_model("wagtailimages", "Image")
    CertificateSignature = apps.get_model("certificates", "CertificateSignature")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    if root is None:
        return
    course_media = _child_of_root(Collection, root, COURSE_MEDIA)
    signatures = _child_of_root(Collection, root, SIGNATURES)

    on_root = GroupCollectionPermission.objects.filter(
        collection=root, permission__content_type__app_label="wagtailimages"
    )
    for grant in on_root:
        GroupCollectionPermission.objects.get_or_create(
            group_id=grant.group_id, collection=course_media, permission_id=grant.permission_id
        )
    on_root.delete()
    # Nobody but centre admins on the signatures, should a group have been given them.
    GroupCollectionPermission.objects.filter(collection=signatures).delete()

    signature_images = CertificateSignature.objects.filter(image__isnull=False).values("image_id")
    Image.objects.filter(pk__in=signature_images).update(collection=signatures)
    Image.objects.filter(collection=root).update(collection=course_media)


def backwards(apps, schema_editor):
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Image = apps.get_model("wagtailimages", "Image")

    root = Collection.objects.filter(depth=1).order_by("path").first()
    course_media = Collection.objects.filter(depth=2, name=COURSE_MEDIA).first()
    if root is None or course_media is None:
        return
    for grant in GroupCollectionPermission.objects.filter(
        collection=course_media, permission__content_type__app_label="wagtailimages"
    ):
        GroupCollectionPermission.objects.get_or_create(
            group_id=grant.group_id, collection=root, permission_id=grant.permission_id
        )
    # The collections stay (documents may be in them); their images return to the root.
    Image.objects.filter(
        collection__name__in=[COURSE_MEDIA, SIGNATURES], collection__depth=2
    ).update(collection=root)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0003_archive_building"),
        ("people", "0002_role_groups"),
        ("courses", "0002_review_workflow_and_permissions"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
