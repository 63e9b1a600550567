"""Links in notification e-mails come from PUBLIC_BASE_URL, not the Wagtail site's hostname."""

import pytest

from tests.notifications.conftest import assign, days, html_of, inbox, sweep

PUBLIC = "https://lernen.example.org"


@pytest.fixture(autouse=True)
def _public_address(settings):
    settings.PUBLIC_BASE_URL = PUBLIC


def test_the_course_link_in_an_assignment_email_is_the_public_address(anna, mandatory_course):
    assign(anna, mandatory_course, days(30))
    sweep()

    [message] = inbox(anna)
    url = f"{PUBLIC}{mandatory_course.url}"
    assert url in message.body
    assert f'href="{url}"' in html_of(message)
    assert "://localhost" not in message.body + html_of(message)


def test_the_report_link_in_the_hr_overview_is_the_public_address(
    hr_finanzen, james, mandatory_course
):
    assign(james, mandatory_course, days(-10))
    sweep()

    [message] = inbox(hr_finanzen)
    url = f"{PUBLIC}/admin/reports/compliance/"
    assert url in message.body
    assert f'href="{url}"' in html_of(message)
