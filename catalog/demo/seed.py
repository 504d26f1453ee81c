"""Build the demo catalogue: category tree, product class, products, their pictures.

Products are keyed by index through their UPC (`DGX-000123`), so a rerun only creates the
indices that are missing and never touches a product that already exists.
"""

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from io import BytesIO
from random import Random

from django.db import connection
from django.utils.text import slugify
from oscar.checks import use_productcategory_materialised_view
from oscar.core.loading import get_model

from catalog.demo import images
from catalog.demo.family import Family
from catalog.demo.food import FOOD
from catalog.demo.goods import GOODS
from catalog.renditions import rendition_name, renditions_render
from catalog.text import normalize

Category = get_model("catalogue", "Category")
Product = get_model("catalogue", "Product")
ProductCategory = get_model("catalogue", "ProductCategory")
ProductClass = get_model("catalogue", "ProductClass")
ProductImage = get_model("catalogue", "ProductImage")

# (label, done, total): the command draws a progress bar from these calls.
Progress = Callable[[str, int, int], None]

UPC_PREFIX = "DGX-"
BATCH = 500
FAMILIES: dict[str, Family] = {family.key: family for family in (*FOOD, *GOODS)}

# Top-level categories: (description of the category, closing line of product descriptions).
TOPS: dict[str, tuple[str, str]] = {
    "Alimentation": (
        "Pains, viandes, fromages, fruits et légumes des commerces de bouche de la ville.",
        "Produit frais : retrait en boutique ou livraison le jour même.",
    ),
    "Boissons": (
        "Vins, bulles, bières, spiritueux, thés et cafés choisis par nos cavistes et épiciers.",
        "L'abus d'alcool est dangereux pour la santé ; à consommer avec modération.",
    ),
    "Livres & papeterie": (
        "Romans, polars, bandes dessinées, jeunesse et papeterie des librairies de la ville.",
        "Commandé avant midi, prêt en boutique l'après-midi.",
    ),
    "Fleurs & plantes": (
        "Bouquets du jour et plantes cultivées près d'ici.",
        "Livraison en ville possible le jour même.",
    ),
    "Mode": (
        "Vêtements, chaussures, accessoires et bijoux des boutiques du centre-ville.",
        "Échange possible en boutique sous trente jours.",
    ),
    "Maison & jardin": (
        "Outils, quincaillerie, cuisine, décoration et entretien de la maison.",
        "Les conseils du commerçant en prime, au comptoir ou par téléphone.",
    ),
    "Beauté & bien-être": (
        "Savons, soins et produits d'hygiène de nos drogueries.",
        "Fabriqué en France, sans test sur les animaux.",
    ),
    "Jouets": (
        "Jeux de société, jouets en bois, peluches et loisirs créatifs.",
        "Emballage cadeau offert sur demande.",
    ),
}


@dataclass(frozen=True)
class CatalogueSeed:
    """What products need from the tree: their class and each family's category."""

    product_class_id: int
    category_ids: dict[str, int]


@dataclass(frozen=True)
class ProductSpec:
    """One product to create; `price` is the first shop's price, others vary around it."""

    index: int
    upc: str
    family: str
    title: str
    description: str
    price: Decimal


def upc_for(index: int) -> str:
    return f"{UPC_PREFIX}{index:06d}"


def catalogue_seed() -> CatalogueSeed:
    """Create the product class and the category tree if missing (about 50 rows: per-object
    saves keep treebeard's paths and Oscar's `ancestors_are_public` right)."""
    product_class, _ = ProductClass.objects.get_or_create(
        slug="produit",
        defaults={"name": "Produit", "requires_shipping": True, "track_stock": True},
    )
    tops = {name: _category(None, name, description) for name, (description, _) in TOPS.items()}
    subs: dict[tuple[str, str], int] = {}
    category_ids = {}
    for family in FAMILIES.values():
        key = (family.top, family.sub)
        if key not in subs:
            subs[key] = _category(tops[family.top], family.sub, "").pk
        category_ids[family.key] = subs[key]
    return CatalogueSeed(product_class_id=product_class.pk, category_ids=category_ids)


def _category(parent, name: str, description: str):
    tree = Category.objects
    siblings = tree.get_root_nodes() if parent is None else tree.get_children(parent)
    existing = siblings.filter(name=name).first()
    if existing is not None:
        return existing
    fields = {"name": name, "slug": slugify(normalize(name)), "description": description}
    if parent is None:
        return tree.add_root(create_kwargs=fields)
    return tree.add_child(parent, create_kwargs=fields)


