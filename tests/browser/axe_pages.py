"""Every page the axe test walks (tests/browser/test_axe.py), at 390 px and 1366 px wide.

ADD YOUR PAGE HERE when you build one: an `AxePage(name, role, url)` entry, `url` building
the path from the seeded town (tests/browser/axe_town.py; extend its seed if your page needs
more data). `role` is who opens it: "anonymous", "resident" (orders in every status, items in the
basket), "buyer" (a resident whose checkout goes to the end), "merchant" (owner of the cheese
shop, `town.shops["fromagerie"]`) or "staff" (the town's commerce staff, second factor passed).
`prepare`, when a page is only reachable after steps in the browser (checkout), takes the
page, the server's URL and the town, and runs them first. `status` is the answer expected.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from tests.browser.axe_town import Town
from tests.checkout import ADDRESS


@dataclass(frozen=True)
class AxePage:
    name: str
    role: str
    url: Callable[[Town], str]
    prepare: Callable[..., None] | None = None
    status: int = 200


def _fulfilment_chosen(page, server: str, town: Town) -> None:
    """The checkout's first step: the cheese collected, the books delivered (first slots)."""
    page.goto(f"{server}{reverse('checkout:shipping-method')}")
    for shop, mode, slot in (
        ("fromagerie", "Retrait en boutique", "Créneau de retrait"),
        ("librairie", "Livraison à domicile", "Créneau de livraison"),
    ):
        part = page.get_by_role("group", name=town.shops[shop].name)
        part.get_by_label(mode).check()
        part.get_by_label(slot).select_option(index=1)
    page.get_by_role("button", name="Continuer").click()
    page.wait_for_url(f"**{reverse('checkout:shipping-address')}")


def _address_given(page, server: str, town: Town) -> None:
    """The checkout up to its preview: fulfilment, then a new delivery address."""
    _fulfilment_chosen(page, server, town)
    for name, value in ADDRESS.items():
        page.locator(f"#id_{name}").fill(value)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(f"**{reverse('checkout:preview')}")


def _order_placed(page, server: str, town: Town) -> None:
    """A whole checkout, to its thank-you page: a cheese in the basket, collected, confirmed."""
    page.goto(server + town.products["comte"].get_absolute_url())
    page.get_by_role("button", name="Ajouter au panier").first.click()
    page.goto(f"{server}{reverse('checkout:shipping-method')}")
    part = page.get_by_role("group", name=town.shops["fromagerie"].name)
    part.get_by_label("Retrait en boutique").check()
    part.get_by_label("Créneau de retrait").select_option(index=1)
    page.get_by_role("button", name="Continuer").click()
    page.get_by_role("button", name="Confirmer la commande").click()
    page.wait_for_url(f"**{reverse('checkout:thank-you')}")


def _order(town: Town) -> str:
    return reverse("customer:order", kwargs={"order_number": town.orders[0].number})


