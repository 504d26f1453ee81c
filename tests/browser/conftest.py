"""Browser tests: Debian's Chromium driven by Playwright against Django's live server.

Playwright's own browser download is impossible here: we launch /usr/bin/chromium (installed
with apt by .ci/run). Screenshots go to test-results/<test>/ (pytest-playwright's --output).
"""

import os
import shutil

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM calls made by the
# test itself (fixtures, assertions) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("DIGITAIX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not shutil.which(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing: .ci/run installs Debian's chromium")
        pytest.skip(f"{CHROMIUM} is missing (apt install chromium)")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    """A phone-first portal: test it at a phone's width, in French."""
    return {**browser_context_args, "viewport": {"width": 412, "height": 915}, "locale": "fr-FR"}


# --- The seeded town the page walks share (test_axe.py, test_layout.py) -------------------


@pytest.fixture(scope="module")
def town_database(request, django_db_setup, django_db_blocker):
    """The test database, even when only a page walk's browser tests are selected (`-k`):
    pytest-django then sets none up, since none of them asks for `db` (see `town_site`)."""
    from django.db import connection
    from django.test.utils import setup_databases, teardown_databases

    if connection.settings_dict["NAME"] == connection.creation._get_test_db_name():
        yield
        return
    keep = request.config.getoption("reuse_db")
    with django_db_blocker.unblock():
        config = setup_databases(
            verbosity=0, interactive=False, aliases={connection.alias}, keepdb=keep
        )
    yield
    if not keep:
        with django_db_blocker.unblock():
            teardown_databases(config, verbosity=0)


@pytest.fixture(scope="module")
def town_site(town_database, django_db_blocker, tmp_path_factory):
    """(server URL, town): the town (tests/browser/axe_town.py) seeded once, served by a live
    server of the module's own.

    pytest-django's `live_server` would flush the database after every test; this server and
    town last for the module, and the database is flushed once at its end, as a transactional
    test does (these tests run after those, pytest-django orders them so). A module using it
    overrides the suite's per-test `_isolated_files`: the town's pictures live for the module."""
    from django.core.management import call_command
    from django.db import connections
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer

    from digitaix.celery import app
    from tests.browser.axe_town import town_seed
    from tests.browser.town_site import SETTINGS

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    files = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("town-media"), **SETTINGS)
    with django_db_blocker.unblock(), files:
        try:
            town = town_seed()
            server = LiveServer("localhost")
            server._live_server_modified_settings.enable()
            yield server.url, town
            server._live_server_modified_settings.disable()
            server.stop()
        finally:
            app.conf.task_always_eager = eager
            for alias in connections:
                call_command("flush", verbosity=0, interactive=False, database=alias)


@pytest.fixture(scope="module")
def role_page(browser, town_site):
    """One browser context (and tab) per role, signed in for all but "anonymous"."""
    server, town = town_site
    pages = {}

    def page_for(role: str):
        if role not in pages:
            context = browser.new_context(locale="fr-FR")
            if role != "anonymous":
                cookie = {"name": "sessionid", "value": town.sessions[role], "url": server}
                context.add_cookies([cookie])
            pages[role] = context.new_page()
            pages[role].set_default_timeout(15_000)
        return pages[role]

    yield page_for
    for page in pages.values():
        page.context.close()


@pytest.fixture(autouse=True)
def _public_pages_kept(settings):
    """The live server's changes commit, so the public list pages are kept for every visitor
    as in production (catalog/pagecache.py): the browser sees what a resident would."""
    settings.DIGITAIX_PAGE_CACHE_SECONDS = 300
