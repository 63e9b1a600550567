"""Signing staff in where production requires a second factor (MFA_REQUIRED_FOR_STAFF).

A staff account signing in for the first time confirms its password once more (allauth) and
is sent to set up an authenticator app; the journey reads the secret shown on that page, as a
person would type it into their app, and answers with the current code. Later sign-ins of the
same account in the run use that secret.
"""

import re
import time

from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

DEMO_PASSWORD = "demo-lms-2026"
_secrets: dict[str, str] = {}


def current_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def staff_sign_in(page, email, password=DEMO_PASSWORD):
    """Signs in through the allauth form and completes the second factor; ends signed in."""
    page.goto("/accounts/login/")
    page.get_by_label(re.compile("E-Mail", re.I)).fill(email)
    page.get_by_label(re.compile("Passwort", re.I)).fill(password)
    page.locator("form").get_by_role("button", name="Anmelden").click()
    page.wait_for_load_state("load")
    if "/2fa/authenticate/" in page.url:
        form = page.locator("form:has(input[name=code])")
        form.locator("input[name=code]").fill(current_code(_secrets[email]))
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state("load")
    if "/accounts/reauthenticate/" in page.url:
        # allauth asks for the password once more before a second factor is set up.
        form = page.locator("form:has(input[name=password])")
        form.locator("input[name=password]").fill(password)
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
    if "/2fa/totp/activate/" in page.url:
        secret = page.locator("#authenticator_secret").input_value()
        _secrets[email] = secret
        form = page.locator("form:has(input[name=code])")
        form.locator("input[name=code]").fill(current_code(secret))
        form.locator("button[type=submit]").click()
        page.wait_for_load_state("load")
    assert "/accounts/login/" not in page.url, f"{email} was not signed in ({page.url})"
