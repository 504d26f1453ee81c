"""The API's docs (/api/docs/) work offline and under the Content-Security-Policy: Swagger UI,
from our static files, lists the shop's endpoints and no script or style is blocked."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_api_docs_render_under_the_policy(live_server, page):
    seen: list[str] = []
    page.on("console", lambda message: seen.append(message.text))
    page.on("pageerror", lambda error: seen.append(str(error)))
    outside: list[str] = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((live_server.url, "data:"))
            else None
        ),
    )
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.get_by_text("/api/v1/offers/", exact=True).first).to_be_visible()
    assert not [line for line in seen if "Content Security Policy" in line], seen
    assert outside == []
