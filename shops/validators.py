"""SIRET: 14 digits whose Luhn key checks (La Poste's establishments follow their own rule)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

LA_POSTE_SIREN = "356000000"


def luhn_ok(digits: str) -> bool:
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


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
    if siret.startswith(LA_POSTE_SIREN) and siret != LA_POSTE_SIREN + "00000":
        valid = sum(int(ch) for ch in siret) % 5 == 0
    else:
        valid = luhn_ok(siret)
    if not valid:
        raise ValidationError(
            _(
                "Ce numéro SIRET n'existe pas : sa clé de contrôle est fausse. Vérifiez-le sur "
                "votre extrait Kbis ou sur l'avis de situation Insee."
            ),
            code="siret_key",
        )
