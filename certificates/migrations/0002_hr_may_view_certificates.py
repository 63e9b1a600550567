"""HR coordinators open the issued certificates of their scope in the admin.

The permission opens the screen; which certificates it lists is decided by
certificates.selectors.certificates_visible_to, never by the permission.
"""

from django.db import migrations

HR = "HR-Koordination"


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; this one is needed now.
    app_config = apps.get_app_config("certificates")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=HR)
    group.permissions.add(
        Permission.objects.get(
            content_type__app_label="certificates",
            content_type__model="certificate",
            codename="view_certificate",
        )
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permission = Permission.objects.filter(
        content_type__app_label="certificates", codename="view_certificate"
    ).first()
    group = Group.objects.filter(name=HR).first()
    if permission is not None and group is not None:
        group.permissions.remove(permission)


class Migration(migrations.Migration):
    dependencies = [
        ("certificates", "0001_initial"),
        ("people", "0002_role_groups"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
