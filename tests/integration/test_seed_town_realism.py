"""`manage.py seed_town`: a demo that looks real (issue 15 §8).

Shop addresses made from their names rather than numbered, no shop listing one product
twice, and descriptions whose days agree with the shop's weekly hours.
"""

import re
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils.text import slugify
from oscar.core.loading import get_model

from shops.demo.hours import DAY_NAMES, days_open_phrase
from shops.demo.specs import town_specs

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")

_HOURS_SENTENCE = re.compile(r"vous accueillent ([^.]+)\.")
_DAY = re.compile(rf"\b({'|'.join(DAY_NAMES)})\b")


@pytest.fixture(autouse=True)
def _fast_hashing_and_media(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.MEDIA_ROOT = tmp_path


def seed(**options) -> None:
    call_command("seed_town", **{"seed": 42, "with_activity": False, **options}, verbosity=0)


def days_said(phrase: str) -> set[int]:
    """The weekdays a French phrase names as open ("du lundi au samedi, sauf le mercredi",
    "le mardi et du jeudi au samedi", "tous les jours"), read independently of the seed."""
    if phrase == "tous les jours":
        return set(range(7))
    phrase, _, unless = phrase.partition(", sauf le ")
    days: set[int] = set()
    for part in re.split(r", | et ", phrase):
        if span := re.fullmatch(r"du (\w+) au (\w+)", part):
            days |= set(range(DAY_NAMES.index(span[1]), DAY_NAMES.index(span[2]) + 1))
        else:
            single = re.fullmatch(r"le (\w+)", part)
            assert single, f"not a day phrase: {part!r}"
            days.add(DAY_NAMES.index(single[1]))
    if unless:
        days.remove(DAY_NAMES.index(unless))
    return days


def title_key(title: str) -> str:
    return " ".join(title.casefold().split())


def test_shop_codes_are_their_slugified_names_unique_at_any_scale():
    """At any size: duplicate names get the street, duplicate codes -2, -3… as onboarding's."""
    specs = town_specs(shops=600, seed=42)
    codes = [spec.code for spec in specs]
    assert len(set(codes)) == len(codes)
    assert len({spec.name for spec in specs}) == len(specs)
    assert any("," in spec.name for spec in specs), "a town this size repeats some names"
    for spec in specs:
        base = slugify(spec.name)
        assert re.fullmatch(rf"{re.escape(base)}(-\d+)?", spec.code), (spec.name, spec.code)
        assert not re.fullmatch(r"(boutique|attente|suspendue|refusee)-\d+", spec.code)


def test_a_shops_code_does_not_depend_on_the_size_of_the_town():
    small = {spec.key: spec.code for spec in town_specs(shops=12, seed=42)}
    large = {spec.key: spec.code for spec in town_specs(shops=250, seed=42)}
    assert {key: large[key] for key in small} == small


def test_seeded_shops_live_at_their_name(db, client):
    seed(shops=4, products=0)
    shops = Partner.objects.all()
    assert shops.count() == 7
    for shop in shops:
        assert shop.code.startswith(slugify(shop.name)), (shop.name, shop.code)
    bakery = Partner.objects.get(name="Boulangerie Lambert")
    assert bakery.code == "boulangerie-lambert"
    assert client.get("/boutiques/boulangerie-lambert/").status_code == 200


def test_no_shop_offers_two_products_of_the_same_title(db):
    seed(shops=4, products=300)
    titles = StockRecord.objects.values_list("partner__name", "product__title")
    repeated = [
        pair for pair, count in Counter((s, title_key(t)) for s, t in titles).items() if count > 1
    ]
    assert repeated == []
    assert Counter(title_key(t) for _, t in titles).most_common(1)[0][1] > 1, (
        "the same title may still be sold by two shops"
    )


@pytest.mark.parametrize(
    ("weekdays", "phrase"),
    [
        ({1, 2, 3, 4, 5}, "du mardi au samedi"),
        ({0, 1, 2, 3, 4, 5}, "du lundi au samedi"),
        ({1, 2, 3, 4, 5, 6}, "du mardi au dimanche"),
        ({0, 1, 3, 4, 5}, "du lundi au samedi, sauf le mercredi"),
        ({0, 1, 3, 4, 5, 6}, "du lundi au dimanche, sauf le mercredi"),
        ({1, 3, 4, 5, 6}, "du mardi au dimanche, sauf le mercredi"),
        ({1, 3}, "le mardi et le jeudi"),
        ({0, 2, 3, 4, 6}, "le lundi, du mercredi au vendredi et le dimanche"),
        (set(range(7)), "tous les jours"),
    ],
)
def test_the_open_days_read_as_french(weekdays, phrase):
    assert days_open_phrase(weekdays) == phrase
    assert days_said(phrase) == weekdays


def test_each_description_names_the_days_its_weekly_hours_open(db):
    """The complaint: a bakery "open Tuesday to Saturday" whose hours listed Sunday."""
    seed(shops=60, products=0)
    phrases = set()
    for shop in Partner.objects.prefetch_related("opening_hours"):
        open_days = {span.weekday for span in shop.opening_hours.all()}
        said = _HOURS_SENTENCE.search(shop.description)
        assert said, shop.description
        assert days_said(said[1]) == open_days, (shop.name, shop.description, open_days)
        elsewhere = _HOURS_SENTENCE.sub("", shop.description)
        named = {DAY_NAMES.index(day) for day in _DAY.findall(elsewhere)}
        assert named <= open_days, (shop.name, shop.description)
        phrases.add(said[1])
    assert len(phrases) >= 3, "weeks differ from shop to shop, and so do their descriptions"
