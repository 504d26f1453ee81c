"""`manage.py stock_feed_pull --shop <code>`: pull one shop's stock feed now, print its report."""

from django.core.management.base import BaseCommand, CommandError
from oscar.core.loading import get_model

from shops.services.feeds import stock_feed_pull

StockFeed = get_model("partner", "StockFeed")


class Command(BaseCommand):
    help = "Lit maintenant le flux de stock d'une boutique et affiche son rapport."

    def add_arguments(self, parser):
        parser.add_argument("--shop", required=True, help="le code de la boutique")

    def handle(self, *args, shop, **options):
        feed = StockFeed.objects.select_related("shop").filter(shop__code=shop).first()
        if feed is None:
            raise CommandError(f"La boutique « {shop} » n'a pas de flux de stock.")
        run = stock_feed_pull(feed=feed)
        self.stdout.write(
            f"{feed.shop.name} — {run.get_status_display()} en {run.duration_ms} ms : "
            f"{run.rows_updated} mises à jour, {run.rows_unchanged} inchangées, "
            f"{run.unknown_count} références inconnues"
        )
        for error in run.errors:
            self.stdout.write(f"  ligne {error.get('line') or '—'} : {error['message']}")
        if run.status == "failed":
            raise CommandError("Échec de la lecture du flux.")
