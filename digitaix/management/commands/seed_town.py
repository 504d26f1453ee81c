"""`manage.py seed_town`: the demo town, for development, demos and benchmarks.

It lives in `digitaix`, above every app in the layers, because it builds on them all: the
catalogue and the shops (`catalog.demo`, `shops.demo`, each within its own app's layer),
then the delivery zones, couriers, orders and rounds (`digitaix.demo`).
"""

import argparse
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection

from catalog.progress import ProgressBar
from digitaix.demo.activity import activity_seed
from digitaix.demo.legal import legal_pages_demo_seed
from digitaix.demo.zones import DEMO_ZONES, zones_seed
from shops.demo.accounts import DOMAIN, PASSWORD
from shops.demo.seed import OtherSeedError, TownSeed, town_seed
from shops.demo.snapshots import snapshots_backfill

_MERCHANTS_SHOWN = 5
_STATUS_WORDS = {
    "live": "en ligne",
    "pending": "en attente",
    "suspended": "suspendues",
    "rejected": "refusées",
}


def _count(value: str) -> int:
    number = int(value)
    if number < 0:
        raise argparse.ArgumentTypeError("doit être positif ou nul")
    return number


def _refresh_planner_statistics() -> None:
    """After thousands of bulk inserts PostgreSQL's statistics are stale (autovacuum runs
    later), and its planner would then scan whole tables instead of using the indexes."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


class Command(BaseCommand):
    help = (
        "Construit la ville de démonstration : boutiques, comptes, catégories, produits "
        "avec image et offres des boutiques. Même graine, même ville ; la ville de "
        "référence est --shops 119 --products 4154. Les --shops boutiques sont en ligne ; "
        "un dixième de plus (au moins trois) sont en attente, suspendues ou refusées. "
        "Chaque boutique a horaires, logo, position et coordonnées ; deux zones de livraison "
        "couvrent la ville et ses environs. L'adresse d'une boutique vient de son nom "
        "(/boutiques/boulangerie-lambert/), les produits sont numérotés (DGX-000123) : "
        "relancer la commande avec la même graine ne crée que ce qui manque (un --shops ou "
        "un --products plus grand ajoute des boutiques ou des produits) et ne modifie jamais "
        "l'existant. Une base construite avec une autre graine est refusée : pour "
        "reconstruire avec une autre graine, videz d'abord la base (manage.py flush)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--shops", type=_count, default=12, help="Nombre de boutiques (12).")
        parser.add_argument(
            "--products", type=_count, default=300, help="Nombre de produits (300)."
        )
        parser.add_argument("--seed", type=int, default=42, help="Graine du hasard (42).")
        parser.add_argument(
            "--sans-activite",
            dest="with_activity",
            action="store_false",
            help="Sans la semaine passée de commandes et de tournées (ni livreurs).",
        )
        parser.add_argument(
            "--avec-superutilisateur",
            dest="with_superuser",
            action="store_true",
            help=(
                "Crée aussi l'administrateur de démonstration (mot de passe public) quand "
                "DEBUG est désactivé ; avec DEBUG, il est toujours créé."
            ),
        )

    def handle(
        self, *args, shops: int, products: int, seed: int, verbosity: int, with_activity: bool,
        with_superuser: bool, **options,
    ):  # fmt: skip
        if products and not shops:
            raise CommandError("Il faut au moins une boutique pour vendre des produits.")
        started = time.perf_counter()
        progress = ProgressBar(self.stdout) if verbosity > 0 else None
        # A superuser whose password is in the README must not appear on a real portal.
        with_superuser = with_superuser or settings.DEBUG
        try:
            town = town_seed(
                shops=shops, products=products, seed=seed, progress=progress,
                with_superuser=with_superuser,
            )  # fmt: skip
        except OtherSeedError as error:
            raise CommandError(
                f"La base contient déjà une ville de démonstration, construite avec une autre "
                f"graine ou une version antérieure de seed_town (pas de boutique « {error} ») : "
                "elle n'est pas modifiée. Pour la reconstruire, videz d'abord la base "
                "(manage.py flush)."
            ) from error
        if not with_superuser:
            self.stderr.write(
                "DEBUG désactivé : pas d'administrateur de démonstration (son mot de passe est "
                "public). --avec-superutilisateur le crée quand même."
            )
        zones_seed()
        legal_pages_demo_seed()
        activity = activity_seed(seed=seed) if with_activity else None
        if with_activity:
            snapshots_backfill(days=90)  # the console's "products online over time"
        _refresh_planner_statistics()
        if progress:
            progress.close()
        if verbosity > 0:
            self._report(town, products=products, seconds=time.perf_counter() - started)
            if activity:
                self.stdout.write(
                    f"Activité de la semaine passée : {activity.orders} commandes "
                    f"({activity.shop_orders} commandes de boutique), {activity.rounds} "
                    f"tournées, {activity.couriers} livreurs (livreur-1@{DOMAIN}…) ; 90 jours "
                    "de chiffres du portail."
                )

    def _report(self, town: TownSeed, *, products: int, seconds: float) -> None:
        created, duration = len(town.product_ids), f"{seconds:.1f}".replace(".", ",")
        self.stdout.write(
            self.style.SUCCESS(
                f"Ville prête en {duration} s : {len(town.shops)} boutiques, {products} "
                f"produits ({created} créés, {products - created} déjà là), "
                f"{town.stockrecords} offres, {town.opening_hours} horaires et "
                f"{town.closing_periods} fermetures créés."
            )
        )
        zones = ", ".join(f"{name} ({' '.join(codes)})" for name, _f, _m, codes in DEMO_ZONES)
        self.stdout.write(f"Zones de livraison : {zones}.")
        statuses = town.statuses()
        order = ("live", "pending", "suspended", "rejected")
        shown = ", ".join(f"{statuses[s]} {_STATUS_WORDS[s]}" for s in order if s in statuses)
        self.stdout.write(f"Boutiques par statut : {shown}.")
        self.stdout.write(f"Comptes de démonstration, mot de passe commun : {PASSWORD}")
        people = [login for login in town.logins if not login.shop]
        merchants = [login for login in town.logins if login.shop]
        for login in [*people, *merchants[:_MERCHANTS_SHOWN]]:
            shop = f"  ({login.shop})" if login.shop else ""
            self.stdout.write(f"  {login.role:<15} {login.email}{shop}")
        if len(merchants) > _MERCHANTS_SHOWN:
            self.stdout.write(
                f"  … et {len(merchants) - _MERCHANTS_SHOWN} autres commerçants, une adresse "
                "par boutique sur le même modèle (liste : tableau de bord > Partenaires)."
            )
