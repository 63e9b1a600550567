"""Driving the Wagtail admin (in German) the way an author or reviewer does.

Wagtail builds StreamFields in the browser: blocks are added with the "+" buttons
("Einen Block einfügen" in a stream, `data-streamfield-list-add` in a list) and a chooser of
block types, and rich text is a Draftail editor (contenteditable). The selectors below are the
roles, labels and `data-` attributes Wagtail renders, not its CSS classes.
"""

import re
import time

from playwright.sync_api import expect

from . import mfa

ADD_BLOCK = "Einen Block einfügen"


def staff_sign_in(page, email):
    """mfa.staff_sign_in, once more with the next code if the first was refused.

    allauth accepts a TOTP code once (it marks it used for its 30-second period) and only
    within its own period, so an account signing in twice in one period, or a code typed at
    the end of one, is refused; a person would then type the next code from their app.
    """
    mfa.staff_sign_in(page, email)
    if "/2fa/authenticate/" in page.url:
        time.sleep(30 - time.time() % 30 + 0.5)
        form = page.locator("form:has(input[name=code])")
        form.locator("input[name=code]").fill(mfa.current_code(mfa._secrets[email]))
        form.locator("button[type=submit]").first.click()
        page.wait_for_load_state("load")
    assert "/2fa/authenticate/" not in page.url, f"{email}: the code was refused ({page.url})"


def stream_children(field):
    """The top-level blocks of a StreamField (the field's `data-contentpath` element)."""
    container = field.locator("[data-streamfield-stream-container]").first
    return container.locator(":scope > [data-streamfield-child]")


def stream_block_add(page, field, block_type):
    """Adds a block of the type (its label in the chooser) at the end; returns the block."""
    blocks = stream_children(field)
    count = blocks.count()
    field.get_by_role("button", name=ADD_BLOCK).last.click()
    page.get_by_role("option", name=block_type, exact=True).click()
    expect(blocks).to_have_count(count + 1)
    return blocks.nth(count)


def list_items(list_field):
    """The items of a ListBlock (the list's `data-contentpath` element)."""
    container = list_field.locator("[data-streamfield-list-container]").first
    return container.locator(":scope > [data-streamfield-child]")


def list_item_add(list_field):
    """Appends an item to a ListBlock; returns it."""
    items = list_items(list_field)
    count = items.count()
    list_field.locator("[data-streamfield-list-add]").last.click()
    expect(items).to_have_count(count + 1)
    return items.nth(count)


def rich_text_fill(page, block, text):
    """Types into the block's Draftail editor, as a person would.

    Draftail writes its content into the form's hidden input a moment after typing stops; the
    form is ready to be saved once the text is in there.
    """
    editor = block.locator("[contenteditable=true]").first
    editor.click()
    page.keyboard.type(text)
    expect(editor).to_contain_text(text)
    stored = block.locator("input[type=hidden][name$='-value']").first
    expect(stored).to_have_value(re.compile(re.escape(text[:30])))


def footer_action(page, name):
    """Runs an action of the editor's footer, opening "Mehr Aktionen" if it is in there."""
    footer = page.get_by_role("navigation", name="Aktionen (Fußzeile)")
    action = footer.get_by_role("button", name=name, exact=True)
    if not action.is_visible():
        footer.get_by_role("button", name="Mehr Aktionen").click()
    action.click()
    page.wait_for_load_state("load")


def header_action(page, name):
    """Follows a link of the page header's "Aktionen" menu (explorer and editor)."""
    actions = page.get_by_role("navigation", name="Actions")
    actions.get_by_role("button", name="Aktionen", exact=True).click()
    actions.get_by_role("link", name=name, exact=True).click()
    page.wait_for_load_state("load")


def awaiting_review(page):
    """The rows of the dashboard's "Ihre Überprüfung steht aus" panel."""
    return page.get_by_role("region", name="Ihre Überprüfung steht aus").get_by_role("row")


def approve_on_dashboard(page, title):
    """Approves the page in "Ihre Überprüfung steht aus"; the row then leaves the panel."""
    row = awaiting_review(page).filter(
        has=page.get_by_role("link", name=re.compile(rf"^{re.escape(title)}$"))
    )
    expect(row).to_have_count(1)
    row.get_by_role("button", name="Aktionen").click()
    row.get_by_role("button", name="Freigeben", exact=True).click()
    expect(row).to_have_count(0)


def catalogue_page_id():
    """The demo catalogue's page id, read from the stack's database."""
    from courses.models import CatalogPage

    return CatalogPage.objects.get(url_path__endswith="/kurse/").pk


def page_id_by_slug(slug):
    from wagtail.models import Page

    return Page.objects.get(slug=slug).pk
