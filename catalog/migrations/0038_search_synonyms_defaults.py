"""The town's first synonyms: trades and the words residents use for them (editable data)."""

from django.db import migrations

DEFAULTS = [
    "boulangerie, boulanger, boulangère, pain, viennoiserie",
    "pâtisserie, pâtissier, pâtissière, gâteau",
    "fromagerie, fromager, fromagère, crémerie, fromage",
    "boucherie, boucher, bouchère, charcuterie, charcutier, viande",
    "primeur, maraîcher, fruits, légumes",
    "épicerie, épicier, épicière",
    "caviste, vin, vins",
    "librairie, libraire, livre, roman",
    "fleuriste, fleur, bouquet",
    "poissonnerie, poissonnier, poissonnière, poisson",
    "chaussures, chausseur, cordonnier",
    "quincaillerie, quincaillier, bricolage, outil",
    "jouets, jouet, jeu",
    "bijouterie, bijoutier, bijoutière, bijou",
    "droguerie, droguiste, ménage",
    "prêt-à-porter, vêtement, habits",
    "bd, bande dessinée",
]


def add(apps, schema_editor):
    SearchSynonym = apps.get_model("catalogue", "SearchSynonym")
    if not SearchSynonym.objects.exists():
        SearchSynonym.objects.bulk_create(SearchSynonym(words=words) for words in DEFAULTS)


class Migration(migrations.Migration):
    dependencies = [("catalogue", "0037_search_synonyms")]
    operations = [migrations.RunPython(add, migrations.RunPython.noop)]
