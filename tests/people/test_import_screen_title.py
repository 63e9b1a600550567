"""The people import names itself in the browser tab, as every admin screen does."""

import re

from django.urls import reverse


def test_the_import_screen_has_a_title_of_its_own(client, centre_admin):
    client.force_login(centre_admin)
    html = client.get(reverse("people_import")).content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title.startswith("Personen importieren")
