"""A whole state administration in PostgreSQL for the HR report benchmark, and its timings.

Run by bench_reports (or alone: `.venv/bin/python bench/report_data.py [--rebuild]`). Builds the
database `lms_bench_reports` once: the project's migrations, 200 authorities (8 ministries,
authorities and units below them) through `authority_create`, 100,000 people and 2,000,000
enrolments by `INSERT … SELECT`, 20 course pages (12 mandatory) through Wagtail, the progress
event log those enrolments would have written (about 4,000,000 events), then VACUUM ANALYZE.
A marker table written last says the build is complete, so the next run reuses it; `--rebuild`
or BENCH_REBUILD=1 builds it again. Migrations added to the project since the build
are applied to the kept data on every run.

Then times the completion-by-authority report (first page, through the test client and every
middleware) against one plain SQL GROUP BY over the same tables, in alternating samples on the
same connection: as a centre admin (everything) and as an HR coordinator of one ministry (the
scope path: the plain query is narrowed to the same subtree). Then the report of a past day
(*Stand* a month back, replayed from the event log) as a centre admin. Prints name=value.
"""

import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "lms_bench_reports"
# Bump when the data built changes: a database built by another version is built again.
BUILD_VERSION = "reports-2"

NODES = 200
PEOPLE = 100_000
UNASSIGNED = 400  # people without an authority yet (new hires, imports in progress)
COURSES = 20
MANDATORY = 12
ADMIN_EMAIL = "zentrum.admin@lernzentrum.example"
HR_EMAIL = "hr.koordination@verwaltung.example"
AS_OF_DAYS_BACK = 30

WARMUP = 3
SAMPLES = 9
SLOW_MS = 20_000


def database_url(database=DATABASE):
    return f"{PG}/{database}"


def environment() -> dict:
    """The environment of a Django process on the benchmark database."""
    return {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMS_VAR_DIR")},
        "DATABASE_URL": database_url(),
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "LMS_VAR_DIR": tempfile.mkdtemp(prefix="lms-bench-reports-"),
        "PYTHONPATH": str(ROOT),
    }


