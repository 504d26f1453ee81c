"""What the law and trust require (issue 15, §3): the legal notice, the terms, the privacy and
cookie notices and a contact form, linked from every footer; the town staff write the texts in
their space; `seed_town` fills the demo's; the privacy notice is linked at every sign-up; each
shop shows who sells and on what terms."""

import pytest
from django.contrib.flatpages.models import FlatPage
from django.core import mail
from django.urls import reverse

from digitaix.demo.legal import DEMO_FACTS, legal_pages_demo_seed
from digitaix.legal.contact import CONTACT_MESSAGE
from digitaix.legal.markup import markup_html
from digitaix.legal.pages import PAGES, legal_page_save, necessary_cookies
from messaging.models import OutboxMessage
from messaging.services import message_send
from tests.factories import ShopFactory, commerce_staff_create, merchant_create

pytestmark = pytest.mark.django_db
LEGAL_URLS = [page.url for page in PAGES] + ["/contact/"]
ATTACK = '"><script>alert("xss")</script><img src=x onerror=alert(1)>'


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(client):
    return commerce_staff_create()


def test_every_legal_page_answers_with_its_default_text_until_the_town_writes_it(client):
    for page in PAGES:
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.content.decode()
        assert f"<h1>{page.title}</h1>" in html
        assert "[à compléter" in html or page.key == "cookies", page.key
    notice = client.get("/mentions-legales/").content.decode()
    for heading in ("Éditeur du portail", "Directeur de la publication", "Hébergement"):
        assert f"<h2>{heading}</h2>" in notice
    privacy = client.get("/confidentialite/").content.decode()
    for heading in ("Responsable du traitement", "Combien de temps", "Vos droits"):
        assert f"<h2>{heading}</h2>" in privacy


@pytest.mark.parametrize("path", ["/", "/catalogue/", "/boutiques/", "/basket/", "/contact/"])
def test_every_public_footer_links_the_legal_pages(client, path):
    html = client.get(path).content.decode()
    for url in LEGAL_URLS:
        assert f'href="{url}"' in html, (path, url)


def test_the_spaces_footers_link_the_legal_pages_too(client, staff):
    client.force_login(staff)
    html = client.get(reverse("space:staff-home")).content.decode()
    for url in LEGAL_URLS:
        assert f'href="{url}"' in html, url


def test_the_cookie_page_lists_every_cookie_the_portal_may_set(client):
    html = client.get("/cookies/").content.decode()
    names = [cookie.name for cookie in necessary_cookies()]
    assert {"sessionid", "csrftoken", "oscar_open_basket", "messages"} <= set(names)
    for name in names:
        assert f"<code>{name}</code>" in html
    assert "consentement" in html


def test_staff_write_a_page_and_the_public_sees_it(client, staff):
    client.force_login(staff)
    listing = client.get(reverse("legal:staff-pages")).content.decode()
    assert listing.count("Texte par défaut, à compléter") == len(PAGES)
    editor = client.get(reverse("legal:staff-page", kwargs={"key": "mentions-legales"}))
    assert "[à compléter" in editor.content.decode()  # prefilled with the default text
    text = "## Éditeur\nMairie de Digitaix\n1 place de la Mairie\n\n- un\n- deux\n" + ATTACK
    response = client.post(
        reverse("legal:staff-page", kwargs={"key": "mentions-legales"}),
        {"title": "Mentions légales", "content": text},
    )
    assert response.status_code == 302
    html = client.get("/mentions-legales/").content.decode()
    assert "<h2>Éditeur</h2>" in html
    assert "<p>Mairie de Digitaix<br>1 place de la Mairie</p>" in html
    assert "<ul><li>un</li><li>deux</li></ul>" in html
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;" in html  # shown as the text it is
    listing = client.get(reverse("legal:staff-pages")).content.decode()
    assert listing.count("Écrite par la ville") == 1


def test_an_empty_page_is_refused_and_changes_nothing(client, staff):
    client.force_login(staff)
    legal_page_save(key="cookies", title="Cookies", content="Texte de la ville.")
    response = client.post(
        reverse("legal:staff-page", kwargs={"key": "cookies"}), {"title": "", "content": "  "}
    )
    assert response.status_code == 200
    assert "La page ne peut pas être vide." in response.content.decode()
    assert FlatPage.objects.get(url="/cookies/").content == "Texte de la ville.\n"


def test_only_the_town_staff_edit_the_pages(client):
    shop = ShopFactory()
    url = reverse("legal:staff-page", kwargs={"key": "confidentialite"})
    response = client.get(url)
    assert response.status_code == 302  # to the sign-in
    for user in (merchant_create(shop, email="m@example.fr"),):
        client.force_login(user)
        assert client.get(url).status_code == 403
        assert client.post(url, {"title": "x", "content": "piraté"}).status_code == 403
        assert client.get(reverse("legal:staff-pages")).status_code == 403
    assert not FlatPage.objects.exists()
    client.force_login(commerce_staff_create())
    assert client.get(reverse("legal:staff-page", kwargs={"key": "inconnue"})).status_code == 404


def test_seed_town_fills_the_demo_texts_and_keeps_the_towns_own(client):
    legal_page_save(key="cookies", title="Nos cookies", content="Écrit par la ville.")
    assert legal_pages_demo_seed() == len(PAGES) - 1
    assert legal_pages_demo_seed() == 0
    notice = client.get("/mentions-legales/").content.decode()
    assert "[à compléter" not in notice
    assert "Hôtel de Ville, 73100 Digitaix" in notice and DEMO_FACTS["director"] in notice
    assert "Écrit par la ville." in client.get("/cookies/").content.decode()


