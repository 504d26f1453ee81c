"""`manage.py stock_feed_pull --shop <code>`: pull one shop's stock feed now, print its report."""

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from shops.services.feeds import stock_feed_pull

StockFeed = get_model("partner", "StockFeed")


class Command(BaseCommand):
    help = "Lit maintenant le flux de stock d'une boutique et affiche son rapport."

    def add_arguments(self, parser):
        parser.add_argument(
            "--shop",
            required=True,
            help="le code de la boutique (celui de son adresse /boutiques/<code>/)",
        )

    def handle(self, *args, shop, **options):
        feed = StockFeed.objects.select_related("shop").filter(shop__code=shop).first()
        if feed is None:
            raise CommandError(f"La boutique « {shop} » n'a pas de flux de stock.")
        run = stock_feed_pull(feed=feed)
        counts = [
            _count(run.rows_updated, "mise à jour", "mises à jour"),
            _count(run.rows_unchanged, "inchangée", "inchangées"),
            _count(run.rows_created, "créée", "créées"),
            _count(run.unknown_count, "référence inconnue", "références inconnues"),
        ]
        self.stdout.write(
            f"{feed.shop.name} — {run.get_status_display()} en {run.duration_ms} ms : "
            + ", ".join(counts)
        )
        for error in run.errors:
            where = f"ligne {error['line']}" if error.get("line") else error.get("sku") or "fichier"
            self.stdout.write(f"  {where} : {error['message']}")
        if run.status == "failed":
            raise CommandError("Échec de la lecture du flux.")


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n <= 1 else many}"