PUBLIC = [
    AxePage("accueil", "anonymous", lambda town: reverse("home")),
    AxePage("annuaire", "anonymous", lambda town: reverse("shops:directory")),
    AxePage(
        "vitrine",
        "anonymous",
        lambda town: reverse("shops:storefront", kwargs={"slug": town.shops["fromagerie"].code}),
    ),
    AxePage("catalogue", "anonymous", lambda town: reverse("catalogue:index")),
    AxePage("categorie", "anonymous", lambda town: town.categories["cheese"].get_absolute_url()),
    AxePage("produit", "anonymous", lambda town: town.products["comte"].get_absolute_url()),
    AxePage("recherche", "anonymous", lambda town: reverse("search:search") + "?q=fromage"),
    AxePage("recherche-vide", "anonymous", lambda town: reverse("search:search") + "?q=zzzz"),
    AxePage("panier-vide", "anonymous", lambda town: reverse("basket:summary")),
    AxePage("connexion", "anonymous", lambda town: reverse("customer:login")),
    AxePage("inscription", "anonymous", lambda town: reverse("customer:register")),
    AxePage("mot-de-passe-oublie", "anonymous", lambda town: reverse("password-reset")),
    AxePage("inscription-commercant", "anonymous", lambda town: reverse("merchant-signup")),
    AxePage("page-statique", "anonymous", lambda town: town.flatpage.url),
    AxePage("mentions-legales", "anonymous", lambda town: reverse("legal:mentions-legales")),
    AxePage(
        "conditions-generales", "anonymous", lambda town: reverse("legal:conditions-generales")
    ),
    AxePage("confidentialite", "anonymous", lambda town: reverse("legal:confidentialite")),
    AxePage("cookies", "anonymous", lambda town: reverse("legal:cookies")),
    AxePage("contact", "anonymous", lambda town: reverse("legal:contact")),
    AxePage(
        "vitrine-conditions",
        "anonymous",
        lambda town: reverse("shops:terms", kwargs={"slug": town.shops["fromagerie"].code}),
    ),
    AxePage("page-introuvable", "anonymous", lambda town: "/nulle-part/", status=404),
    AxePage("panier", "resident", lambda town: reverse("basket:summary")),
    AxePage(
        "commande-reception",
        "resident",
        lambda town: reverse("checkout:shipping-method"),
    ),
    AxePage(
        "commande-adresse",
        "resident",
        lambda town: reverse("checkout:shipping-address"),
        prepare=_fulfilment_chosen,
    ),
    AxePage(
        "commande-verification",
        "resident",
        lambda town: reverse("checkout:preview"),
        prepare=_address_given,
    ),
    AxePage(
        "commande-confirmee",
        "buyer",
        lambda town: reverse("checkout:thank-you"),
        prepare=_order_placed,
    ),
    AxePage("compte-profil", "resident", lambda town: reverse("customer:profile-view")),
    AxePage("compte-profil-modifier", "resident", lambda town: reverse("customer:profile-update")),
    AxePage("compte-mot-de-passe", "resident", lambda town: reverse("customer:change-password")),
    AxePage("compte-commandes", "resident", lambda town: reverse("customer:order-list")),
    AxePage("compte-commande", "resident", _order),
    AxePage("compte-adresses", "resident", lambda town: reverse("customer:address-list")),
    AxePage("compte-adresse-ajout", "resident", lambda town: reverse("customer:address-create")),
    AxePage("compte-donnees", "resident", lambda town: reverse("privacy:data")),
]


def _shop(name: str, **kwargs) -> Callable[[Town], str]:
    """A merchant page of the cheese shop (its code, plus `kwargs` read from `town.ids`)."""

    def url(town: Town) -> str:
        args = {"slug": town.shops["fromagerie"].code}
        args.update({key: town.ids[value] for key, value in kwargs.items()})
        return reverse(name, kwargs=args)

    return url


def _staff(name: str, shop: str = "", product: str = "", **kwargs) -> Callable[[Town], str]:
    """A staff page, taking a shop's or a product's pk, or ids from `town.ids`."""

    def url(town: Town) -> str:
        args = {key: town.ids[value] for key, value in kwargs.items()}
        if shop:
            args["pk"] = town.shops[shop].pk
        if product:
            args["pk"] = town.products[product].pk
        return reverse(name, kwargs=args)

    return url


