"""Accounts that existed before e-mail verification keep their standing: their addresses
count as verified (their shops stay in the town's queue). New accounts prove theirs."""

from django.conf import settings
from django.db import migrations


def existing_accounts_verified(apps, schema_editor):
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    EmailVerification = apps.get_model("accounts", "EmailVerification")
    EmailVerification.objects.bulk_create(
        EmailVerification(user_id=pk, email=email)
        for pk, email in User.objects.exclude(email="").values_list("pk", "email").iterator()
    )


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_email_verification")]

    operations = [migrations.RunPython(existing_accounts_verified, migrations.RunPython.noop)]
