"""`manage.py portal_snapshots_backfill`: a history for the console's growth chart (demo)."""

from django.core.management.base import BaseCommand, CommandParser

from shops.demo.snapshots import snapshots_backfill


class Command(BaseCommand):
    help = (
        "Relève les chiffres du portail aujourd'hui et écrit des relevés passés plausibles "
        "(croissance jusqu'aux chiffres du jour) pour les jours qui n'en ont pas. Pour une "
        "ville de démonstration : une vraie ville a ses relevés quotidiens (Celery beat)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=90, help="Nombre de jours (90).")

    def handle(self, *args, days: int, **options) -> None:
        created = snapshots_backfill(days=max(days, 1))
        self.stdout.write(self.style.SUCCESS(f"{created} relevés passés créés."))