def pg_reachable() -> str | None:
    """None when the server answers, else why not."""
    import psycopg

    try:
        with psycopg.connect(database_url("postgres"), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return str(exc).strip().splitlines()[0]


def _admin_sql(sql):
    import psycopg

    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(sql)


def built_version() -> str | None:
    """The marker of a complete build, or None (no database, or a build that did not finish)."""
    import psycopg

    try:
        with psycopg.connect(database_url(), connect_timeout=3) as conn:
            row = conn.execute(
                "SELECT version FROM bench_reports_build ORDER BY built_at DESC LIMIT 1"
            ).fetchone()
    except psycopg.Error:
        return None
    return row[0] if row else None


def built_seconds() -> float:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT seconds FROM bench_reports_build ORDER BY built_at DESC LIMIT 1")
        return cursor.fetchone()[0]


def prepare(*, rebuild: bool) -> bool:
    """Make sure the database exists; True when it must be built (fresh and empty)."""
    if not rebuild and built_version() == BUILD_VERSION:
        return False
    _admin_sql(f"DROP DATABASE IF EXISTS {DATABASE} WITH (FORCE)")
    _admin_sql(f"CREATE DATABASE {DATABASE}")
    return True


# The organisation


MINISTRY_NAMES = [
    ("Ministerium des Innern, für Sicherheit und Heimatschutz", "HMdI"),
    ("Ministerium der Finanzen", "HMdF"),
    ("Ministerium der Justiz und für den Rechtsstaat", "HMdJ"),
    ("Ministerium für Kultus, Bildung und Chancen", "HKM"),
    ("Ministerium für Wissenschaft und Forschung, Kunst und Kultur", "HMWK"),
    ("Ministerium für Wirtschaft, Energie, Verkehr und Wohnen", "HMWEVW"),
    ("Ministerium für Landwirtschaft und Umwelt", "HMLU"),
    ("Ministerium für Arbeit, Integration, Jugend und Soziales", "HMAIJS"),
]
AUTHORITY_KINDS = [
    "Regierungspräsidium",
    "Landesamt",
    "Polizeipräsidium",
    "Finanzamt",
    "Amtsgericht",
    "Staatliches Schulamt",
    "Landesbetrieb",
    "Hochschulverwaltung",
]
CITIES = [
    "Darmstadt",
    "Kassel",
    "Gießen",
    "Wiesbaden",
    "Frankfurt",
    "Fulda",
    "Marburg",
    "Offenbach",
    "Hanau",
    "Limburg",
    "Wetzlar",
    "Bad Homburg",
]
# Top-level authorities per ministry: uneven, as in a real administration (46 with the 6 below).
AUTHORITIES_PER_MINISTRY = [8, 7, 6, 5, 5, 4, 3, 2]
SUB_AUTHORITIES = 6


def plan_organisation(rng) -> list[tuple]:
    """(key, parent key, name, abbreviation, kind) in creation order, NODES in all."""
    plan, authorities, units = [], [], []
    for (name, abbreviation), count in zip(MINISTRY_NAMES, AUTHORITIES_PER_MINISTRY, strict=True):
        plan.append((abbreviation, None, name, abbreviation, "ministry"))
        for n in range(count):
            kind = AUTHORITY_KINDS[(len(authorities) + n) % len(AUTHORITY_KINDS)]
            key = f"{abbreviation}-{n + 1:02d}"
            plan.append((key, abbreviation, f"{kind} {CITIES[n % len(CITIES)]}", key, "authority"))
            authorities.append(key)
    for n, parent in enumerate(rng.sample(authorities, SUB_AUTHORITIES)):
        key = f"{parent}-N{n + 1}"
        plan.append((key, parent, f"Nachgeordnete Stelle {n + 1}", key, "authority"))
        authorities.append(key)
    # Departments (Abteilungen) under authorities, then sections (Referate) under some of them.
    remaining = NODES - len(plan)
    departments = remaining * 2 // 3
    weights = [rng.paretovariate(1.5) for _ in authorities]
    for n in range(departments):
        parent = rng.choices(authorities, weights)[0]
        key = f"{parent}-A{n + 1}"
        plan.append((key, parent, f"Abteilung {n + 1}", key, "unit"))
        units.append(key)
    for n in range(NODES - len(plan)):
        parent = rng.choice(units)
        key = f"{parent}-R{n + 1}"
        plan.append((key, parent, f"Referat {n + 1}", key, "unit"))
    return plan


def build_organisation(rng) -> list[int]:
    from django.db import transaction

    from lms.people.services import authority_create

    created = {}
    with transaction.atomic():
        for key, parent, name, abbreviation, kind in plan_organisation(rng):
            created[key] = authority_create(
                name=name, abbreviation=abbreviation, kind=kind, parent=created.get(parent)
            )
    return [node.pk for node in created.values()]


def people_authorities(rng, authority_ids) -> list[int | None]:
    """One authority per person, spread unevenly (a few large authorities, many small units)."""
    weights = [min(rng.paretovariate(1.2), 40.0) for _ in authority_ids]
    assigned = PEOPLE - UNASSIGNED
    total = sum(weights)
    counts = [int(assigned * w / total) for w in weights]
    for i in range(assigned - sum(counts)):  # what the rounding left over
        counts[i % len(counts)] += 1
    people = [pk for pk, count in zip(authority_ids, counts, strict=True) for _ in range(count)]
    people += [None] * UNASSIGNED
    rng.shuffle(people)
    return people


# Plain words, split: far shorter than list literals of a hundred strings.
FIRST_NAMES = (  # noqa: SIM905
    "Anna Bernd Clara Dieter Emil Fatma Georg Hanna Ingrid Jonas Katrin Lukas Maria Niklas Olga "
    "Paul Renate Stefan Tanja Uwe Vera Werner Yusuf Zeynep Andreas Birgit Christian Daniela Elke "
    "Frank Gisela Heike Jürgen Karin Lena Markus Nadine Oliver Petra Sabine Thomas Ulrike"
).split()
LAST_NAMES = (  # noqa: SIM905
    "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Schäfer Koch "
    "Bauer Richter Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger Hofmann Hartmann "
    "Lange Schmitt Werner Schmitz Krause Meier Lehmann Schmid Schulze Maier Köhler Herrmann König "
    "Walter Mayer Huber Kaiser Fuchs Peters Lang Scholz Möller Weiß Jung Hahn Schubert Vogel "
    "Friedrich Keller Günther Frank Berger Winkler Roth Beck Lorenz Baumann Franke Albrecht Yilmaz"
).split()


def insert_people(cursor, authorities):
    """PEOPLE people in one INSERT … SELECT; unusable passwords ("!…"), as after an import."""
    cursor.execute(
        """
        INSERT INTO people_user (password, is_superuser, email, first_name, last_name,
            preferred_language, personnel_number, is_active, is_staff, date_joined, authority_id)
        SELECT '!' || md5(g::text), false,
            translate(lower(first || '.' || last), 'äöüß ', 'aous-') || '.' || g
                || '@verwaltung.example',
            first, last, CASE WHEN g %% 9 = 0 THEN 'en' ELSE 'de' END,
            CASE WHEN g %% 10 = 0 THEN '' ELSE 'PN-' || lpad(g::text, 7, '0') END,
            g %% 50 <> 0, false, now() - (g %% 3000) * interval '1 day', authority_id
        FROM unnest(%(authorities)s::bigint[]) WITH ORDINALITY AS a(authority_id, g)
        JOIN unnest(%(first)s::text[]) WITH ORDINALITY AS f(first, n)
            ON f.n = 1 + (g * 7) %% %(first_count)s
        JOIN unnest(%(last)s::text[]) WITH ORDINALITY AS l(last, n)
            ON l.n = 1 + (g * 13 + g / 97) %% %(last_count)s
        ORDER BY g
        """,
        {
            "authorities": authorities,
            "first": FIRST_NAMES,
            "first_count": len(FIRST_NAMES),
            "last": LAST_NAMES,
            "last_count": len(LAST_NAMES),
        },
    )


COURSE_TITLES = [
    # Mandatory (MANDATORY of them come first).
    "Informationssicherheit am Arbeitsplatz",
    "Datenschutz im Verwaltungsalltag",
    "Korruptionsprävention",
    "Arbeitsschutz und Erste Hilfe",
    "Brandschutzunterweisung",
    "Allgemeines Gleichbehandlungsgesetz",
    "Barrierefreie Dokumente",
    "Grundlagen des Onlinezugangsgesetzes",
    "Einführung in die E-Akte",
    "Umgang mit Verschlusssachen (VS-NfD)",
    "Compliance in der Landesverwaltung",
    "Notfall- und Krisenmanagement",
    # Self-chosen.
    "Projektmanagement in der Verwaltung",
    "Agiles Arbeiten",
    "Führen auf Distanz",
    "Tabellenkalkulation für Fortgeschrittene",
    "Englisch für die Verwaltung",
    "Zeit- und Selbstmanagement",
    "Moderation von Besprechungen",
    "Künstliche Intelligenz in der Verwaltung",
]


def build_courses() -> list[tuple[int, bool]]:
    from courses.models import CatalogPage, CoursePage
    from home.models import HomePage

    home = HomePage.objects.first()
    catalog = home.add_child(instance=CatalogPage(title="Kurse", slug="kurse"))
    catalog.save_revision().publish()
    courses = []
    for n, title in enumerate(COURSE_TITLES[:COURSES]):
        mandatory = n < MANDATORY
        course = catalog.add_child(
            instance=CoursePage(
                title=title,
                slug=f"kurs-{n + 1}",
                summary=f"{title}: was jede und jeder in der Landesverwaltung wissen muss.",
                duration_minutes=30 + 15 * (n % 5),
                is_mandatory=mandatory,
                validity_months=24 if mandatory else None,
            )
        )
        course.save_revision().publish()
        courses.append((course.pk, mandatory))
    return courses


def insert_enrolments(cursor, courses):
    """Every person in every course (PEOPLE × COURSES rows), in the order they were enrolled.

    Mandatory courses are assigned by a rule (65 %) or by HR (30 %) or chosen (5 %); the others are
    chosen (85 %) or assigned (15 %). Assigned ones are due 30–150 days after enrolment, which
    lies up to 18 months back, so due dates are past and future. About 60 % are completed: more of
    those whose due date has passed, fewer of those still due; the rest of the past-due are
    overdue. A hash of (person, course) decides, so every build is the same.
    """
    cursor.execute(
        """
        INSERT INTO courses_enrolment
            (user_id, course_id, source, enrolled_at, due_on, completed_at, progress_percent)
        SELECT user_id, course_id, source, enrolled_at, due_on,
            CASE WHEN completed THEN least(
                enrolled_at + ((h2 / 100) %% 120) * interval '1 day' + interval '3 hours',
                now() - interval '1 hour') END,
            CASE WHEN completed THEN 100 ELSE (h2 / 7) %% 100 END
        FROM (
            SELECT *, (h1 / 100000) %% 100 < CASE WHEN due_on IS NULL THEN 55
                WHEN due_on < current_date THEN 75 ELSE 35 END AS completed
            FROM (
                SELECT *, CASE WHEN source <> 'self'
                    THEN enrolled_at::date + (30 + (h1 / 100) %% 121)::int END AS due_on
                FROM (
                    SELECT user_id, course_id, h1, h2,
                        CASE WHEN mandatory THEN
                            CASE WHEN h1 %% 100 < 65 THEN 'rule'
                                WHEN h1 %% 100 < 95 THEN 'assigned' ELSE 'self' END
                        ELSE CASE WHEN h1 %% 100 < 85 THEN 'self' ELSE 'assigned' END
                        END AS source,
                        now() - ((h2 / 1000) %% 540) * interval '1 day'
                            - (h2 %% 86400) * interval '1 second' AS enrolled_at
                    FROM (
                        SELECT u.id AS user_id, c.id AS course_id, c.mandatory,
                            abs(hashint8(u.id * 64 + c.k)::bigint) AS h1,
                            abs(hashint8(u.id * 64 + c.k + 1000000007)::bigint) AS h2
                        FROM people_user AS u
                        CROSS JOIN unnest(%(ids)s::int[], %(mandatory)s::bool[])
                            WITH ORDINALITY AS c(id, mandatory, k)
                        WHERE NOT u.is_superuser
                        OFFSET 0
                    ) AS pairs
                    OFFSET 0  -- each step computed once per row, not inlined into the next
                ) AS sourced
                OFFSET 0
            ) AS due
            OFFSET 0
        ) AS done
        ORDER BY enrolled_at
        """,
        {"ids": [pk for pk, _m in courses], "mandatory": [m for _pk, m in courses]},
    )


def insert_events(cursor):
    """The progress event log the enrolments would have written, as the services write it:
    enrolled or assigned (with the due date) when enrolled, a lesson opened an hour later for
    those with progress, completed when completed; the person's authority on each."""
    cursor.execute(
        """
        INSERT INTO courses_progressevent
            (user_id, course_id, lesson_id, authority_id, kind, occurred_at, data)
        SELECT user_id, course_id, NULL, authority_id, kind, occurred_at, data FROM (
            SELECT e.user_id, e.course_id, u.authority_id,
                CASE WHEN e.source = 'self' THEN 'enrolled' ELSE 'assigned' END AS kind,
                e.enrolled_at AS occurred_at,
                jsonb_build_object('due_on', e.due_on::text) AS data
            FROM courses_enrolment AS e JOIN people_user AS u ON u.id = e.user_id
            UNION ALL
            SELECT e.user_id, e.course_id, u.authority_id, 'lesson_opened',
                e.enrolled_at + interval '1 hour', '{}'::jsonb
            FROM courses_enrolment AS e JOIN people_user AS u ON u.id = e.user_id
            WHERE e.progress_percent > 0
            UNION ALL
            SELECT e.user_id, e.course_id, u.authority_id, 'course_completed', e.completed_at,
                '{}'::jsonb
            FROM courses_enrolment AS e JOIN people_user AS u ON u.id = e.user_id
            WHERE e.completed_at IS NOT NULL
        ) AS events
        ORDER BY occurred_at
        """
    )


# For the build's transactions only. JIT compiling the generating SELECTs costs more than it saves.
BULK_SETTINGS = [
    "synchronous_commit = off",
    "jit = off",
    "work_mem = '256MB'",
    "maintenance_work_mem = '512MB'",
]


@contextmanager
def indexes_built_afterwards(cursor, table):
    """Load a table without its secondary indexes and unique and foreign-key constraints, then
    create them again with the migrations' names and definitions (as pg_restore does). One index
    build and one validating query each are much faster than 2,000,000 index insertions and
    4,000,000 deferred foreign-key checks; the schema afterwards is the migrations' own."""
    cursor.execute(
        "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
        " WHERE conrelid = %s::regclass AND contype IN ('u', 'f') ORDER BY conname",
        [table],
    )
    constraints = cursor.fetchall()
    cursor.execute(
        "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index"
        " WHERE indrelid = %s::regclass AND NOT indisprimary AND indexrelid NOT IN"
        " (SELECT conindid FROM pg_constraint WHERE conrelid = %s::regclass)",
        [table, table],
    )
    indexes = cursor.fetchall()
    for name, _definition in constraints:
        cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
    for name, _definition in indexes:
        cursor.execute(f"DROP INDEX {name}")
    yield
    for _name, definition in indexes:
        cursor.execute(definition)
    for name, definition in constraints:
        cursor.execute(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')


def build() -> dict:
    """The whole data set; seconds per step."""
    from django.core.management import call_command
    from django.db import connection, transaction

    from lms.people.models import User

    steps = {}
    start = time.perf_counter()
    call_command("migrate", verbosity=0)
    steps["migrate"] = time.perf_counter()
    rng = random.Random(2026)
    authority_ids = build_organisation(rng)
    steps["organisation"] = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in BULK_SETTINGS:
            cursor.execute(f"SET LOCAL {setting}")
        insert_people(cursor, people_authorities(rng, authority_ids))
    steps["people"] = time.perf_counter()
    courses = build_courses()
    User.objects.create_superuser(ADMIN_EMAIL, first_name="Zentrum", last_name="Verwaltung")
    steps["courses"] = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in BULK_SETTINGS:
            cursor.execute(f"SET LOCAL {setting}")
        with indexes_built_afterwards(cursor, "courses_enrolment"):
            insert_enrolments(cursor, courses)
    steps["enrolments"] = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        for setting in BULK_SETTINGS:
            cursor.execute(f"SET LOCAL {setting}")
        with indexes_built_afterwards(cursor, "courses_progressevent"):
            insert_events(cursor)
    steps["events"] = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    steps["analyze"] = time.perf_counter()
    seconds, last = {}, start
    for name, at in steps.items():
        seconds[name] = round(at - last, 1)
        last = at
    seconds["total"] = round(last - start, 1)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_reports_build (version text, built_at timestamptz DEFAULT now(),"
            " seconds double precision)"
        )
        cursor.execute(
            "INSERT INTO bench_reports_build (version, seconds) VALUES (%s, %s)",
            [BUILD_VERSION, seconds["total"]],
        )
    return seconds


def counts() -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (SELECT count(*) FROM people_authority),"
            " (SELECT count(*) FROM people_user WHERE NOT is_superuser AND email <> %s),"
            " (SELECT count(*) FROM courses_coursepage),"
            " (SELECT count(*) FROM courses_coursepage WHERE is_mandatory),"
            " (SELECT count(*) FROM courses_enrolment),"
            " (SELECT max(n) FROM (SELECT count(*) AS n FROM courses_enrolment"
            "  GROUP BY course_id) AS per_course),"
            " (SELECT count(*) FROM courses_progressevent)",
            [HR_EMAIL],  # the benchmark's HR coordinator is not one of the people counted
        )
        keys = (
            "authorities",
            "people",
            "courses",
            "mandatory",
            "enrolments",
            "largest_course",
            "events",
        )
        return dict(zip(keys, cursor.fetchone(), strict=True))


# The timings

# The report's own definitions: overdue is a due date before the local day (not the database
# server's day, which differs around midnight), self-chosen courses left out.
PLAIN_SQL = """
    SELECT u.authority_id, count(*),
        count(*) FILTER (WHERE e.completed_at IS NOT NULL),
        count(*) FILTER (WHERE e.completed_at IS NULL AND e.due_on < %(today)s)
    FROM courses_enrolment AS e JOIN people_user AS u ON u.id = e.user_id
    WHERE e.source <> 'self'
    GROUP BY 1
"""
# The same for one subtree of the organisation: the people of its authorities.
PLAIN_SQL_SCOPE = """
    SELECT u.authority_id, count(*),
        count(*) FILTER (WHERE e.completed_at IS NOT NULL),
        count(*) FILTER (WHERE e.completed_at IS NULL AND e.due_on < %(today)s)
    FROM courses_enrolment AS e JOIN people_user AS u ON u.id = e.user_id
        JOIN people_authority AS a ON a.id = u.authority_id
    WHERE e.source <> 'self' AND a.path LIKE %(path)s
    GROUP BY 1
"""


def plain_sql(scope_path=None):
    from django.db import connection
    from django.utils import timezone

    params = {"today": timezone.localdate()}
    with connection.cursor() as cursor:
        if scope_path is None:
            cursor.execute(PLAIN_SQL, params)
        else:
            cursor.execute(PLAIN_SQL_SCOPE, {**params, "path": scope_path + "%"})
        return cursor.fetchall()


def centre_admin():
    from lms.people.models import User

    return User.objects.get(email=ADMIN_EMAIL)


def hr_coordinator():
    """An HR coordinator (the HR group, one scope) of the first ministry, created on first use
    so that a kept database needs no rebuild; (user, the scope's tree path)."""
    from django.contrib.auth.models import Group

    from lms.people.models import Authority, HRScope, User
    from lms.people.roles import ROLE_GROUP_NAMES, Role

    ministry = Authority.objects.filter(depth=1).order_by("path").first()
    user, _created = User.objects.get_or_create(
        email=HR_EMAIL,
        defaults={"first_name": "Personal", "last_name": "Koordination", "authority": ministry},
    )
    user.groups.add(Group.objects.get(name=ROLE_GROUP_NAMES[Role.HR]))
    HRScope.objects.get_or_create(user=user, authority=ministry)
    return User.objects.get(pk=user.pk), ministry.path


def signed_in_client(user):
    """A test client signed in as `user`. Staff MFA is off in the test settings
    (MFA_REQUIRED_FOR_STAFF), so no second factor is needed."""
    from django.conf import settings
    from django.test import Client

    # The client's host; setup_test_environment() would allow it too, but would also instrument
    # every template render (a signal and a context copy per template), which is not the view's.
    if "testserver" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(user)
    return client


def admin_client():
    """A test client signed in as the centre admin (a superuser)."""
    return signed_in_client(centre_admin())


def check_figures(viewer, rows):
    """The report's totals are the plain query's, or the comparison means nothing."""
    from lms.reports.selectors import ReportFilters, completion_by_authority

    report = completion_by_authority(viewer=viewer, filters=ReportFilters())
    plain = [sum(row[i] for row in rows) for i in (1, 2, 3)]
    ours = [report.total.total, report.total.completed, report.total.overdue]
    if ours != plain:
        raise SystemExit(f"the report counts {ours}, the plain query {plain}")
    return report


def _get(client, url):
    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"GET {url} answered {response.status_code}")
    return response


