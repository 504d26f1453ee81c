"""`manage.py render_images`: make the renditions of the product photos and the small copies
of the shops' logos (shops.logos) that have none.

For the pictures stored before renditions existed, or after restoring media from a backup;
new photos get theirs from a Celery task when saved, new logos when their change is
committed. Safe to run again: `--missing-only` (the default) skips every picture already
rendered, so a second run does nothing.
"""

import time

from django.core.management.base import BaseCommand, CommandParser
from oscar.core.loading import get_model

from catalog.progress import ProgressBar
from catalog.services import image_renditions_catch_up, images_unrendered
from shops.logos import shop_logo_renditions_make, shops_logo_unrendered


class Command(BaseCommand):
    help = (
        "Fait les copies réduites des photos de produits que montrent les listes (WebP de 400 "
        "et 800 px de large) et des logos des boutiques (96 et 192 px) : par défaut de celles "
        "qui n'en ont pas encore, avec --all de toutes."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        which = parser.add_mutually_exclusive_group()
        which.add_argument(
            "--missing-only",
            dest="everything",
            action="store_false",
            help="Seulement les photos sans copies réduites (par défaut).",
        )
        which.add_argument(
            "--all",
            dest="everything",
            action="store_true",
            help="Toutes les photos, même celles qui ont leurs copies ou sont illisibles.",
        )
        parser.set_defaults(everything=False)

    def handle(self, *args, everything: bool, verbosity: int, **options):
        ProductImage = get_model("catalogue", "ProductImage")
        Partner = get_model("partner", "Partner")
        images = ProductImage.objects.order_by("pk") if everything else images_unrendered()
        shops = Partner.objects.exclude(logo="").order_by("pk") if everything else None
        shops = shops_logo_unrendered() if shops is None else shops
        if not images.exists() and not shops.exists():
            self.stdout.write("Aucune photo sans copies réduites : rien à faire.")
            return
        bar = ProgressBar(self.stdout) if verbosity > 0 else None
        if images.exists():
            started = time.perf_counter()
            rendered, unreadable = image_renditions_catch_up(
                images=images,
                limit=None,
                progress=(lambda done, total: bar("Photos", done, total)) if bar else None,
            )
            if bar:
                bar.close()
            seconds = time.perf_counter() - started
            self.stdout.write(self._summary(rendered, unreadable, seconds))
        if shops.exists():
            self.stdout.write(self._logos(list(shops), bar))

    def _logos(self, shops: list, bar: ProgressBar | None) -> str:
        made = 0
        for done, shop in enumerate(shops, start=1):
            made += shop_logo_renditions_make(shop=shop)
            if bar:
                bar("Logos", done, len(shops))
        if bar:
            bar.close()
        s = "s" if made > 1 else ""
        text = f"Copies réduites faites pour {made} logo{s}"
        if unreadable := len(shops) - made:
            s = "s" if unreadable > 1 else ""
            text += f" ; {unreadable} logo{s} illisible{s} : les listes montrent l'original"
        return self.style.SUCCESS(text + ".")

    def _summary(self, rendered: int, unreadable: int, seconds: float) -> str:
        each = seconds / max(rendered + unreadable, 1)
        text = (
            f"Copies réduites faites pour {rendered} photo{'s' if rendered > 1 else ''} en "
            f"{seconds:.1f} s ({each * 1000:.0f} ms par photo)".replace(".", ",")
        )
        if unreadable:
            s = "s" if unreadable > 1 else ""
            text += (
                f" ; {unreadable} photo{s} illisible{s} (original absent ou abîmé) : les listes "
                "montrent l'original, relancez avec --all une fois réparé"
            )
        return self.style.SUCCESS(text + ".")
