"""The resident's data as files: one JSON document, or a ZIP of CSV files (one per kind)."""

import io
import json
import zipfile

from django.core.serializers.json import DjangoJSONEncoder

from shops.catalogue_io.export import csv_lines


def data_json(data: dict) -> bytes:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()


def _csv(header: list[str], rows: list[list]) -> bytes:
    """The merchants' CSV format: `;`, a BOM (Excel reads UTF-8), no cell run as a formula."""
    return "".join(csv_lines([header, *rows])).encode()


def data_csv_zip(data: dict) -> bytes:
    """compte.csv, adresses.csv, commandes.csv (one row per article), avis.csv."""
    account = data["compte"]
    address_header = ["nom", "adresse", "code_postal", "ville", "pays", "telephone", "instructions"]

    def address_cells(address: dict | None) -> list:
        if not address:
            return [""] * len(address_header)
        return [
            " / ".join(v) if k == "adresse" else v
            for k, v in address.items()
            if k in address_header
        ]

    files = {
        "compte.csv": _csv(["champ", "valeur"], [[k, v or ""] for k, v in account.items()]),
        "adresses.csv": _csv(
            [*address_header, "par_defaut_livraison"],
            [[*address_cells(a), a["par_defaut_livraison"]] for a in data["adresses"]],
        ),
        "commandes.csv": _csv(
            [
                "commande",
                "passee_le",
                "statut",
                "total_commande",
                "produit",
                "boutique",
                "quantite",
                "prix_unitaire",
                "total_article",
                *(f"livraison_{name}" for name in address_header),
            ],  # fmt: skip
            [
                [
                    order["numero"],
                    order["passee_le"],
                    order["statut"],
                    order["total"],
                    line["produit"],
                    line["boutique"],
                    line["quantite"],
                    line["prix_unitaire"],
                    line["total"],
                    *address_cells(order["adresse_de_livraison"]),
                ]  # fmt: skip
                for order in data["commandes"]
                for line in order["articles"]
            ],
        ),
        "avis.csv": _csv(
            ["produit", "note", "titre", "texte", "ecrit_le"],
            [
                [r["produit"], r["note"], r["titre"], r["texte"], r["ecrit_le"]]
                for r in data["avis"]
            ],
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
