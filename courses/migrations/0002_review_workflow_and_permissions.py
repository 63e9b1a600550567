"""Course review: the reviewers' group and the workflow "Kursfreigabe".

No catalogue page exists yet when this runs. The page permissions on the catalogue (Trainer:
add, change; Kursprüfung: add, change, publish) and the link of the workflow to it are made
by courses.authoring.catalogue_permissions_ensure when the catalogue is created.
"""

from django.db import migrations

REVIEW_GROUP = "Kursprüfung"
REVIEW_WORKFLOW = "Kursfreigabe"
REVIEW_TASK = "Prüfung durch Kursprüfung"


def create_review_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    # Made by wagtailadmin 0001, so it exists before the usual post-migrate permissions.
    access_admin = Permission.objects.get(
        content_type__app_label="wagtailadmin", codename="access_admin"
    )
    reviewers, _ = Group.objects.get_or_create(name=REVIEW_GROUP)
    reviewers.permissions.add(access_admin)
    # Trainers sign in to the admin to write courses (granted in people 0002; kept here).
    trainers, _ = Group.objects.get_or_create(name="Trainer")
    trainers.permissions.add(access_admin)

    task = GroupApprovalTask.objects.filter(name=REVIEW_TASK).first()
    if task is None:
        task_type, _ = ContentType.objects.get_or_create(
            app_label="wagtailcore", model="groupapprovaltask"
        )
        task = GroupApprovalTask.objects.create(
            name=REVIEW_TASK, content_type=task_type, active=True
        )
    task.groups.add(reviewers)

    workflow, _ = Workflow.objects.get_or_create(name=REVIEW_WORKFLOW, defaults={"active": True})
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})


def remove_review_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=REVIEW_WORKFLOW).delete()
    apps.get_model("wagtailcore", "Task").objects.filter(name=REVIEW_TASK).delete()
    apps.get_model("auth", "Group").objects.filter(name=REVIEW_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0001_initial"),
        ("people", "0003_import_permission_and_messages"),
        ("home", "0002_create_homepage"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create_review_workflow, remove_review_workflow)]
