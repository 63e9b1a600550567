"""Benchmarks: prints name=value lines. Runs on its own throw-away database.

make bench                            # SQLite in a temporary directory
.venv/bin/python bench/run.py quiz    # one group: people, courses, quiz, certificates or reports
DATABASE_URL=postgres://... make bench
.venv/bin/python bench/run.py reports --rebuild   # build lms_bench_reports (PostgreSQL) again
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup():
    tmp = tempfile.mkdtemp(prefix="lms-bench-")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lms.settings.test")
    os.environ["LMS_VAR_DIR"] = tmp
    import django

    django.setup()
    from django.test.utils import setup_databases, setup_test_environment

    setup_test_environment()  # lets the test client's host in; DEBUG stays off
    return setup_databases(verbosity=0, interactive=False)


def timed(fn, repeat=5):
    """Median wall time of fn() in milliseconds."""
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main():
    _setup()
    from bench import bench_certificates, bench_courses, bench_people, bench_quizzes, bench_reports

    modules = {"people": bench_people, "courses": bench_courses, "quiz": bench_quizzes}
    modules["certificates"] = bench_certificates
    modules["reports"] = bench_reports
    # e.g. `python bench/run.py quiz`; options such as --rebuild are for the groups themselves.
    chosen = [arg for arg in sys.argv[1:] if not arg.startswith("--")] or list(modules)
    for key in chosen:
        for name, value in modules[key].run(timed):
            print(f"{name}={value}", flush=True)


if __name__ == "__main__":
    main()
