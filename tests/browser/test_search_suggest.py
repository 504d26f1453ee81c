"""The search box's type-ahead (issue 15, §1), in Chromium: the shops, categories and products
the words name, reachable with the keyboard and announced to screen readers; axe-clean open."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from tests.browser.test_axe import AXE_OPTIONS


@pytest.fixture(autouse=True)
def _isolated_files():
    """The town's pictures live for the module (`town_site`)."""


@pytest.mark.parametrize("width", [390, 1366])
def test_the_type_ahead_lists_shops_categories_and_products_and_works_by_keyboard(
    role_page, town_site, width
):
    server, town = town_site
    page = role_page("anonymous")
    page.set_viewport_size({"width": width, "height": 844})
    page.goto(server + "/")
    box = page.locator("#dx-search-q")
    box.click()
    box.press_sequentially("fromag", delay=20)
    page.wait_for_selector("#dx-suggest:not([hidden]) [role=option]")
    assert box.get_attribute("role") == "combobox"
    assert box.get_attribute("aria-expanded") == "true"
    groups = page.locator("#dx-suggest [role=group]").all_inner_texts()
    assert any("Fromagerie du Lac" in group for group in groups)  # a shop
    assert any("Comté 18 mois" in group for group in groups)  # a product
    assert "suggestions" in page.locator("#dx-search-q ~ [role=status]").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    violations = Axe().run(page, options=AXE_OPTIONS).response["violations"]
    assert not violations, [v["id"] for v in violations]

    box.press("ArrowDown")
    chosen = page.locator("[role=option][aria-selected=true]")
    assert box.get_attribute("aria-activedescendant") == chosen.get_attribute("id")
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
    box.press("ArrowDown")
    target = page.locator("[role=option][aria-selected=true]").get_attribute("data-url")
    box.press("Enter")
    page.wait_for_url("**" + target)
    assert town.shops["fromagerie"].code in target or "/catalogue/" in target


def test_enter_without_a_chosen_option_searches_as_typed(role_page, town_site):
    server, _town = town_site
    page = role_page("anonymous")
    page.goto(server + "/")
    box = page.locator("#dx-search-q")
    box.fill("comté")
    box.press("Enter")
    page.wait_for_url("**/search/?q=*")
    assert "Comté 18 mois" in page.content(), page.locator("main").inner_text()[:600]