MERCHANT = [
    AxePage("boutique-aujourdhui", "merchant", _shop("space:today")),
    AxePage("boutique-commandes", "merchant", _shop("shop-orders:list")),
    AxePage(
        "boutique-commandes-filtrees",
        "merchant",
        lambda town: _shop("shop-orders:list")(town) + "?status=&q=Martin",
    ),
    AxePage("boutique-commande", "merchant", _shop("shop-orders:detail", number="shop_order")),
    AxePage("boutique-bon", "merchant", _shop("shop-orders:slip", number="shop_order")),
    AxePage("boutique-retraits", "merchant", _shop("shop-orders:pickups")),
    AxePage("boutique-produits", "merchant", _shop("merchant:products")),
    AxePage(
        "boutique-produits-filtres",
        "merchant",
        lambda town: _shop("merchant:products")(town) + "?q=comt&filtre=rupture",
    ),
    AxePage("boutique-produit-ajout", "merchant", _shop("merchant:product-add")),
    AxePage(
        "boutique-produit-ajout-catalogue",
        "merchant",
        lambda town: _shop("merchant:product-add")(town) + "?q=Roman",
    ),
    AxePage(
        "boutique-produit-ajout-nouveau",
        "merchant",
        lambda town: _shop("merchant:product-add")(town) + "?q=Tomme+aux+fleurs",
    ),
    AxePage("boutique-produit-modifier", "merchant", _shop("merchant:product-edit", pk="offer")),
    AxePage("boutique-import", "merchant", _shop("merchant:csv-import")),
    AxePage(
        "boutique-import-rapport", "merchant", _shop("merchant:csv-import-detail", pk="import")
    ),
    AxePage("boutique-horaires", "merchant", _shop("merchant:hours")),
    AxePage("boutique-fermetures", "merchant", _shop("merchant:closures")),
    AxePage("boutique-profil", "merchant", _shop("merchant:profile")),
    AxePage("boutique-equipe", "merchant", _shop("merchant:team")),
    AxePage("boutique-api", "merchant", _shop("merchant:api-keys")),
    AxePage("boutique-paiements", "merchant", lambda town: reverse("payments:index")),
    AxePage("boutique-nouvelle", "merchant", lambda town: reverse("merchant:shop-create")),
    AxePage("boutique-avis", "merchant", lambda town: reverse("review-moderation:list")),
]

STAFF = [
    AxePage("gestion-accueil", "staff", lambda town: reverse("space:staff-home")),
    AxePage("gestion-boutiques", "staff", lambda town: reverse("moderation:queue")),
    AxePage("gestion-boutique", "staff", _staff("moderation:shop", shop="pending")),
    AxePage(
        "gestion-boutique-position", "staff", _staff("moderation:shop-location", shop="fromagerie")
    ),
    AxePage(
        "gestion-identite", "staff", _staff("moderation:identity-change", pk="identity_change")
    ),
    AxePage("gestion-journal", "staff", lambda town: reverse("moderation:log")),
    AxePage("gestion-produits", "staff", lambda town: reverse("moderation:products")),
    AxePage("gestion-produit", "staff", _staff("moderation:product", product="comte")),
    AxePage("gestion-avis", "staff", lambda town: reverse("review-moderation:list")),
    AxePage("gestion-commandes", "staff", lambda town: reverse("shop-orders-support:list")),
    AxePage(
        "gestion-commande",
        "staff",
        lambda town: reverse(
            "shop-orders-support:detail", kwargs={"number": town.ids["shop_order"]}
        ),
    ),
    AxePage("gestion-livraison", "staff", lambda town: reverse("delivery-board:index")),
    AxePage("gestion-tournee", "staff", _staff("delivery-board:round", pk="round")),
    AxePage("gestion-livreurs", "staff", lambda town: reverse("delivery-board:couriers")),
    AxePage("gestion-livreur", "staff", _staff("delivery-board:courier", pk="courier")),
    AxePage("gestion-chiffres", "staff", lambda town: reverse("console:index")),
    AxePage("gestion-pages", "staff", lambda town: reverse("legal:staff-pages")),
    AxePage("gestion-recherche", "staff", lambda town: reverse("space:search-words")),
    AxePage(
        "gestion-page",
        "staff",
        lambda town: reverse("legal:staff-page", kwargs={"key": "confidentialite"}),
    ),
]

SPACES = MERCHANT + STAFF

PAGES: list[AxePage] = PUBLIC + SPACES