def test_the_markup_escapes_everything_and_links_addresses():
    html = markup_html("Écrivez à dpo@ville.fr ou https://www.cnil.fr.\n<b>gras</b>")
    assert html == (
        '<p>Écrivez à <a href="mailto:dpo@ville.fr">dpo@ville.fr</a> ou '
        '<a href="https://www.cnil.fr">https://www.cnil.fr</a>.<br>&lt;b&gt;gras&lt;/b&gt;</p>'
    )


@pytest.mark.parametrize(
    "path",
    ["/accounts/login/", "/accounts/register/", "/commercants/inscription/", "/checkout/"],
)
def test_the_privacy_notice_is_linked_at_every_sign_up(client, path):
    if path == "/checkout/":  # the gateway asks a guest's e-mail: a basket is needed
        from tests.factories import product_offered

        product = product_offered(title="Tomme", shop=ShopFactory())
        client.post(reverse("basket:add", kwargs={"pk": product.pk}), {"quantity": 1})
        path = reverse("checkout:index")
    html = client.get(path, follow=True).content.decode()
    assert 'href="/confidentialite/"' in html, path
    assert "comment nous les protégeons" in html, path


# --- Contact ----------------------------------------------------------------------------


def contact(client, **changes):
    data = {
        "name": "Léa Martin",
        "email": "lea@example.fr",
        "subject": "shop",
        "order_number": "",
        "message": "Bonjour, la boulangerie ouvre-t-elle le lundi ?",
        **changes,
    }
    return client.post(reverse("legal:contact"), data)


def test_a_contact_message_leaves_through_the_outbox_to_the_town(client, settings):
    settings.DIGITAIX_CONTACT_EMAIL = "commerce@mairie.example.fr"
    response = contact(client, name=ATTACK)
    assert response.status_code == 302
    (message,) = OutboxMessage.objects.filter(kind=CONTACT_MESSAGE)
    assert message.recipients == ["commerce@mairie.example.fr"]
    assert message.context["subject"] == "Une boutique"
    mail.outbox.clear()
    assert message_send(message_id=message.pk)
    (email,) = mail.outbox
    assert email.to == ["commerce@mairie.example.fr"] and email.reply_to == ["lea@example.fr"]
    assert "ouvre-t-elle le lundi" in email.body
    assert "\n" not in email.subject
    html = email.alternatives[0][0]
    assert "<script>" not in html and "&lt;script&gt;" in html
    page = client.get(reverse("legal:contact")).content.decode()
    assert "Votre message est envoyé." in page


@pytest.mark.parametrize(
    "changes, error",
    [
        ({"email": "pas-une-adresse"}, "Saisissez une adresse e-mail valide."),
        ({"message": "court"}, "Votre message est trop court"),
        ({"subject": "inconnu"}, "Sélectionnez un choix valide."),
    ],
)
def test_a_bad_contact_message_is_explained_and_sends_nothing(client, changes, error):
    response = contact(client, **changes)
    assert response.status_code == 200
    assert error in response.content.decode()
    assert not OutboxMessage.objects.exists()


def test_the_contact_form_is_rate_limited_and_keeps_what_was_typed(client, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "contact_email": "2/h"}
    assert contact(client).status_code == 302
    assert contact(client).status_code == 302
    response = contact(client, message="Un troisième message, de trop.")
    assert response.status_code == 429
    html = response.content.decode()
    assert "le vôtre n&#x27;est pas parti" in html and "Un troisième message, de trop." in html
    assert OutboxMessage.objects.filter(kind=CONTACT_MESSAGE).count() == 2


def test_a_signed_in_resident_finds_their_name_and_email_filled_in(client):
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_user(
        "lea", "lea@example.fr", "x", first_name="Léa", last_name="Martin"
    )
    client.force_login(user)
    html = client.get(reverse("legal:contact")).content.decode()
    assert 'value="Léa Martin"' in html and 'value="lea@example.fr"' in html


# --- Each shop's terms of sale ------------------------------------------------------------


def test_a_shop_shows_who_sells_and_on_what_terms(client):
    shop = ShopFactory(name="Fromagerie du Lac", siret="73282932000074", status="live")
    storefront = client.get(reverse("shops:storefront", kwargs={"slug": shop.code}))
    terms_url = reverse("shops:terms", kwargs={"slug": shop.code})
    assert terms_url in storefront.content.decode()
    html = client.get(terms_url).content.decode()
    assert "73282932000074" in html and 'href="/conditions-generales/"' in html
    shop.terms_of_sale = "Retours sous 7 jours.\n" + ATTACK
    shop.save()
    html = client.get(terms_url).content.decode()
    assert "Retours sous 7 jours." in html and "<script>alert" not in html
    assert 'href="/conditions-generales/"' in html  # the footer still links them
    assert client.get(reverse("shops:terms", kwargs={"slug": "inconnue"})).status_code == 404


def test_a_merchant_writes_their_terms_in_their_profile(client):
    shop = ShopFactory(name="Fromagerie du Lac", status="live")
    merchant = merchant_create(shop, email="m@example.fr")
    client.force_login(merchant)
    url = reverse("merchant:profile", kwargs={"slug": shop.code})
    page = client.get(url).content.decode()
    assert 'name="terms_of_sale"' in page
