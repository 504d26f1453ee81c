"""A layout that never slips (issue 15, part 4): every public page fits a 320 px phone, a 390 px
phone and a 1366 px laptop, its header stays within a height budget, and the category menu
never hides a category (what does not fit goes into its "Plus" list) nor offers an empty one.

The pages are the axe walk's public ones (tests/browser/axe_pages.py: `PUBLIC`), shown by its
town (tests/browser/axe_town.py), whose dozen top categories overflow the menu's row even at
1366 px.
"""

import pytest
from playwright.sync_api import expect

from tests.browser.axe_pages import PUBLIC, AxePage
from tests.browser.town_site import OVERFLOWING_JS, entry_open

WIDTHS = {320: 640, 390: 844, 1366: 900}  # width: height
# The header's height (px), at most. Today a phone's measures 217 (utility row 40, brand and
# search 122, category row 54) and a laptop's 172 (40, 77, 54); the checkout's own header is
# lower. A utility row wrapping onto one more line, or the category row onto two, passes over.
HEADER_BUDGET = {320: 230, 390: 230, 1366: 185}
# The merchants' invitation in the utility row, in lines at most (it once took four or five).
MERCHANT_LINK_LINES = {320: 2, 390: 2, 1366: 1}
MENU = "nav.dx-catnav"
MENU_LINKS_JS = """(nav) => {
    const names = (selector) => [...nav.querySelectorAll(selector)]
        .map((link) => link.textContent.trim());
    return {
        bar: names('.dx-catnav__list > .dx-catnav__item a'),
        more: names('.dx-catnav__menu a'),
    };
}"""
# A bar link that is not shown whole: out of the bar or the window, hidden, or its text cut.
CUT_LINKS_JS = """(nav) => {
    const bar = nav.querySelector('.dx-catnav__list').getBoundingClientRect();
    return [...nav.querySelectorAll('.dx-catnav__list > .dx-catnav__item a')]
        .filter((link) => {
            const box = link.getBoundingClientRect();
            return !link.checkVisibility({visibilityProperty: true})
                || box.left < bar.left - 0.5 || box.right > bar.right + 0.5
                || box.top < bar.top - 0.5 || box.bottom > bar.bottom + 0.5
                || box.right > window.innerWidth || link.scrollWidth > link.clientWidth;
        })
        .map((link) => link.textContent.trim());
}"""
# The header's height, and the lines the merchants' link takes (its text's line boxes).
HEADER_JS = """() => {
    const header = document.querySelector('body header');
    const link = document.querySelector('.dx-utility__merchant');
    let lines = 0;
    if (link) {
        const range = document.createRange();
        range.selectNodeContents(link);
        const tops = [...range.getClientRects()].filter((box) => box.width > 0)
            .map((box) => Math.round(box.top));
        lines = new Set(tops).size;
    }
    return {
        header: header ? Math.round(header.getBoundingClientRect().height) : 0,
        merchantLines: lines,
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
    };
}"""


@pytest.fixture(autouse=True)
def _isolated_files():
    """Replaces the suite's per-test media folder: the town's pictures live for the module
    (`town_site` gives it a folder of its own)."""


def menu_names(town) -> list[str]:
    """What the menu offers, in order: all products, the shops, then each top category that
    holds a product (the town's empty one is left out)."""
    tops = [c.name for key, c in town.categories.items() if c.depth == 1 and key != "empty"]
    return ["Tous les produits", "Boutiques", *tops]


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("entry", PUBLIC, ids=lambda entry: entry.name)
def test_page_fits_the_window_under_a_header_within_budget(
    entry: AxePage, width: int, town_site, role_page
):
    page = entry_open(
        entry, width=width, height=WIDTHS[width], town_site=town_site, role_page=role_page
    )

    measures = page.evaluate(HEADER_JS)
    if measures["scroll"] > measures["inner"]:
        culprits = page.evaluate(OVERFLOWING_JS)
        pytest.fail(
            f"{entry.name} at {width} px is {measures['scroll']} px wide; sticking out, the "
            f"furthest first: {culprits}"
        )
    assert measures["merchantLines"] <= MERCHANT_LINK_LINES[width], (
        f"{entry.name} at {width} px: the merchants' link takes {measures['merchantLines']} lines"
    )
    assert measures["header"] <= HEADER_BUDGET[width], (
        f"{entry.name} at {width} px: the header is {measures['header']} px tall, over its "
        f"{HEADER_BUDGET[width]} px budget"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_menu_shows_each_category_whole_or_in_its_plus_list(width: int, town_site, role_page):
    server, town = town_site
    page = role_page("anonymous")
    page.set_viewport_size({"width": width, "height": WIDTHS[width]})
    page.goto(server + "/")
    nav = page.locator(MENU)

    links = nav.evaluate(MENU_LINKS_JS)
    assert links["bar"] + links["more"] == menu_names(town), links
    assert links["more"], "the town's categories overflow the row: some go into the list"
    assert not nav.evaluate(CUT_LINKS_JS), f"cut or hidden at {width} px"
    assert "Instruments de musique" not in links["bar"] + links["more"]

    button = nav.get_by_role("button", name="Plus de catégories")
    menu = nav.locator("#dx-catnav-more")
    expect(menu).to_be_hidden()
    # Its own list, reached with the keyboard: Enter opens, Escape closes and gives the focus
    # back, Space opens again.
    button.focus()
    page.keyboard.press("Enter")
    expect(button).to_have_attribute("aria-expanded", "true")
    for name in links["more"]:  # the list scrolls when taller than the window allows
        link = menu.get_by_role("link", name=name, exact=True)
        link.scroll_into_view_if_needed()
        expect(link).to_be_in_viewport()
    page.keyboard.press("Tab")
    expect(menu.get_by_role("link", name=links["more"][0], exact=True)).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "the open list widens"
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.keyboard.press(" ")
    expect(menu).to_be_visible()
    page.mouse.click(1, 1)  # elsewhere: the list closes
    expect(menu).to_be_hidden()


def test_menu_shows_every_category_without_javascript(browser, town_site):
    """The row wraps instead: every category is on screen, and no "Plus" button is offered."""
    server, town = town_site
    context = browser.new_context(
        locale="fr-FR", java_script_enabled=False, viewport={"width": 390, "height": 844}
    )
    page = context.new_page()
    page.goto(server + "/")
    nav = page.locator(MENU)

    links = nav.evaluate(MENU_LINKS_JS)
    assert links == {"bar": menu_names(town), "more": []}
    assert not nav.evaluate(CUT_LINKS_JS)
    expect(nav.get_by_role("button")).to_have_count(0)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