def existing_products(indices: Iterable[int]) -> dict[str, int]:
    """UPC -> id of the demo products already in the database among `indices`."""
    upcs = [upc_for(index) for index in indices]
    found: dict[str, int] = {}
    for start in range(0, len(upcs), BATCH):
        rows = Product.objects.filter(upc__in=upcs[start : start + BATCH])
        found.update(rows.values_list("upc", "pk"))
    return found


def product_spec(*, index: int, family_key: str, rng: Random) -> ProductSpec:
    family = FAMILIES[family_key]
    title, price = family.draw(rng)
    description = family.description(rng, closing=TOPS[family.top][1])
    return ProductSpec(index, upc_for(index), family_key, title, description, price)


def products_create(
    *, catalogue: CatalogueSeed, specs: list[ProductSpec], progress: Progress | None = None
) -> dict[str, int]:
    """Bulk-create the products, their category links and pictures; returns UPC -> id.

    bulk_create skips `Product.save()` (slug) and the post_save receivers (search columns),
    so the slug is set here and the caller refreshes the search columns once at the end.
    """
    created: dict[str, int] = {}
    for start in range(0, len(specs), BATCH):
        created.update(_create_batch(catalogue, specs[start : start + BATCH]))
        if progress:
            progress("Produits", min(start + BATCH, len(specs)), len(specs))
    if created and use_productcategory_materialised_view():
        with connection.cursor() as cursor:
            cursor.execute("REFRESH MATERIALIZED VIEW catalogue_product_category_hierarchy")
    return created


def _create_batch(catalogue: CatalogueSeed, specs: list[ProductSpec]) -> dict[str, int]:
    products = Product.objects.bulk_create(
        [
            Product(
                structure=Product.STANDALONE,
                upc=spec.upc,
                title=spec.title,
                slug=slugify(normalize(spec.title))[:255],
                description=spec.description,
                product_class_id=catalogue.product_class_id,
                is_public=True,
            )
            for spec in specs
        ]
    )
    ids = {product.upc: product.pk for product in products}
    ProductCategory.objects.bulk_create(
        ProductCategory(product_id=ids[s.upc], category_id=catalogue.category_ids[s.family])
        for s in specs
    )
    ProductImage.objects.bulk_create(_images(specs, ids))
    return ids


def _images(specs: list[ProductSpec], ids: dict[str, int]) -> list:
    """The batch's pictures, with their renditions: bulk_create sends no signal, so no task
    would render them. Encoding WebP costs more than drawing (~9 ms a picture against 1.5),
    so the demo encodes with less effort (4 ms, files 5 % heavier) and on every core (Pillow
    lets go of the GIL while encoding); drawing stays on this thread (a FreeType font is not
    to be shared between threads)."""
    pictures = {spec.upc: _picture(spec) for spec in specs}
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        made = pool.map(lambda item: _renditions(*item), pictures.values())
        sizes = dict(zip(pictures, made, strict=True))
    return [
        ProductImage(
            product_id=ids[spec.upc],
            original=pictures[spec.upc][0],
            caption=spec.title[:200],
            renditions_of=pictures[spec.upc][0],
            renditions=sizes[spec.upc],
        )
        for spec in specs
    ]


def _picture(spec: ProductSpec) -> tuple[str, bytes]:
    """The stored name and the bytes of a product's picture."""
    family = FAMILIES[spec.family]
    content = images.render(title=spec.title, top=family.top, sub=family.sub)
    return images.store(name=f"{spec.upc.lower()}.jpg", content=content), content


def _renditions(name: str, content: bytes) -> list[list[int]]:
    """Each picture's own rendition files, encoded once per drawing (the same title in the
    same category looks the same) and written straight to disk, as the pictures are."""
    made = _renditions_of(content)
    for rendition in made:
        folder, _, file = rendition_name(name, rendition.slot).rpartition("/")
        images.store(name=file, content=rendition.content, folder=folder)
    return [[r.slot, r.width, r.height] for r in made]


@lru_cache(maxsize=16_384)  # a few KB each, like the drawings
def _renditions_of(content: bytes) -> tuple:
    return tuple(renditions_render(BytesIO(content), effort=2))
