"""`manage.py api_key_create --shop <code> --scope write [--name Caisse]`: a key for one
shop, made by an operator; prints the key (shown this once, only its hash is kept)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from shops.services.api_keys import api_key_create

Partner = get_model("partner", "Partner")
ShopApiKey = get_model("partner", "ShopApiKey")


class Command(BaseCommand):
    help = "Crée une clé d'API pour une boutique et l'affiche (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--shop",
            required=True,
            help="le code de la boutique (celui de son adresse /boutiques/<code>/)",
        )
        parser.add_argument("--scope", choices=ShopApiKey.Scope.values, default="read")
        parser.add_argument("--name", default="Clé créée par l'exploitant")

    def handle(self, *args, shop, scope, name, **options):
        found = Partner.objects.filter(code=shop).first()
        if found is None:
            raise CommandError(f"Aucune boutique « {shop} ».")
        try:
            key, secret = api_key_create(shop=found, name=name, scope=scope, by=None)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stderr.write(f"Clé « {key.name} » ({key.get_scope_display()}) pour {found.name} :")
        self.stdout.write(secret)
