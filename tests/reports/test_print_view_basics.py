"""The printable learning record is a page of its own: it needs its own way past the print
button (a skip link), as every page of the platform has."""

import re

from django.urls import reverse


def test_print_view_starts_with_a_skip_link_to_the_record(client, hr_innen, records):
    client.force_login(hr_innen)
    bernd = records["people"]["bernd"]
    html = client.get(reverse("reports_person", args=[bernd.pk]), {"print": "1"}).content.decode()
    first_focusable = re.search(r"<(a|button)\b[^>]*>", html)
    assert first_focusable and 'href="#record"' in first_focusable.group(0)
    assert 'id="record"' in html
    assert "Zum Inhalt springen" in html
