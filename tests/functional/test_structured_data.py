"""Visible on the web (issue 15, §7): every shop page carries a schema.org `LocalBusiness`
(address, geo, week hours, exceptional closures) and every product page a `Product` with each
shop's `Offer` (price, availability, seller), both with breadcrumbs; Open Graph and Twitter
card tags; the sitemap gives each shop's last change. The JSON-LD is parsed, not grepped."""

import datetime
import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    ClosingPeriodFactory,
    ShopFactory,
    category_create,
    product_offered,
    week_hours,
)

pytestmark = pytest.mark.django_db
LD = re.compile(r'<script type="application/ld\+json"[^>]*>(.*?)</script>', re.S)
REQUIRED = {
    "LocalBusiness": {"name", "url", "address", "openingHoursSpecification"},
    "Product": {"name", "url", "offers"},
    "BreadcrumbList": {"itemListElement"},
}


def json_ld(html: str) -> dict[str, dict]:
    found = {}
    for block in LD.findall(html):
        data = json.loads(block)
        assert data["@context"] == "https://schema.org"
        assert REQUIRED[data["@type"]] <= data.keys(), data
        found[data["@type"]] = data
    return found


def meta(html: str, name: str) -> str:
    match = re.search(rf'<meta (?:property|name)="{re.escape(name)}" content="([^"]*)"', html)
    return match[1] if match else ""


@pytest.fixture
def town():
    cheese = ShopFactory(
        name="Fromagerie du Lac", trade="fromagerie", description="<p>Tommes & comtés</p>",
        address_line="3 rue de Genève", postcode="73100", city="Aix-les-Bains",
        latitude=Decimal("45.688"), longitude=Decimal("5.915"), phone="04 79 00 00 00",
    )  # fmt: skip
    week_hours(cheese, days=range(1, 6))
    ClosingPeriodFactory(shop=cheese)
    ClosingPeriodFactory(
        shop=cheese,
        starts_on=timezone.localdate() - datetime.timedelta(days=40),
        ends_on=timezone.localdate() - datetime.timedelta(days=30),
    )  # over: left out
    books = ShopFactory(name="Librairie des Arcades", trade="librairie")
    cheeses = category_create("Fromages")
    tomme = product_offered(
        title="Tomme de Savoie", shop=cheese, price="18.90", category=cheeses, upc="3760000000017"
    )
    tomme.stockrecords.create(partner=books, partner_sku="T-1", price="19.50", num_in_stock=0)
    return {"cheese": cheese, "books": books, "tomme": tomme}


def test_every_shop_page_describes_the_shop_as_a_local_business(client, town):
    for shop in (town["cheese"], town["books"]):
        path = reverse("shops:storefront", kwargs={"slug": shop.code})
        html = client.get(path).content.decode()
        found = json_ld(html)
        business = found["LocalBusiness"]
        assert business["name"] == shop.name and business["url"].endswith(path)
        crumbs = found["BreadcrumbList"]["itemListElement"]
        assert [c["position"] for c in crumbs] == [1, 2, 3] and crumbs[-1]["name"] == shop.name
        assert meta(html, "og:title") == shop.name and meta(html, "twitter:card")

    cheese = reverse("shops:storefront", kwargs={"slug": town["cheese"].code})
    business = json_ld(client.get(cheese).content.decode())["LocalBusiness"]
    assert business["address"] == {
        "@type": "PostalAddress", "streetAddress": "3 rue de Genève", "postalCode": "73100",
        "addressLocality": "Aix-les-Bains", "addressCountry": "FR",
    }  # fmt: skip
    assert business["geo"] == {"@type": "GeoCoordinates", "latitude": 45.688, "longitude": 5.915}
    assert business["description"] == "Tommes & comtés" and business["telephone"]
    hours = [h for h in business["openingHoursSpecification"] if "dayOfWeek" in h]
    assert len(hours) == 10 and hours[0] == {
        "@type": "OpeningHoursSpecification", "dayOfWeek": "https://schema.org/Tuesday",
        "opens": "09:00", "closes": "12:00",
    }  # fmt: skip
    [closure] = [h for h in business["openingHoursSpecification"] if "validFrom" in h]
    assert (closure["opens"], closure["closes"]) == ("00:00", "00:00")
    assert datetime.date.fromisoformat(closure["validFrom"]) > timezone.localdate()


def test_every_product_page_describes_the_product_and_each_shops_offer(client, town):
    path = town["tomme"].get_absolute_url()
    html = client.get(path).content.decode()

    found = json_ld(html)
    product = found["Product"]
    assert product["name"] == "Tomme de Savoie" and product["gtin"] == "3760000000017"
    offers = {o["seller"]["name"]: o for o in product["offers"]}
    assert offers["Fromagerie du Lac"]["price"] == "18.90"
    assert offers["Fromagerie du Lac"]["availability"] == "https://schema.org/InStock"
    assert offers["Librairie des Arcades"]["availability"] == "https://schema.org/OutOfStock"
    assert {o["priceCurrency"] for o in product["offers"]} == {"EUR"}
    names = [c["name"] for c in found["BreadcrumbList"]["itemListElement"]]
    assert names == ["Accueil", "Produits", "Fromages", "Tomme de Savoie"]
    assert meta(html, "og:type") == "product" and meta(html, "og:url").endswith(path)


def test_user_text_in_json_ld_cannot_close_its_block(client, town):
    shop = ShopFactory(name='Chez </script><script>alert("x")</script> Max')
    html = client.get(reverse("shops:storefront", kwargs={"slug": shop.code})).content.decode()

    assert '<script>alert("x")' not in html
    assert json_ld(html)["LocalBusiness"]["name"] == shop.name  # intact once parsed


def test_the_sitemap_gives_each_shops_last_change(client, town):
    body = client.get("/sitemap-boutiques.xml").content.decode()

    entry = body.split(f"/boutiques/{town['cheese'].code}/")[1].split("</url>")[0]
    lastmod = re.search(r"<lastmod>([^<]+)</lastmod>", entry)[1]
    offer = town["tomme"].stockrecords.get(partner=town["cheese"])
    # Its offer's last change, on the portal's calendar (Paris): after 23:00 UTC, the next day.
    assert lastmod.startswith(f"{timezone.localtime(offer.date_updated):%Y-%m-%d}")
