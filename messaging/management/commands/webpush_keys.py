"""`manage.py webpush_keys`: a fresh VAPID key pair for the portal's Web Push, to put in .env."""

from django.core.management.base import BaseCommand

from messaging.push import vapid_keys_generate


class Command(BaseCommand):
    help = (
        "Affiche une nouvelle paire de clés VAPID pour les notifications push "
        "(à copier dans .env ; changer de paire oblige chaque téléphone à se réabonner)."
    )

    def handle(self, *args, **options) -> None:
        public, private = vapid_keys_generate()
        self.stdout.write(f"WEBPUSH_VAPID_PUBLIC_KEY={public}")
        self.stdout.write(f"WEBPUSH_VAPID_PRIVATE_KEY={private}")
