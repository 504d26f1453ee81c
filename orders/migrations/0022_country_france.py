"""France, the one country residents deliver to: Oscar's checkout needs a shipping country."""

from django.db import migrations


def add_france(apps, schema_editor):
    Country = apps.get_model("address", "Country")
    Country.objects.update_or_create(
        iso_3166_1_a2="FR",
        defaults={
            "iso_3166_1_a3": "FRA",
            "iso_3166_1_numeric": "250",
            "printable_name": "France",
            "name": "République française",
            "display_order": 1,
            "is_shipping_country": True,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("order", "0021_billingaddress_code_shippingaddress_code"),
        ("address", "0007_useraddress_code"),
    ]

    operations = [migrations.RunPython(add_france, migrations.RunPython.noop)]
