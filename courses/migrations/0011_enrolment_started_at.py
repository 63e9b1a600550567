from django.db import connection, migrations, models

# In SQL, as joins across the course's page tree cannot be expressed in an ORM UPDATE. Portable
# to SQLite and PostgreSQL: `substr` for "the quiz lies under the course", and two passes rather
# than LEAST, which treats NULL differently in the two.
LESSONS = """
    UPDATE courses_enrolment SET started_at = (
        SELECT MIN(lp.opened_at) FROM courses_lessonprogress AS lp
        WHERE lp.enrolment_id = courses_enrolment.id
          AND (courses_enrolment.round_started_at IS NULL
               OR lp.opened_at >= courses_enrolment.round_started_at)
    )
    WHERE started_at IS NULL AND EXISTS (
        SELECT 1 FROM courses_lessonprogress AS lp WHERE lp.enrolment_id = courses_enrolment.id
    )
"""
# The first attempt at a quiz of the course in the round, where there is one and it is earlier.
ATTEMPTS = """
    UPDATE courses_enrolment SET started_at = (
        SELECT MIN(a.started_at) FROM courses_quizattempt AS a
        JOIN wagtailcore_page AS q ON q.id = a.quiz_id
        JOIN wagtailcore_page AS c ON c.id = courses_enrolment.course_id
        WHERE a.user_id = courses_enrolment.user_id
          AND substr(q.path, 1, length(c.path)) = c.path
          AND (courses_enrolment.round_started_at IS NULL
               OR a.started_at >= courses_enrolment.round_started_at)
    )
    WHERE EXISTS (
        SELECT 1 FROM courses_quizattempt AS a
        JOIN wagtailcore_page AS q ON q.id = a.quiz_id
        JOIN wagtailcore_page AS c ON c.id = courses_enrolment.course_id
        WHERE a.user_id = courses_enrolment.user_id
          AND substr(q.path, 1, length(c.path)) = c.path
          AND (courses_enrolment.round_started_at IS NULL
               OR a.started_at >= courses_enrolment.round_started_at)
          AND (courses_enrolment.started_at IS NULL OR a.started_at < courses_enrolment.started_at)
    )
"""
PROGRESS = """
    UPDATE courses_enrolment SET started_at = enrolled_at
    WHERE started_at IS NULL AND progress_percent > 0
"""


def enrolments_started_backfill(apps=None, schema_editor=None):
    """When each participation started in its current round, as the reports used to work it out:
    the first lesson opened or quiz attempt started since the round began, else, with some
    progress, the enrolment."""
    db = schema_editor.connection if schema_editor is not None else connection
    with db.cursor() as cursor:
        for sql in (LESSONS, ATTEMPTS, PROGRESS):
            cursor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0010_assignment_changes"),
    ]

    operations = [
        migrations.AddField(
            model_name="enrolment",
            name="started_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="started"),
        ),
        migrations.RunPython(enrolments_started_backfill, migrations.RunPython.noop),
    ]
