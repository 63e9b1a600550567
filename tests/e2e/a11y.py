"""Accessibility checks for the browser journeys: axe-core (WCAG 2.1 A and AA rules) and a few
things axe does not check the way the platform promises them (BITV 2.0 / EN 301 549).

axe-core comes from the npm registry (tests/e2e/package-lock.json) and is read from
node_modules: no page ever loads it from a CDN.
"""

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from playwright.sync_api import Error as PlaywrightError

AXE_PATH = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ("wcag2a", "wcag2aa", "wcag21a", "wcag21aa")
# Violations of these impacts fail a journey; the others are printed.
BLOCKING_IMPACTS = ("serious", "critical")


@dataclass(frozen=True)
class KnownViolation:
    """A serious violation that is reported and awaits its fix outside these tests."""

    rule: str
    selector: str  # the elements it is known on (CSS)
    where: str


# Serious or critical violations accepted for now, printed wherever they occur, each naming
# where its fix belongs. Empty: every serious or critical violation fails the journey.
KNOWN_VIOLATIONS: tuple = ()


@cache
def axe_source() -> str:
    if not AXE_PATH.exists():
        raise FileNotFoundError(f"{AXE_PATH} is missing: `make e2e-deps` installs axe-core.")
    return AXE_PATH.read_text(encoding="utf-8")


@dataclass
class AxeResult:
    name: str
    url: str
    violations: list = field(default_factory=list)
    # Serious or critical violations whose every node is a known one (KNOWN_VIOLATIONS).
    known: list = field(default_factory=list)
    # False for pages whose findings are reported only (staff pages in the Wagtail admin).
    enforced: bool = True

    @property
    def serious(self):
        return [v for v in self.violations if v["impact"] in BLOCKING_IMPACTS]

    @property
    def blocking(self):
        return [v for v in self.serious if v not in self.known]

    def line(self) -> str:
        text = f"axe {self.name}: {len(self.violations)} violations"
        text += f" (serious/critical: {len(self.serious)}"
        text += f", of them known and reported: {len(self.known)})" if self.known else ")"
        if self.violations:
            text += " [" + ", ".join(f"{v['id']} ({v['impact']})" for v in self.violations) + "]"
        if not self.enforced:
            text += " – reported only (staff page)"
        return text

    def details(self, violations=None) -> str:
        lines = []
        for violation in self.violations if violations is None else violations:
            lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
            lines.append(f"  {violation['helpUrl']}")
            for node in violation["nodes"]:
                target = " ".join(
                    " >> ".join(part) if isinstance(part, list) else part for part in node["target"]
                )
                lines.append(f"    at {target}: {node['html'][:160]}")
        return "\n".join(lines)


def axe_check(page, name) -> AxeResult:
    """Runs axe on the page as it is now, with the WCAG 2.0/2.1 A and AA rules."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        try:
            page.add_script_tag(content=axe_source())
        except PlaywrightError as error:
            if "Content Security Policy" not in str(error):
                raise
            # The site's policy refuses inline scripts, rightly; evaluating through the
            # DevTools protocol is not subject to it, and the policy stays on for the page.
            page.evaluate(axe_source())
    results = page.evaluate(
        """tags => axe.run(document, {runOnly: {type: "tag", values: tags},
                                      resultTypes: ["violations"]})""",
        list(AXE_TAGS),
    )
    result = AxeResult(name=name, url=page.url, violations=results["violations"])
    result.known = [v for v in result.serious if _all_known(page, v)]
    return result


def _all_known(page, violation) -> bool:
    selectors = [k.selector for k in KNOWN_VIOLATIONS if k.rule == violation["id"]]
    targets = [node["target"] for node in violation["nodes"]]
    if not selectors or any(len(target) != 1 for target in targets):  # frames, shadow roots
        return False
    return page.evaluate(
        """([targets, selectors]) => targets.every(target => {
            const el = document.querySelector(target);
            return !!el && selectors.some(selector => el.matches(selector));
        })""",
        [[target[0] for target in targets], selectors],
    )


def known_violation_notes(result) -> list[str]:
    return [
        f"known: {k.rule} at {k.selector} – {k.where}"
        for v in result.known
        for k in KNOWN_VIOLATIONS
        if k.rule == v["id"]
    ]


# The first element reached with Tab, in the order the browser uses: positive tabindex first,
# then document order; hidden, disabled and inert elements are skipped.
_FIRST_FOCUSABLE = """() => {
    const selector = "a[href], area[href], button, input:not([type=hidden]), select, textarea, "
        + "summary, iframe, [tabindex], [contenteditable=''], [contenteditable=true]";
    const candidates = [...document.querySelectorAll(selector)].filter(el =>
        el.tabIndex >= 0 && !el.disabled && !el.closest("[inert]")
        && el.getClientRects().length > 0 && getComputedStyle(el).visibility !== "hidden");
    const positive = candidates.filter(el => el.tabIndex > 0)
        .sort((a, b) => a.tabIndex - b.tabIndex);
    const first = positive[0] || candidates[0];
    if (!first) return null;
    const href = first.getAttribute("href") || "";
    const target = href.startsWith("#") ? document.getElementById(href.slice(1)) : null;
    return {tag: first.tagName.toLowerCase(), href, text: first.textContent.trim(),
            targetExists: !!target};
}"""


def page_basics_problems(page, *, lang) -> list[str]:
    """What is wrong with the page's language, skip link and title; empty if nothing."""
    problems = []
    html_lang = page.evaluate("() => document.documentElement.getAttribute('lang')")
    if html_lang != lang:
        problems.append(f"<html lang> is {html_lang!r}, expected {lang!r}")
    first = page.evaluate(_FIRST_FOCUSABLE)
    if not first or first["tag"] != "a" or not first["href"].startswith("#"):
        problems.append(f"the first focusable element is not a skip link but {first!r}")
    elif not first["targetExists"]:
        problems.append(f"the skip link points to {first['href']}, which is not on the page")
    title = page.title().strip()
    # base.html's title is "<page> – <centre>": the page's own part must not be empty either.
    if not title or title.startswith(("–", "-")):
        problems.append(f"the <title> has no text of its own: {title!r}")
    return problems
