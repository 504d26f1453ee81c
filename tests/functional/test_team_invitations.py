"""Joining a shop's team: an owner invites an address, nothing is granted until its owner
accepts from the e-mailed link, before it expires."""

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone
from oscar.core.loading import get_model

from tests.accounts import signed_in
from tests.factories import ShopFactory, merchant_create

pytestmark = pytest.mark.django_db
User = get_user_model()
TeamInvitation = get_model("partner", "TeamInvitation")
PASSWORD = "Fromage-de-Savoie-2025"


@pytest.fixture(autouse=True)
def _tasks_run_in_process(eager_celery):
    """The e-mails go through Celery: run its tasks here even with a broker configured."""


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DIGITAIX_SITE_URL = "https://portail.example.fr"


@pytest.fixture
def shop():
    return ShopFactory(name="Fromagerie du Lac")


@pytest.fixture
def owner(shop):
    return merchant_create(shop, email="owner@example.fr", role="owner")


@pytest.fixture
def invite(client, owner, shop, mailoutbox, django_capture_on_commit_callbacks):
    """Invite `email` as the owner; returns the link's path from the e-mail."""

    def _invite(email: str) -> str:
        client.force_login(owner)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(team_url(shop), {"email": email})
        assert response.status_code == 302, response.content.decode()[:500]
        client.logout()
        return link_in(mailoutbox[-1])

    return _invite


def team_url(shop) -> str:
    return reverse("merchant:team", kwargs={"slug": shop.code})


def link_in(message) -> str:
    return re.search(r"https://portail\.example\.fr(/invitation-equipe/\S+/)", message.body)[1]


def members(shop) -> list[str]:
    return sorted(shop.users.values_list("email", flat=True))


def test_an_invited_existing_account_gets_nothing_until_it_accepts(
    client, shop, invite, mailoutbox
):
    resident = User.objects.create_user("resident", "Lucie@example.fr", PASSWORD)
    link = invite("  LUCIE@Example.FR ")
    (message,) = mailoutbox
    assert message.to == ["LUCIE@example.fr"] and "Fromagerie du Lac" in message.subject
    assert message.alternatives[0][1] == "text/html"
    # Invited, not yet accepted: no shop, no dashboard.
    assert members(shop) == ["owner@example.fr"]
    assert not User.objects.get(pk=resident.pk).has_perm("partner.dashboard_access")
    # Signed out, the page asks to sign in; signed in, the account accepts.
    assert "Me connecter pour accepter" in client.get(link).content.decode()
    assert client.post(link, {"action": "accept"}).status_code == 200
    assert members(shop) == ["owner@example.fr"]
    client.force_login(resident)
    response = client.post(link, {"action": "accept"})
    assert response.status_code == 302
    assert response.url == reverse("merchant:profile", kwargs={"slug": shop.code})
    assert members(shop) == ["Lucie@example.fr", "owner@example.fr"]
    assert User.objects.get(pk=resident.pk).has_perm("partner.dashboard_access")
    assert shop.memberships.get(user=resident).role == "member"
    # The link served once.
    assert client.get(link).status_code == 410


def test_another_account_cannot_accept_someone_elses_invitation(client, shop, invite):
    User.objects.create_user("lucie", "lucie@example.fr", PASSWORD)
    intruder = User.objects.create_user("intruder", "intruder@example.fr", PASSWORD)
    link = invite("lucie@example.fr")
    client.force_login(intruder)
    page = client.get(link)
    assert page.status_code == 403 and "adressée à lucie@example.fr" in page.content.decode()
    assert client.post(link, {"action": "accept"}).status_code == 403
    assert members(shop) == ["owner@example.fr"]
    assert not User.objects.get(pk=intruder.pk).has_perm("partner.dashboard_access")


