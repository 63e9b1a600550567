"""The dependency audit (.ci/audit): accepted findings expire, and a package the vulnerability
service did not answer for never counts as audited."""

import importlib.util
from datetime import date
from importlib.machinery import SourceFileLoader
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit"


@pytest.fixture(scope="module")
def audit():
    loader = SourceFileLoader("ci_audit", str(SCRIPT))
    spec = importlib.util.spec_from_loader("ci_audit", loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module


TODAY = date(2026, 6, 1)


def test_an_entry_keeps_its_reason_of_several_words(audit):
    text = "PYSEC-2026-17  weasyprint  only remote URLs, which we never render  2026-09-30\n"
    [entry], problems = audit.accepted_parse(text, today=TODAY)
    assert problems == []
    assert entry.vuln_id == "PYSEC-2026-17"
    assert entry.package == "weasyprint"
    assert entry.reason == "only remote URLs, which we never render"
    assert entry.review_by == date(2026, 9, 30)


def test_comments_and_blank_lines_are_skipped(audit):
    text = "# VULN-ID package reason review-by\n\n   \nGHSA-aaaa  lxml  x  2026-06-01  # ok\n"
    accepted, problems = audit.accepted_parse(text, today=TODAY)
    assert problems == []
    assert [entry.vuln_id for entry in accepted] == ["GHSA-aaaa"]


def test_an_entry_counts_until_the_end_of_its_review_day(audit):
    text = "PYSEC-1  pillow  not reachable  2026-06-01\n"
    accepted, problems = audit.accepted_parse(text, today=date(2026, 6, 1))
    assert len(accepted) == 1 and problems == []
    accepted, problems = audit.accepted_parse(text, today=date(2026, 6, 2))
    assert accepted == []
    assert "line 1" in problems[0] and "PYSEC-1" in problems[0] and "2026-06-01" in problems[0]


@pytest.mark.parametrize(
    "line",
    [
        "PYSEC-1  pillow  2026-09-30",  # no reason
        "PYSEC-1  pillow  not reachable  30.09.2026",  # not an ISO date
        "PYSEC-1",
    ],
)
def test_a_malformed_entry_is_a_problem_with_its_line(audit, line):
    accepted, problems = audit.accepted_parse(f"# header\n{line}\n", today=TODAY)
    assert accepted == []
    assert len(problems) == 1 and problems[0].startswith("line 2:")


def test_accepted_findings_are_passed_on_as_ignored(audit, tmp_path):
    accepted, _ = audit.accepted_parse(
        "PYSEC-1  pillow  a  2026-09-30\nGHSA-x  lxml  b  2026-09-30\n", today=TODAY
    )
    command = audit.pip_audit_command(
        python="python", constraints=Path("c.txt"), accepted=accepted, output=tmp_path / "o"
    )
    assert command[command.index("--vulnerability-service") + 1] == "pypi"
    assert command[command.index("--requirement") + 1] == "c.txt"
    assert "--no-deps" in command
    ignored = [command[i + 1] for i, part in enumerate(command) if part == "--ignore-vuln"]
    assert ignored == ["PYSEC-1", "GHSA-x"]


def test_a_finding_fails_and_names_the_fix(audit):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {
                "name": "pillow",
                "version": "13.0.0",
                "vulns": [{"id": "PYSEC-9", "fix_versions": ["13.0.1"], "aliases": ["CVE-9"]}],
            },
        ]
    }
    status, lines = audit.report_outcome(report)
    assert status == audit.FINDINGS
    assert any("PYSEC-9" in line and "13.0.1" in line and "CVE-9" in line for line in lines)


def test_packages_the_service_did_not_answer_for_are_not_a_pass(audit):
    report = {
        "dependencies": [
            {"name": "django", "version": "5.2.19", "vulns": []},
            {"name": "wagtail", "skip_reason": "Dependency not found on PyPI"},
        ]
    }
    status, lines = audit.report_outcome(report)
    assert status == audit.NOT_AUDITED
    assert any("wagtail" in line for line in lines)


def test_a_clean_report_passes(audit):
    report = {"dependencies": [{"name": "django", "version": "5.2.19", "vulns": []}]}
    assert audit.report_outcome(report)[0] == audit.OK


def test_the_accept_file_of_the_repository_is_valid(audit):
    accepted_file = SCRIPT.parents[1] / "requirements" / "audit-accepted.txt"
    # Only the form: whether an acceptance has expired is the audit's to say, not the tests'.
    _, problems = audit.accepted_parse(accepted_file.read_text(), today=date.min)
    assert problems == []
