import pytest
from django.core.exceptions import ValidationError

from shops.validators import siret_normalize, validate_siret


@pytest.mark.parametrize("siret", ["73282932000074", "732 829 320 00074", "44306184100047"])
def test_a_real_siret_is_accepted(siret):
    validate_siret(siret)


def test_la_poste_establishments_follow_their_own_rule():
    validate_siret("35600000049837")  # digits sum to a multiple of 5, Luhn fails


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
