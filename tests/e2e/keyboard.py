"""Operating pages with the keyboard only: Tab and Shift+Tab to move, Space to tick, arrow keys
for radio groups and selects, typing into text fields, Enter to press buttons and links.

The helpers look at the page (which element has the focus, which value a field has) but act on
it only through key presses.
"""


def focused(page, selector) -> bool:
    return page.evaluate(
        "s => !!document.activeElement && document.activeElement.matches(s)", selector
    )


def tab_to(page, selector, *, limit=120):
    """Presses Tab, or Shift+Tab if the element lies above the focus, until it has the focus.

    Fails if it is not reached, or if the focused element shows no focus indicator
    (WCAG 2.4.7).
    """
    key = page.evaluate(
        """s => {
            const target = document.querySelector(s);
            if (!target) throw new Error("no element " + s);
            const active = document.activeElement;
            if (!active || active === document.body) return "Tab";
            const after = active.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING;
            return after ? "Tab" : "Shift+Tab";
        }""",
        selector,
    )
    for _ in range(limit):
        if focused(page, selector):
            _assert_focus_visible(page)
            return key
        page.keyboard.press(key)
    raise AssertionError(f"{selector} not reached with {key} in {limit} presses")


def _assert_focus_visible(page):
    indicator = page.evaluate(
        """() => {
            const el = document.activeElement, style = getComputedStyle(el);
            return {visible: el.matches(":focus-visible"), outline: style.outlineStyle,
                    width: style.outlineWidth, html: el.outerHTML.slice(0, 120)};
        }"""
    )
    assert indicator["visible"] and indicator["outline"] != "none", (
        f"no visible focus on {indicator['html']}: {indicator}"
    )


def _step(page, current, target, *, down, up):
    delta = target - current
    for _ in range(abs(delta)):
        page.keyboard.press(down if delta > 0 else up)


def choose_radio(page, name, value):
    """Into the radio group with (Shift+)Tab, then arrow keys to the option, or Space on it."""
    tab_to(page, f'input[type="radio"][name="{name}"]')
    values = page.locator(f'input[name="{name}"]').evaluate_all("els => els.map(e => e.value)")
    current = values.index(page.evaluate("() => document.activeElement.value"))
    target = values.index(value)
    if current == target:
        page.keyboard.press("Space")
    else:
        _step(page, current, target, down="ArrowDown", up="ArrowUp")


def tick_checkbox(page, name, value):
    tab_to(page, f'input[type="checkbox"][name="{name}"][value="{value}"]')
    page.keyboard.press("Space")


def choose_option(page, name, value):
    """A closed <select>: arrow keys change the chosen option, as on Windows and Linux."""
    selector = f'select[name="{name}"]'
    tab_to(page, selector)
    values = page.locator(selector).evaluate("el => [...el.options].map(o => o.value)")
    current = page.locator(selector).evaluate("el => el.selectedIndex")
    _step(page, current, values.index(value), down="ArrowDown", up="ArrowUp")


def type_into(page, name, text):
    tab_to(page, f'input[name="{name}"]')
    page.keyboard.type(text)


def enter(page, selector, *, limit=120):
    """Moves to a button or link with (Shift+)Tab and presses Enter."""
    tab_to(page, selector, limit=limit)
    page.keyboard.press("Enter")


def answer(page, values):
    """Enters form values (as tests/e2e/quiz.py gives them) with the keyboard only."""
    for name, value in values.items():
        kind = page.locator(f'[name="{name}"]').first.evaluate("el => el.type")
        if kind == "radio":
            choose_radio(page, name, value[0])
        elif kind == "checkbox":
            for key in value:
                tick_checkbox(page, name, key)
        elif kind.startswith("select"):
            choose_option(page, name, value)
        else:
            type_into(page, name, value)


def form_values(page, names):
    """What the form holds now for these field names (read, not changed)."""
    return page.evaluate(
        """names => Object.fromEntries(names.map(name => {
            const fields = [...document.getElementsByName(name)];
            if (fields[0].type === "radio" || fields[0].type === "checkbox")
                return [name, fields.filter(f => f.checked).map(f => f.value)];
            return [name, fields[0].value];
        }))""",
        list(names),
    )
