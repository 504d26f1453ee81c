"""`manage.py render_images`: make the renditions of the product photos and the small copies
of the shops' logos and banners (shops.renditions) that have none.

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
from shops.renditions import SLOTS, shop_renditions_make, shops_with_pictures_unrendered


class Command(BaseCommand):
    help = (
        "Fait les copies réduites des photos de produits que montrent les listes (WebP de 400 "
        "et 800 px de large), des logos (96 et 192 px) et des bannières (800 et 1600 px) des "
        "boutiques : par défaut de celles qui n'en ont pas encore, avec --all de toutes."
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
        shops = (
            Partner.objects.exclude(logo="", banner="").order_by("pk")
            if everything
            else shops_with_pictures_unrendered()
        )
        any_images, any_shops = images.exists(), shops.exists()
        if not any_images and not any_shops:
            self.stdout.write("Aucune photo sans copies réduites : rien à faire.")
            return
        bar = ProgressBar(self.stdout) if verbosity > 0 else None
        if any_images:
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
        if any_shops:
            self.stdout.write(self._shops(list(shops), everything, bar))

    def _shops(self, shops: list, everything: bool, bar: ProgressBar | None) -> str:
        """Each shop's logo and banner that has no copies (every one with --all)."""
        made = tried = 0
        for done, shop in enumerate(shops, start=1):
            for picture in SLOTS:
                uploaded = getattr(shop, picture).name
                if uploaded and (
                    everything or uploaded != getattr(shop, f"{picture}_renditions_of")
                ):
                    tried += 1
                    made += shop_renditions_make(shop=shop, picture=picture)
            if bar:
                bar("Logos et bannières", done, len(shops))
        if bar:
            bar.close()
        s = "s" if made > 1 else ""
        text = f"Copies réduites faites pour {made} logo{s} ou bannière{s} de boutique"
        if unreadable := tried - made:
            s = "s" if unreadable > 1 else ""
            text += f" ; {unreadable} illisible{s} : les pages montrent l'original"
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
