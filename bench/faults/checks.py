"""What the database and the certificate store hold after a fault, and the checks on it.

Every query opens a connection of its own: the PostgreSQL scenario restarts the server under
the program's feet.
"""

import hashlib
import io
import json
from pathlib import Path

import psycopg
from pypdf import PdfReader


def rows(database_url, query, params=()):
    with psycopg.connect(database_url, connect_timeout=10) as connection:
        return connection.execute(query, params).fetchall()


def value(database_url, query, params=()):
    return rows(database_url, query, params)[0][0]


def course_counts(database_url, course_id):
    """Completions and certificates of one course, and the ways they could disagree."""
    (counts,) = rows(
        database_url,
        """
        SELECT
          (SELECT count(*) FROM courses_enrolment
             WHERE course_id = %(c)s AND completed_at IS NOT NULL),
          (SELECT count(*) FROM certificates_certificate
             WHERE course_id = %(c)s AND kind = 'completion'),
          (SELECT count(*) FROM certificates_certificate
             WHERE course_id = %(c)s AND kind = 'completion' AND sha256 <> ''),
          (SELECT count(*) FROM certificates_certificate
             WHERE course_id = %(c)s AND sha256 = ''),
          (SELECT count(*) FROM courses_enrolment e
             WHERE e.course_id = %(c)s AND e.completed_at IS NOT NULL AND NOT EXISTS (
               SELECT 1 FROM certificates_certificate c WHERE c.enrolment_id = e.id
                 AND c.completed_at = e.completed_at AND c.kind = 'completion')),
          (SELECT count(*) FROM (
             SELECT enrolment_id FROM certificates_certificate
               WHERE course_id = %(c)s AND kind = 'completion'
               GROUP BY enrolment_id HAVING count(*) > 1) AS twice)
        """,
        {"c": course_id},
    )
    keys = ("completions", "certificates", "issued", "pending", "missing", "duplicates")
    return dict(zip(keys, counts, strict=True))


def attempt_counts(database_url, quiz_id):
    (counts,) = rows(
        database_url,
        """
        SELECT count(*),
               count(*) FILTER (WHERE status = 'open'),
               count(*) FILTER (WHERE status <> 'open' AND score IS NOT NULL),
               count(*) FILTER (WHERE passed),
               count(*) FILTER (WHERE passed IS FALSE),
               count(DISTINCT user_id) FILTER (WHERE status <> 'open')
        FROM courses_quizattempt WHERE quiz_id = %s
        """,
        (quiz_id,),
    )
    keys = ("attempts", "open", "graded", "passed", "failed", "learners_submitted")
    return dict(zip(keys, counts, strict=True))


HALF_GRADED = """
SELECT a.id FROM courses_quizattempt a
WHERE a.status <> 'open' AND (
     a.submitted_at IS NULL OR a.score IS NULL OR a.percent IS NULL OR a.passed IS NULL
  OR (SELECT count(*) FROM jsonb_object_keys(a.results)) <> jsonb_array_length(a.questions)
  OR (SELECT count(*) FROM courses_progressevent e
        WHERE e.user_id = a.user_id AND e.kind = 'quiz_submitted'
          AND (e.data ->> 'quiz')::bigint = a.quiz_id
          AND (e.data ->> 'attempt')::int = a.number) <> 1
  OR (a.passed AND NOT EXISTS (
        SELECT 1 FROM courses_enrolment n
        JOIN wagtailcore_page q ON q.id = a.quiz_id
        JOIN wagtailcore_page c ON c.id = n.course_id
        WHERE n.user_id = a.user_id AND q.path LIKE c.path || '%%'
          AND n.completed_at IS NOT NULL)))
UNION ALL
SELECT a.id FROM courses_quizattempt a
WHERE a.status = 'open' AND (
     a.submitted_at IS NOT NULL OR a.score IS NOT NULL OR a.percent IS NOT NULL
  OR a.passed IS NOT NULL OR a.results <> '{}'::jsonb
  OR EXISTS (SELECT 1 FROM courses_progressevent e
        WHERE e.user_id = a.user_id AND e.kind = 'quiz_submitted'
          AND (e.data ->> 'quiz')::bigint = a.quiz_id
          AND (e.data ->> 'attempt')::int = a.number))
"""


def half_graded(database_url):
    """Attempts that are neither wholly open nor wholly graded, in the whole database.

    Graded: status closed, submission time, score, percentage and pass/fail set, a result for
    every question of the snapshot, exactly one `quiz_submitted` event, and for a pass a
    completed enrolment. Open: none of that.
    """
    return [attempt_id for (attempt_id,) in rows(database_url, HALF_GRADED)]


def certificate_files(database_url, course_id, private_root):
    """Each certificate's PDF: stored, the hash recorded, readable, one page, and carrying the
    certificate's own frozen content and code. Returns (good, problems)."""
    good, problems = 0, []
    found = rows(
        database_url,
        "SELECT id, code, pdf, sha256, content FROM certificates_certificate"
        " WHERE course_id = %s ORDER BY id",
        (course_id,),
    )
    for certificate_id, code, name, sha256, content in found:
        path = Path(private_root) / name if name else None
        if path is None or not path.is_file():
            problems.append(f"certificate {certificate_id}: no PDF stored ({name!r})")
            continue
        data = path.read_bytes()
        if hashlib.sha256(data).hexdigest() != sha256:
            problems.append(f"certificate {certificate_id}: file hash differs from the record")
            continue
        try:
            reader = PdfReader(io.BytesIO(data))
            attached = json.loads(reader.attachments["certificate.json"][0])
            pages = len(reader.pages)
        except Exception as error:  # a file that does not parse is the finding itself
            problems.append(f"certificate {certificate_id}: unreadable PDF ({error})")
            continue
        carried = {k: v for k, v in attached.items() if k not in ("code", "verify_url")}
        if pages != 1 or carried != content or attached["code"].replace("-", "") != code:
            problems.append(f"certificate {certificate_id}: PDF does not say what the row says")
            continue
        good += 1
    return good, problems
