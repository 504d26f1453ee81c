"""SIRET: 14 digits, checked by python-stdnum (`stdnum.fr.siret`): the Luhn key of the whole
number and of its SIREN (the first 9 digits), and La Poste's establishments, whose numbers
follow their own rule (the sum of the digits is a multiple of 5), head office excepted."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from stdnum.fr import siret as stdnum_siret


def siret_normalize(value: str) -> str:
    """Spaces and dots are common in typed SIRETs ("123 456 789 00012"): drop them."""
    return "".join(ch for ch in (value or "") if ch not in " .\u00a0")


def validate_siret(value: str) -> None:
    siret = siret_normalize(value)
    if len(siret) != 14 or not siret.isdigit():
        raise ValidationError(
            _("Un numéro SIRET compte exactement 14 chiffres (vous en avez saisi %(n)s)."),
            code="siret_length",
            params={"n": sum(ch.isdigit() for ch in siret)},
        )
    if not stdnum_siret.is_valid(siret):
        raise ValidationError(
            _(
                "Ce numéro SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez-le sur "
                "votre extrait Kbis ou sur l'avis de situation Insee."
            ),
            code="siret_key",
        )
