"""HR reports on a whole state administration in PostgreSQL: 200 authorities, 100,000 people,
20 courses, 2,000,000 enrolments and their 5,260,524 progress events.

Both parts run in processes of their own on the database `lms_bench_reports`, which is built once
and kept (bench/report_data.py; `bench/run.py reports --rebuild` or BENCH_REBUILD=1 builds it
again; BENCH_POSTGRES names another server):

- report_by_authority_ratio: the completion-by-authority view (first page, as a centre admin,
  through the test client) over one plain SQL GROUP BY of the same figures (report_data.py);
- report_by_authority_hr_ratio: the same as an HR coordinator of one ministry, over the plain
  GROUP BY of that subtree;
- report_as_of_ms: the same view for a past day (*Stand* 30 days back), replayed from the
  progress event log of the 2,000,000 enrolments, as a centre admin;
- export_100k_peak_mb: growth of the peak resident set while the real view exports 100,000
  participations of one course as XLSX, in a fresh process (report_export.py).

Without a reachable PostgreSQL it prints `reports_skipped=…` and nothing else.
"""

import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bench import report_data

HERE = Path(__file__).resolve().parent
TIMEOUT = 3600


def _run(script, *args):
    """Yield (name, value) for each name=value line the script prints, as it prints them."""
    # stderr into a file: a pipe nobody reads while stdout streams could fill up and block.
    with tempfile.TemporaryFile(mode="w+") as stderr:
        process = subprocess.Popen(
            [sys.executable, str(HERE / script), *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
            env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "LMS_VAR_DIR")},
        )
        for line in process.stdout:
            if "=" in line:
                name, value = line.rstrip("\n").split("=", 1)
                yield name, value
        if process.wait(timeout=TIMEOUT) != 0:
            stderr.seek(0)
            print(stderr.read()[-3000:], file=sys.stderr)
            raise SystemExit(f"bench/{script} failed (exit status {process.returncode})")


def run(timed):
    why = report_data.pg_reachable()
    if why is not None:
        yield "reports_skipped", f"PostgreSQL is not reachable at {report_data.PG} ({why})"
        return
    rebuild = "--rebuild" in sys.argv or os.environ.get("BENCH_REBUILD") == "1"
    yield from _run("report_data.py", *(["--rebuild"] if rebuild else []))
    yield from _run("report_export.py")