def time_view(timed, client, url, *, marker, plain=None):
    """Median ms of the view (and of `plain`, in alternating samples), and the samples taken.

    A view that takes longer than SLOW_MS counts its first request as its only sample, so a
    regression (or the replay of a past day) shows as a figure instead of a run that does not
    end."""
    start = time.perf_counter()
    first = _get(client, url)
    first_ms = (time.perf_counter() - start) * 1000
    if marker not in first.content.decode():
        raise SystemExit(f"GET {url} does not show {marker!r}")
    if first_ms > SLOW_MS:
        return first_ms, (timed(plain, repeat=1) if plain else None), 1
    for _ in range(WARMUP):
        _get(client, url)
        if plain is not None:
            plain()
    ours, theirs = [], []
    for _ in range(SAMPLES):
        ours.append(timed(lambda: _get(client, url), repeat=1))
        if plain is not None:
            theirs.append(timed(plain, repeat=1))
    return (
        statistics.median(ours),
        statistics.median(theirs) if theirs else None,
        SAMPLES,
    )


URL = "/admin/reports/completion/"


def time_reports(timed):
    """name=value lines of the admin figure, the HR coordinator's and the past day's."""
    import datetime

    from django.db import connection
    from django.utils import timezone

    admin = centre_admin()
    report = check_figures(admin, plain_sql())
    ours, plain, samples = time_view(
        timed, admin_client(), URL, marker=report.rows[0].name, plain=plain_sql
    )
    yield "report_rows", len(report.rows)
    yield "report_samples", samples
    yield "report_by_authority_ms", f"{ours:.1f}"
    yield "report_plain_sql_ms", f"{plain:.1f}"
    yield "report_by_authority_ratio", f"{ours / plain:.2f}"

    hr, path = hr_coordinator()
    report = check_figures(hr, plain_sql(path))
    ours, plain, samples = time_view(
        timed,
        signed_in_client(hr),
        URL,
        marker=report.rows[0].name,
        plain=lambda: plain_sql(path),
    )
    yield "report_hr_rows", len(report.rows)
    yield "report_hr_enrolments", report.total.total
    yield "report_by_authority_hr_ms", f"{ours:.1f}"
    yield "report_plain_sql_hr_ms", f"{plain:.1f}"
    yield "report_by_authority_hr_ratio", f"{ours / plain:.2f}"

    as_of = timezone.localdate() - datetime.timedelta(days=AS_OF_DAYS_BACK)
    ours, _plain, samples = time_view(
        timed, admin_client(), f"{URL}?as_of={as_of.isoformat()}", marker=report.rows[0].name
    )
    yield "report_as_of_days_back", AS_OF_DAYS_BACK
    yield "report_as_of_samples", samples
    yield "report_as_of_ms", f"{ours:.1f}"
    connection.close()


def main(argv):
    import psycopg  # noqa: F401 (the PostgreSQL driver, needed for everything below)

    from bench.run import timed

    rebuild = "--rebuild" in argv or os.environ.get("BENCH_REBUILD") == "1"
    fresh = prepare(rebuild=rebuild)
    os.environ.update(environment())
    import django

    django.setup()
    from django.core.management import call_command

    if fresh:
        seconds = build()
        print(f"report_build_seconds={seconds['total']}", flush=True)
        for step, value in seconds.items():
            if step != "total":
                print(f"report_build_{step}_seconds={value}", flush=True)
    else:
        call_command("migrate", verbosity=0)  # migrations added since the build
        print(f"report_build_seconds={built_seconds()}")
        print("report_build_kept=1", flush=True)  # built by an earlier run; --rebuild builds again
    for name, value in counts().items():
        print(f"report_{name}={value}", flush=True)
    for name, value in time_reports(timed):
        print(f"{name}={value}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
