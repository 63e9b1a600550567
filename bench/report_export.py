"""Peak memory of the XLSX export of 100,000 participations, in a process of its own.

Run by bench_reports after bench/report_data.py has built `lms_bench_reports` (or alone:
`.venv/bin/python bench/report_export.py`). As a centre admin it downloads
`/admin/reports/course/?export=xlsx&course=<id>` for a course with at least 100,000 enrolments
through the test client and the real view, after one small export of the same course (a single
unit) that loads the code and templates a long-running server has loaded anyway. The figure is
the growth of the peak resident set (VmHWM, reset through /proc/self/clear_refs just before the
request) over the resident set before it, so what the process held before does not count.
Prints name=value.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ROWS = 100_000


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status")


def _reset_peak() -> bool:
    """Reset VmHWM to the current RSS (Linux 4.0+); False where that is not allowed."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def download(client, url, target: Path) -> int:
    """GET url into target; the HTTP status."""
    response = client.get(url)
    with target.open("wb") as out:
        if response.streaming:
            for chunk in response.streaming_content:
                out.write(chunk)
        else:
            out.write(response.content)
    response.close()
    return response.status_code


def export_course_and_unit():
    """A course with at least ROWS enrolments, and a small unit for the warm-up."""
    from django.db.models import Count

    from courses.models import Enrolment
    from lms.people.models import Authority

    course_id, count = (
        Enrolment.objects.values_list("course_id")
        .annotate(n=Count("pk"))
        .order_by("-n", "course_id")
        .first()
    )
    if count < ROWS:
        raise SystemExit(f"the largest course has {count} enrolments, fewer than {ROWS}")
    unit = (
        Authority.objects.filter(numchild=0)
        .annotate(people=Count("members"))
        .filter(people__gt=0)
        .order_by("people", "pk")
        .first()
    )
    return course_id, count, unit.pk


def rows_in(path: Path) -> int:
    """Data rows of the downloaded workbook (its header row not counted)."""
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    try:
        return sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True)) - 1
    finally:
        workbook.close()


def main():
    from bench.report_data import environment

    os.environ.update(environment())
    import django

    django.setup()
    from bench.report_data import admin_client

    client = admin_client()
    course_id, enrolments, unit_id = export_course_and_unit()
    url = f"/admin/reports/course/?export=xlsx&course={course_id}"
    with tempfile.TemporaryDirectory(prefix="lms-bench-export-") as tmp:
        warm = Path(tmp) / "warm.xlsx"
        status = download(client, f"{url}&authority={unit_id}", warm)
        if status != 200:
            raise SystemExit(f"the warm-up export answered {status}")
        target = Path(tmp) / "export.xlsx"
        exact = _reset_peak()
        before = _status_kib("VmRSS") if exact else _status_kib("VmHWM")
        start = time.perf_counter()
        status = download(client, url, target)
        seconds = time.perf_counter() - start
        peak = _status_kib("VmHWM")
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
        rows = rows_in(target)
        size = target.stat().st_size
    print(f"export_100k_course_enrolments={enrolments}")
    print(f"export_100k_rows={rows}")
    print(f"export_100k_file_mb={size / 2**20:.1f}")
    print(f"export_100k_seconds={seconds:.1f}")
    print(f"export_100k_rss_before_mb={before / 1024:.1f}")
    print(f"export_100k_peak_mb={(peak - before) / 1024:.1f}")
    if not exact:
        print("export_100k_peak_note=VmHWM could not be reset; the growth may be understated")


if __name__ == "__main__":
    main()
