"""Issue a batch of certificates through a real Celery worker on Redis and PostgreSQL.

Run by bench_certificates (or alone: `.venv/bin/python bench/certificate_batch.py [N]`). Builds
a throw-away PostgreSQL database, N completions of a course with a certificate template, starts
`celery worker` (2 processes, the machine's cores) against Redis database 14, queues one
issuing task per completion and waits until every certificate is stored. Prints name=value.
"""

import os
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BROKER = os.environ.get("BENCH_BROKER", "redis://127.0.0.1:6379/14")
TIMEOUT = 900


def _psql(sql):
    subprocess.run(["psql", f"{PG}/postgres", "-qAt", "-c", sql], check=True)


def _environment(database):
    tmp = tempfile.mkdtemp(prefix="lms-bench-certs-")
    return {
        **os.environ,
        "DATABASE_URL": f"{PG}/{database}",
        "CELERY_BROKER_URL": BROKER,
        "DJANGO_SETTINGS_MODULE": "lms.settings.test",
        "LMS_VAR_DIR": tmp,
        "PYTHONPATH": str(ROOT),
    }


def _seed(count):
    from django.core.management import call_command
    from django.utils import timezone

    from certificates.models import CertificateSignature, CertificateTemplate
    from courses.models import CatalogPage, CoursePage, Enrolment
    from home.models import HomePage
    from lms.people.models import User

    call_command("migrate", verbosity=0)
    template = CertificateTemplate(
        name="Bench",
        issuer="E-Government-Kompetenz- und Lernzentrum",
        body_de="{name} hat am {date} den Kurs „{course}“ ({duration}) abgeschlossen.",
    )
    template.signatures = [CertificateSignature(name="Dr. Maria Beispiel", function="Leitung")]
    template.save()
    home = HomePage.objects.first()
    catalog = home.add_child(instance=CatalogPage(title="Kurse", slug="bench-kurse"))
    course = catalog.add_child(
        instance=CoursePage(
            title="Informationssicherheit am Arbeitsplatz",
            slug="bench-kurs",
            summary="Bench",
            duration_minutes=30,
            validity_months=12,
            certificate_template=template,
        )
    )
    course.save_revision().publish()
    people = User.objects.bulk_create(
        User(email=f"bench{i}@verwaltung.example", first_name="Bench", last_name=f"Person {i}")
        for i in range(count)
    )
    done = timezone.now() - timedelta(minutes=5)
    return Enrolment.objects.bulk_create(
        Enrolment(user=person, course_id=course.pk, source="self", completed_at=done)
        for person in people
    )


def main(count=200):
    database = f"lms_bench_certs_{os.getpid()}"
    _psql(f"CREATE DATABASE {database}")
    env = _environment(database)
    os.environ.update(env)
    worker = None
    try:
        import django

        django.setup()
        from certificates.models import Certificate
        from certificates.tasks import certificate_issue
        from lms.celery import app

        enrolments = _seed(count)
        app.connection_for_write().default_channel.client.flushdb()
        worker = subprocess.Popen(
            [
                str(ROOT / ".venv/bin/celery"),
                "-A",
                "lms",
                "worker",
                "--concurrency",
                "2",
                "--loglevel",
                "WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while not app.control.ping(timeout=0.5):
            if time.monotonic() > deadline or worker.poll() is not None:
                raise SystemExit("the Celery worker did not start")
        start = time.perf_counter()
        for enrolment in enrolments:
            certificate_issue.delay(enrolment.pk, enrolment.completed_at.isoformat())
        issued = 0
        while issued < count:
            if time.perf_counter() - start > TIMEOUT:
                raise SystemExit(f"only {issued} of {count} certificates after {TIMEOUT} s")
            time.sleep(0.2)
            issued = Certificate.objects.filter(sha256__gt="").count()
        elapsed = time.perf_counter() - start
        rows = Certificate.objects.count()
        print(f"certificates_batch={count}")
        print(f"certificates_batch_rows={rows}")
        print(f"certificates_per_minute={count / elapsed * 60:.1f}")
    finally:
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=60)
        from django.db import connections

        connections.close_all()
        _psql(f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
