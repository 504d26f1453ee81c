"""accounts.ratelimit: one counter per key and window, in the cache."""

import datetime

import pytest
import time_machine
from django.test import RequestFactory

from accounts.clientip import client_ip
from accounts.ratelimit import Rate, hit, hit_all
from tests.clock import tomorrow_at

START = tomorrow_at(10)  # the start of an hour: every window in play begins there


@pytest.fixture(autouse=True)
def _still():
    """Time stands still unless a test moves it: no window ends in the middle of a test."""
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_rate_reads_count_and_period():
    assert Rate.parse("3/h") == Rate(count=3, window=3600)
    assert Rate.parse("10/15m") == Rate(count=10, window=900)
    assert Rate.parse("5/300s") == Rate(count=5, window=300)
    assert Rate.parse("0/h").count == 0
    with pytest.raises(ValueError):
        Rate.parse("trois/h")


def test_hits_over_the_limit_are_refused_then_allowed_after_the_window(_still):
    limit = Rate(count=3, window=3600)
    assert [hit(scope="t", key="a@x.fr", limit=limit) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    _still.shift(datetime.timedelta(minutes=59))
    assert hit(scope="t", key="a@x.fr", limit=limit) is False
    _still.shift(datetime.timedelta(minutes=1))
    assert hit(scope="t", key="a@x.fr", limit=limit) is True


def test_keys_and_scopes_are_counted_apart():
    limit = Rate(count=1, window=60)
    assert hit(scope="t", key="a", limit=limit)
    assert hit(scope="t", key="b", limit=limit)
    assert hit(scope="u", key="a", limit=limit)
    assert not hit(scope="t", key="a", limit=limit)


def test_a_zero_count_never_limits():
    assert all(hit(scope="t", key="a", limit=Rate(count=0, window=60)) for _ in range(50))


def test_hit_all_counts_every_key_even_when_one_refuses():
    one = Rate(count=1, window=60)
    assert hit_all([("ip", "1.2.3.4", one), ("mail", "a@x.fr", Rate(count=5, window=60))])
    assert not hit_all([("ip", "1.2.3.4", one), ("mail", "a@x.fr", Rate(count=5, window=60))])
    # The refused attempt still counted for the mailbox: 2 of its 5 are gone.
    assert [hit(scope="mail", key="a@x.fr", limit=Rate(count=5, window=60)) for _ in range(4)] == [
        True,
        True,
        True,
        False,
    ]


def test_a_cache_outage_lets_the_request_through(monkeypatch):
    from django.core.cache import cache

    def down(*args, **kwargs):
        raise ConnectionError("redis down")

    monkeypatch.setattr(cache, "add", down)
    assert all(hit(scope="t", key="a", limit=Rate(count=1, window=60)) for _ in range(3))


def _request(remote="10.0.0.9", forwarded=None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_forwarded_for_is_ignored_without_trusted_proxies(settings):
    settings.DIGITAIX_TRUSTED_PROXIES = 0
    assert client_ip(_request(forwarded="1.1.1.1")) == "10.0.0.9"


def test_one_trusted_proxy_gives_the_address_it_saw_not_the_spoofed_ones(settings):
    settings.DIGITAIX_TRUSTED_PROXIES = 1
    # The client wrote "6.6.6.6"; our proxy appended the address it really saw.
    assert client_ip(_request(forwarded="6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    assert client_ip(_request(forwarded="")) == "10.0.0.9"
    assert client_ip(_request(forwarded="not-an-ip")) == "10.0.0.9"
