"""The outbox moves to the bottom app `messaging` (every app's e-mails, not only orders').

Every row is copied with its key, so a message already written is never written twice and an
unsent one is sent by the new relay; then the old table goes.
"""

from django.db import migrations

FIELDS = (
    "key", "kind", "object_id", "recipients", "created_at", "enqueued_at", "sent_at",
    "attempts", "last_error",
)  # fmt: skip


def copy_rows(apps, schema_editor):
    Old = apps.get_model("order", "OutboxMessage")
    New = apps.get_model("messaging", "OutboxMessage")
    rows = Old.objects.order_by("pk").values(*FIELDS).iterator(chunk_size=2000)
    batch = []
    for row in rows:
        batch.append(New(**row))
        if len(batch) == 2000:
            New.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    New.objects.bulk_create(batch, ignore_conflicts=True)


def copy_back(apps, schema_editor):
    Old = apps.get_model("order", "OutboxMessage")
    New = apps.get_model("messaging", "OutboxMessage")
    old_kinds = ("order_confirmation", "shop_new_order", "status_changed")
    rows = New.objects.filter(kind__in=old_kinds).order_by("pk").values(*FIELDS)
    Old.objects.bulk_create([Old(**row) for row in rows], ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0027_shoporder_created_at_index"),
        ("messaging", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(copy_rows, copy_back),
        migrations.DeleteModel(name="OutboxMessage"),
    ]
