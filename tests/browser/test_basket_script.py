"""What Oscar's ui.js and Bootstrap did on the public pages, now done without jQuery by
static/digitaix/js/oscar-ui.js (issue 15, §5), in Chromium: a message closes, the basket's
quantity updates, and its "Retirer" link removes the line."""

import pytest
from playwright.sync_api import expect

from tests.factories import ShopFactory, product_offered

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_resident_closes_a_message_updates_then_removes_a_basket_line(live_server, page):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    tomme = product_offered(title="Tomme de Savoie", shop=ShopFactory(status="live"))

    page.goto(live_server.url + tomme.get_absolute_url())
    page.get_by_role("button", name="Ajouter au panier").first.click()
    messages = page.locator("#messages .alert")
    expect(messages.first).to_be_visible()
    shown = messages.count()  # "added to your basket", the new total
    messages.first.get_by_role("button", name="Fermer ce message").click()
    expect(messages).to_have_count(shown - 1)

    page.goto(f"{live_server.url}/basket/")
    page.get_by_label("Quantité").fill("3")
    page.get_by_role("button", name="Mettre à jour").click()
    expect(page.get_by_label("Quantité")).to_have_value("3")

    page.get_by_role("button", name="Retirer Tomme de Savoie").click()
    expect(page.get_by_text("Votre panier est vide.")).to_be_visible()
    assert not errors, errors
