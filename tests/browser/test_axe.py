"""axe-core finds no accessibility violation, of any impact, on any page of the portal, and no
page scrolls sideways, on a 390 px phone and a 1366 px laptop (issue 13, part 3).

The pages are listed in tests/browser/axe_pages.py (add yours there); the town they show is
seeded once for the module (tests/browser/axe_town.py) and served by a live server of the
module's own (`town_site`, tests/browser/conftest.py), so that it survives from one page to the
next. Each role has one browser context, signed in with a session made by Django's test client.
axe-core is the copy shipped inside axe-playwright-python's wheel: nothing is downloaded when
the test runs.

`DIGITAIX_AXE_REPORT=path.jsonl` appends one line per page and width (violations by rule,
page width): the counts for a closing note.
"""

import json
import os
import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.axe_pages import PAGES, AxePage
from tests.browser.axe_town import town_seed
from tests.browser.town_site import OVERFLOWING_JS, SETTINGS, entry_open

WIDTHS = {390: 844, 1366: 900}  # width: height
# WCAG 2.1 A and AA, and axe's best practices (landmarks, one h1, regions...).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
AXE = Axe()


@pytest.fixture(autouse=True)
def _isolated_files():
    """Replaces the suite's per-test media folder: the town's pictures live for the module
    (`town_site` gives it a folder of its own)."""


def violations_report(name: str, width: int, violations: list, overflow: dict) -> str:
    """What a developer needs to fix the page: per rule its impact, summary and targets."""
    lines = [f"{name} at {width} px:"]
    for violation in violations:
        lines.append(
            f"  {violation['id']} ({violation['impact']}) ×{len(violation['nodes'])}: "
            f"{violation['help']}"
        )
        for node in violation["nodes"][:8]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"      {target}")
    if overflow["scroll"] > overflow["inner"]:
        lines.append(
            f"  horizontal scroll: the page is {overflow['scroll']} px wide for a "
            f"{overflow['inner']} px window; sticking out: {overflow['culprits']}"
        )
    return "\n".join(lines)


def report_append(name: str, width: int, violations: list, overflow: dict) -> None:
    path = os.environ.get("DIGITAIX_AXE_REPORT")
    if not path:
        return
    counts = {violation["id"]: len(violation["nodes"]) for violation in violations}
    line = {"page": name, "width": width, "violations": counts, "scroll": overflow["scroll"]}
    with open(path, "a", encoding="utf-8") as report:
        report.write(json.dumps(line) + "\n")


def test_every_listed_page_answers_its_role_as_expected(db, client, settings, tmp_path):
    """Without a browser too: each entry's URL builds from the town and answers its status to
    its role (pages reached through browser steps only need to exist). Being a database test,
    it also has pytest-django set up the test database when this module runs alone."""
    settings.MEDIA_ROOT = tmp_path
    for name, value in SETTINGS.items():
        setattr(settings, name, value)
    town = town_seed()
    assert len({entry.name for entry in PAGES}) == len(PAGES)
    for entry in PAGES:
        assert entry.role in ("anonymous", *town.sessions), entry.name
        client.logout()
        if entry.role != "anonymous":
            client.force_login(town.users[entry.role])
        response = client.get(entry.url(town))
        expected = (entry.status, 302) if entry.prepare else (entry.status,)
        assert response.status_code in expected, (entry.name, response)
        if response.status_code == 200 and "html" in response["Content-Type"]:
            ids = re.findall(r'\sid="([^"]+)"', response.content.decode())
            twice = sorted({i for i in ids if ids.count(i) > 1})
            assert not twice, (
                f"{entry.name}: ids used twice (a label finds the wrong field): {twice}"
            )


def space_look_check(page) -> None:
    """A merchant's or staff page: the public site's stylesheets only (no Oscar or Bootstrap
    CSS), one menu, and a skip link whose target exists."""
    sheets = page.eval_on_selector_all("link[rel=stylesheet]", "links => links.map(l => l.href)")
    assert not [href for href in sheets if "oscar/" in href or "bootstrap" in href], sheets
    assert page.locator("nav.dx-space-nav").count() == 1
    skip = page.locator("a.dx-skip-link")
    assert skip.count() == 1 and page.locator(skip.get_attribute("href")).count() == 1


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entry", PAGES, ids=lambda entry: entry.name)
def test_page_has_no_axe_violation_and_no_sideways_scroll(
    entry: AxePage, width: int, town_site, role_page
):
    page = entry_open(
        entry, width=width, height=WIDTHS[width], town_site=town_site, role_page=role_page
    )

    violations = AXE.run(page, options=AXE_OPTIONS).response["violations"]
    overflow = page.evaluate(
        "() => ({scroll: document.documentElement.scrollWidth, inner: window.innerWidth})"
    )
    overflow["culprits"] = page.evaluate(OVERFLOWING_JS) if overflow["scroll"] > width else []
    report_append(entry.name, width, violations, overflow)
    if entry.role in ("merchant", "staff"):
        space_look_check(page)
    assert not violations and overflow["scroll"] <= overflow["inner"], violations_report(
        entry.name, width, violations, overflow
    )
