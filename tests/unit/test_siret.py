"""SIRETs are checked by python-stdnum (`stdnum.fr.siret`), not by a Luhn of our own."""

from random import Random

import pytest
from django.core.exceptions import ValidationError

from shops.demo.specs import _siret
from shops.validators import siret_normalize, validate_siret


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "44306184100047"])
def test_a_real_siret_is_accepted(siret):
    validate_siret(siret)


def test_la_poste_establishments_follow_their_own_rule():
    validate_siret("35600000049837")  # digits sum to a multiple of 5, Luhn fails


def test_la_poste_head_office_follows_the_ordinary_luhn_rule():
    validate_siret("35600000000048")  # our own check once refused it


def test_a_siret_whose_siren_key_is_wrong_is_refused():
    # The whole number's Luhn key checks, its SIREN's (123456789) does not.
    with pytest.raises(ValidationError) as error:
        validate_siret("12345678900015")
    assert error.value.code == "siret_key"


@pytest.mark.parametrize(
    ("siret", "code"),
    [
        ("73282932000075", "siret_key"),
        ("7328293200007", "siret_length"),
        ("732829320000745", "siret_length"),
        ("7328293200007A", "siret_length"),
        ("", "siret_length"),
    ],
)
def test_a_wrong_siret_is_refused_with_a_clear_french_message(siret, code):
    with pytest.raises(ValidationError) as error:
        validate_siret(siret)
    assert error.value.code == code
    assert "SIRET" in str(error.value.message)


def test_spaces_and_dots_are_dropped():
    assert siret_normalize("732.829.320 00074") == "73282932000074"


def test_the_demo_town_makes_up_sirets_that_check():
    for seed in range(2000):
        validate_siret(_siret(Random(seed)))
