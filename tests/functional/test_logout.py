"""Signing out takes a POST with the CSRF token: a link or an image cannot sign anyone out."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def resident(client):
    user = User.objects.create_user("r", "r@example.fr", "un-mot-de-passe-42")
    client.force_login(user)
    return user


@pytest.mark.parametrize("url", ["/accounts/logout/", "/dashboard/logout/", "/admin/logout/"])
def test_logout_by_get_signs_nobody_out(client, url):
    staff = User.objects.create_superuser("root", "root@example.fr", "un-mot-de-passe-42")
    client.force_login(staff)
    response = client.get(url)
    assert response.status_code == 405
    assert "_auth_user_id" in client.session


def test_the_header_signs_out_with_a_csrf_protected_button(client, resident):
    html = client.get("/").content.decode()
    assert 'action="/accounts/logout/"' in html
    assert 'href="/accounts/logout/"' not in html
    form = html[html.index('action="/accounts/logout/"') :]
    assert (
        'method="post"'
        in html[html.rindex("<form", 0, html.index('action="/accounts/logout/"')) :][:200]
    )
    assert "csrfmiddlewaretoken" in form[: form.index("</form>")]
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_logout_without_the_csrf_token_is_refused(resident):
    checked = Client(enforce_csrf_checks=True)
    checked.force_login(resident)
    assert checked.post("/accounts/logout/").status_code == 403
    assert "_auth_user_id" in checked.session


def test_the_dashboard_signs_out_with_a_form_too(client, settings):
    staff = User.objects.create_superuser("root", "root@example.fr", "un-mot-de-passe-42")
    client.force_login(staff)
    html = client.get("/dashboard/").content.decode()
    assert 'action="/dashboard/logout/"' in html
    assert 'href="/accounts/logout/"' not in html and 'href="/dashboard/logout/"' not in html
