"""The demo town's legal pages: the default texts with invented but plausible facts."""

from django.conf import settings

from digitaix.legal.pages import legal_pages_seed

DEMO_FACTS = {
    "publisher": f"Mairie de {settings.OSCAR_SHOP_NAME} (portail de démonstration)",
    "publisher_address": "Place de l'Hôtel de Ville, 73100 Digitaix",
    "director": "Le maire de la commune, directeur de la publication",
    "host": (
        "Hébergement de démonstration : cette installation tourne sur la machine qui l'a lancée."
    ),
    "dpo": "dpo@mairie.digitaix.localhost",
}


def legal_pages_demo_seed() -> int:
    """Write the demo's legal pages (those the town has not written); returns how many."""
    return legal_pages_seed(facts=DEMO_FACTS)