def test_a_new_address_chooses_its_password_on_accepting(client, shop, invite):
    link = invite("nouveau@example.fr")
    assert not User.objects.filter(email="nouveau@example.fr").exists()  # nothing yet
    page = client.get(link)
    assert page.status_code == 200 and 'name="password1"' in page.content.decode()
    weak = client.post(link, {"action": "accept", "password1": "123", "password2": "123"})
    assert weak.status_code == 200 and not User.objects.filter(email="nouveau@example.fr")
    response = client.post(link, {"action": "accept", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    newcomer = signed_in(email="nouveau@example.fr", password=PASSWORD)
    assert newcomer is not None and newcomer.has_perm("partner.dashboard_access")
    assert members(shop) == ["nouveau@example.fr", "owner@example.fr"]
    page = client.get(team_url(shop))
    assert page.status_code == 200, page.get("Location")  # signed in by accepting


def test_an_expired_invitation_gives_a_clear_page_and_grants_nothing(
    client, shop, invite, settings
):
    User.objects.create_user("lucie", "lucie@example.fr", PASSWORD)
    link = invite("lucie@example.fr")
    later = timezone.now() + datetime.timedelta(
        days=settings.DIGITAIX_TEAM_INVITATION_DAYS, hours=1
    )
    with time_machine.travel(later, tick=False):
        client.force_login(User.objects.get(email="lucie@example.fr"))
        page = client.get(link)
        accepted = client.post(link, {"action": "accept"})
    assert page.status_code == 410 and "a expiré le" in page.content.decode()
    assert accepted.status_code == 410
    assert members(shop) == ["owner@example.fr"]
    assert TeamInvitation.objects.get().status == "pending"


def test_a_passwordless_invitee_gets_a_fresh_link_and_the_old_one_dies(
    client, shop, owner, invite, mailoutbox, django_capture_on_commit_callbacks, settings
):
    # An account made by the former team flow, whose password link has long expired.
    legacy = User.objects.create_user("legacy", "legacy@example.fr")
    legacy.set_unusable_password()
    legacy.save()
    old_link = invite("legacy@example.fr")
    invitation = TeamInvitation.objects.get()
    later = timezone.now() + datetime.timedelta(days=settings.DIGITAIX_TEAM_INVITATION_DAYS + 3)
    with time_machine.travel(later, tick=False):
        assert client.get(old_link).status_code == 410
        client.force_login(owner)
        renew = reverse(
            "merchant:team-invitation-renew", kwargs={"slug": shop.code, "pk": invitation.pk}
        )
        with django_capture_on_commit_callbacks(execute=True):
            assert client.post(renew).status_code == 302
        client.logout()
        fresh_link = link_in(mailoutbox[-1])
        assert fresh_link != old_link and client.get(old_link).status_code == 404
        assert "choisissez votre mot de passe" in mailoutbox[-1].body
        response = client.post(
            fresh_link, {"action": "accept", "password1": PASSWORD, "password2": PASSWORD}
        )
    assert response.status_code == 302
    assert signed_in(email="legacy@example.fr", password=PASSWORD).pk == legacy.pk
    assert members(shop) == ["legacy@example.fr", "owner@example.fr"]


def test_inviting_a_member_twice_or_a_bad_address_is_refused(
    client, owner, shop, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(owner)
    with django_capture_on_commit_callbacks(execute=True):
        twice = client.post(team_url(shop), {"email": "OWNER@example.fr"})
        bad = client.post(team_url(shop), {"email": "pas-une-adresse"})
    assert twice.status_code == 200 and "fait déjà partie" in twice.content.decode()
    assert bad.status_code == 200 and "adresse e-mail valide" in bad.content.decode()
    assert not TeamInvitation.objects.exists() and mailoutbox == []


def test_a_deactivated_account_cannot_be_invited(client, owner, shop):
    User.objects.create_user("gone", "gone@example.fr", "x" * 12, is_active=False)
    client.force_login(owner)
    response = client.post(team_url(shop), {"email": "gone@example.fr"})
    assert "désactivé" in response.content.decode()
    assert not TeamInvitation.objects.exists()


def test_declining_or_a_cancelled_invitation_grants_nothing(client, owner, shop, invite):
    User.objects.create_user("lucie", "lucie@example.fr", PASSWORD)
    link = invite("lucie@example.fr")
    assert client.post(link, {"action": "decline"}).status_code == 302
    assert client.get(link).status_code == 410
    second = invite("lucie@example.fr")
    client.force_login(owner)
    cancel = reverse(
        "merchant:team-invitation-cancel",
        kwargs={"slug": shop.code, "pk": TeamInvitation.objects.get(status="pending").pk},
    )
    assert client.post(cancel).status_code == 302
    client.force_login(User.objects.get(email="lucie@example.fr"))
    assert client.post(second, {"action": "accept"}).status_code == 410
    assert members(shop) == ["owner@example.fr"]


def test_an_unknown_link_gives_a_clear_page(client):
    page = client.get(reverse("team-invitation", kwargs={"token": "nimporte-quoi"}))
    assert page.status_code == 404 and "n'existe pas" in page.content.decode()


def test_an_owner_cannot_renew_or_cancel_another_shops_invitation(client, owner, shop):
    shop_b = ShopFactory(name="Boutique B")
    owner_b = merchant_create(shop_b, email="b@example.fr", role="owner")
    from shops.services import team_invitation_create

    invitation = team_invitation_create(shop=shop_b, email="x@example.fr", by=owner_b)
    client.force_login(owner)
    for name in ("merchant:team-invitation-renew", "merchant:team-invitation-cancel"):
        for slug in (shop.code, shop_b.code):
            url = reverse(name, kwargs={"slug": slug, "pk": invitation.pk})
            assert client.post(url).status_code == 404
    invitation.refresh_from_db()
    assert invitation.status == "pending"


def test_a_member_who_never_chose_a_password_gets_a_fresh_link(client, shop, owner, invite):
    # A member added by the former team flow, whose password link has long expired: Django's
    # "forgotten password" form skips accounts without a password.
    legacy = User.objects.create_user("legacy", "legacy@example.fr")
    legacy.set_unusable_password()
    legacy.save()
    shop.users.add(legacy)
    client.force_login(owner)
    assert "Lui envoyer un nouveau lien" in client.get(team_url(shop)).content.decode()
    link = invite("legacy@example.fr")
    response = client.post(link, {"action": "accept", "password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 302
    assert signed_in(email="legacy@example.fr", password=PASSWORD).pk == legacy.pk
    assert list(shop.memberships.filter(user=legacy).values_list("role", flat=True)) == ["member"]


def test_invitations_are_rate_limited_per_mailbox_then_lift_after_the_hour(
    client, owner, shop, mailoutbox, settings
):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "verification_email": "2/h"}
    client.force_login(owner)
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(2):
            assert client.post(team_url(shop), {"email": "cible@example.fr"}).status_code == 302
        before = (TeamInvitation.objects.values_list("pk", "token_hash"), len(mailoutbox))
        refused = client.post(team_url(shop), {"email": "cible@example.fr"})
        assert refused.status_code == 429 and "invitations envoyées" in refused.content.decode()
        after = (TeamInvitation.objects.values_list("pk", "token_hash"), len(mailoutbox))
        assert list(after[0]) == list(before[0]) and after[1] == before[1]
        traveller.shift(datetime.timedelta(hours=1, minutes=1))
        assert client.post(team_url(shop), {"email": "cible@example.fr"}).status_code == 302


def test_a_shop_cannot_send_more_invitations_a_day_than_its_limit(client, owner, shop, settings):
    settings.DIGITAIX_RATE_LIMITS = {**settings.DIGITAIX_RATE_LIMITS, "invitation_shop": "2/d"}
    client.force_login(owner)
    for n in range(2):
        assert client.post(team_url(shop), {"email": f"n{n}@example.fr"}).status_code == 302
    assert client.post(team_url(shop), {"email": "n3@example.fr"}).status_code == 429
    assert not TeamInvitation.objects.filter(email="n3@example.fr").exists()
    invitation = TeamInvitation.objects.get(email="n0@example.fr")
    renew = reverse(
        "merchant:team-invitation-renew", kwargs={"slug": shop.code, "pk": invitation.pk}
    )
    assert client.post(renew).status_code == 429
