"""Read queries on the shared catalogue: browsing, database search and facets.

Each function returns a lazy queryset or plain data, with a constant number of queries
whatever the number of products, so the pages built on them keep a fixed query budget.

Which offers the public may see (on sale, from a live shop) is the shops' rule, above the
catalogue in the layers: the catalogue asks for them through the DIGITAIX_PUBLIC_OFFERS
setting, as it asks `sees_hidden_catalogue` through catalog.roles.
"""

import functools
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, TrigramWordSimilarity
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
    prefetch_related_objects,
)
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils.module_loading import import_string
from oscar.core.loading import get_model

from catalog.cache import aggregate_cached
from catalog.search.words import Word, close_words, query_words
from catalog.text import light_stem, normalize

Product = get_model("catalogue", "Product")
Category = get_model("catalogue", "Category")
ProductCategory = get_model("catalogue", "ProductCategory")

SORTS = ("relevance", "price-asc", "price-desc", "newest", "title")


@dataclass(frozen=True)
class Facet:
    key: int
    label: str
    count: int


def _public_offers() -> QuerySet:
    """The offers the public may see and buy (stock records), as the shops define them."""
    return import_string(settings.DIGITAIX_PUBLIC_OFFERS)()


def products_on_sale() -> QuerySet:
    """Public, browsable products that at least one live shop offers."""
    offered = _public_offers().filter(product=OuterRef("pk"))
    return Product.objects.browsable().filter(Exists(offered))


def products_for_cards(queryset: QuerySet) -> QuerySet:
    """Prefetch what a product card shows (image, offers and their shops): 3 queries in all.

    The search columns and the description are not read on a card and are the widest ones.
    """
    return (
        queryset.select_related("product_class")
        .prefetch_related("images", _public_offers_prefetch())
        .defer("search_vector", "search_text", "description")
    )


def products_for_cards_in_order(ids: list[int]) -> list:
    """The products of `ids` still on sale, in that order, ready for cards (3 queries)."""
    found = products_for_cards(products_on_sale().filter(pk__in=ids)).in_bulk()
    return [found[pk] for pk in ids if pk in found]


def products_cards_prefetch(products: list) -> None:
    """Load what a card shows on products that `products_for_cards` did not fetch (a product
    page's recommendations, the recently viewed): up to 3 queries, none when it did."""
    prefetch_related_objects(products, "product_class", "images", _public_offers_prefetch())


def _public_offers_prefetch() -> Prefetch:
    """A product's offers from live shops, with their shop, cheapest first."""
    offers = _public_offers().select_related("partner").order_by("price", "pk")
    return Prefetch("stockrecords", queryset=offers)


def products_search(
    *,
    query: str = "",
    categories: QuerySet | None = None,
    shop_id: int | None = None,
    sort: str = "relevance",
    typing: bool = False,
) -> QuerySet:
    """The product list behind the catalogue, category and search pages; `typing` (the
    type-ahead) takes the last word as the start of a word ("fromag" for "fromage")."""
    qs = products_on_sale()
    if categories is not None:
        qs = qs.filter(
            Exists(ProductCategory.objects.filter(product=OuterRef("pk"), category__in=categories))
        )
    if shop_id:
        qs = qs.filter(Exists(_public_offers().filter(product=OuterRef("pk"), partner_id=shop_id)))
    ranked = False
    if normalize(query):
        qs, ranked = _match(qs, query, typing=typing)
    return _sort(qs, sort, ranked)


def _match(qs: QuerySet, query: str, *, typing: bool = False) -> tuple[QuerySet, bool]:
    """Products matching every word of `query` (each word or one of its synonyms), those
    matching the words as typed first; when nothing matches, typos are corrected."""
    words = query_words(query)
    if connection.vendor != "postgresql":
        matches = qs.filter(_contains_all(words))
        if not typing and not _exists_cached(matches):
            vocabulary = catalogue_vocabulary()
            words = [
                Word(w.typed, w.alternatives + tuple(close_words(w.typed, vocabulary)))
                for w in words
            ]
            matches = qs.filter(_contains_all(words))
        # The words as typed rank first, and among them those in the title (as PostgreSQL
        # weighs the title most); SQLite compares the title without its accents' case only.
        exact = _contains_all([Word(w.typed, (w.typed,)) for w in words])
        in_title = Q()
        for word in words:
            in_title &= Q(title__icontains=light_stem(word.typed))
        rank = Case(When(exact, then=2), default=0) + Case(When(in_title, then=1), default=0)
        return matches.annotate(rank=rank), True
    # French stemming on unaccented words ("Boulangères" -> "boulanger") through the GIN
    # index on the stored vector, synonyms OR-ed in. Only when that finds nothing, a trigram
    # match on the normalised title + categories catches typos ("croisant"): scanning
    # trigrams costs far more than the full-text index, so the common case never pays for it.
    expanded = _tsquery(words, typing=typing)
    matches = qs.filter(search_vector=expanded)
    if typing or _exists_cached(matches):  # the type-ahead corrects no typo: the next letter will
        return _ranked(qs, expanded, _tsquery([Word(w.typed, (w.typed,)) for w in words])), True
    text = normalize(query)
    similar = qs.filter(search_text__trigram_word_similar=text)
    return similar.annotate(rank=TrigramWordSimilarity(text, "search_text")), True


def _ranked(qs: QuerySet, expanded: SearchQuery, typed: SearchQuery) -> QuerySet:
    """PostgreSQL: the products matching `expanded`, ranked; an exact match of the words as
    typed (`typed`) ranks above any synonym's."""
    exact = Case(When(search_vector=typed, then=1.0), default=0.0, output_field=FloatField())
    return qs.filter(search_vector=expanded).annotate(
        rank=exact + SearchRank(F("search_vector"), expanded)
    )


def _exists_cached(matches: QuerySet) -> bool:
    """Whether the words match anything (else typos are corrected), kept like the facets: the
    same for every visitor, and as costly as the search itself on a large catalogue."""
    return aggregate_cached(("exists", str(matches.query)), matches.exists)


def _contains_all(words: list[Word]) -> Q:
    """SQLite: every word (or one of its alternatives, plural stripped) in the search text."""
    condition = Q()
    for word in words:
        either = Q()
        for alternative in word.alternatives:
            every = Q()
            for part in alternative.split():  # "bande dessinee": both words, any order
                every &= Q(search_text__contains=light_stem(part))
            either |= every
        condition &= either
    return condition


def _tsquery(words: list[Word], *, typing: bool = False) -> SearchQuery:
    return SearchQuery(_tsquery_text(words, typing=typing), config="french", search_type="raw")


def _tsquery_text(words: list[Word], *, typing: bool = False) -> str:
    """PostgreSQL: `(typed | b:* | c:* <-> d:*) & …`, French-stemmed (words are [a-z0-9] once
    normalised). A synonym matches as a prefix ("outil" finds "outillage", as SQLite's
    substring match does); the word typed matches its stem only, so "tome" never finds
    "tomme" (stemmed "tom" as a prefix would)."""

    def phrase(alternative: str, prefix: str) -> str:
        return " <-> ".join(f"{w}{prefix}" for w in alternative.split())

    last = len(words) - 1
    terms = [
        "("
        + " | ".join(
            phrase(a, ":*" if i or (typing and n == last) else "")
            for i, a in enumerate(w.alternatives)
        )
        + ")"
        for n, w in enumerate(words)
    ]
    return " & ".join(terms)


def catalogue_vocabulary() -> frozenset[str]:
    """Every word of the public products' search text (SQLite's typo correction), cached."""

    def compute() -> frozenset[str]:
        texts = products_on_sale().values_list("search_text", flat=True)
        return frozenset(word for text in texts.iterator() for word in text.split())

    return aggregate_cached(("vocabulary",), compute)


def _sort(qs: QuerySet, sort: str, ranked: bool) -> QuerySet:
    if sort in ("price-asc", "price-desc"):
        cheapest = _public_offers().filter(product=OuterRef("pk")).order_by("price")
        qs = qs.annotate(min_price=Subquery(cheapest.values("price")[:1]))
        field = F("min_price").asc if sort == "price-asc" else F("min_price").desc
        return qs.order_by(field(nulls_last=True), "pk")
    if sort == "newest":
        return qs.order_by("-date_created", "-pk")
    if sort == "title" or not ranked:
        return qs.order_by("title", "pk")
    return qs.order_by("-rank", "title", "pk")


def category_facets(*, products: QuerySet, parent: Category | None = None) -> list[Facet]:
    """Product counts per category one level below `parent` (top level when None): 2 queries."""
    depth = (parent.depth if parent else 0) + 1
    prefix_len = Category.steplen * depth
    links = ProductCategory.objects.filter(product__in=products.order_by().values("pk"))
    if parent is not None:
        links = links.filter(category__path__startswith=parent.path)
    counts = dict(
        links.filter(category__depth__gte=depth)
        .annotate(prefix=Substr("category__path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("product_id", distinct=True))
        .values_list("prefix", "n")
    )
    categories = Category.objects.browsable().filter(path__in=counts).order_by("name")
    return [Facet(c.pk, c.name, counts[c.path]) for c in categories]


def menu_categories() -> list[dict]:
    """The top categories that hold a product on sale, in the tree's order, as the menu links
    them ({name, url}): an empty category is never offered. 3 queries (callers cache it)."""
    counted = {facet.key for facet in category_facets(products=products_on_sale())}
    categories = Category.objects.filter(pk__in=counted).order_by("path")
    return [{"name": c.name, "url": c.get_absolute_url()} for c in categories]


def shop_facets(*, products: QuerySet, limit: int = 30) -> list[Facet]:
    """Product counts per shop among `products`, largest first: 1 query."""
    rows = (
        _public_offers()
        .filter(product__in=products.order_by().values("pk"))
        .values("partner_id", "partner__name")
        .annotate(n=Count("product_id", distinct=True))
        .order_by("-n", "partner__name")[:limit]
    )
    return [Facet(r["partner_id"], r["partner__name"], r["n"]) for r in rows]


def product_for_page() -> QuerySet:
    """The products a product page reads, with what it shows loaded once: its class, photos,
    public categories, attributes, whether it has options and every live shop's offer with
    its shop, cheapest first (`product.stockrecords.all()`, which the pricing strategy and
    the page read without a query)."""
    Option = get_model("catalogue", "Option")
    return (
        Product.objects.select_related("product_class")
        .annotate(
            has_product_class_options=Exists(
                Option.objects.filter(productclass=OuterRef("product_class"))
            ),
            has_product_options=Exists(Option.objects.filter(product=OuterRef("pk"))),
        )
        .prefetch_related("images", _public_offers_prefetch())
        .prefetch_browsable_categories()
        .prefetch_attribute_values()
    )


# --- Categories for a merchant's product form: labels, type-ahead and a suggestion ----------

CATEGORY_SEPARATOR = " › "
# Words of a title that say nothing of what the product is.
_TITLE_NOISE = frozenset(
    "les des aux pour avec sans par sur une the and bio fait maison piece pieces lot".split()
)
SIMILAR_PRODUCTS = 200  # products with a word of the title, read to rank their categories


@dataclass(frozen=True)
class CategoryChoice:
    """A public category as the product form shows it: "Boulangerie › Pains"."""

    pk: int
    label: str
    depth: int
    words: frozenset[str]  # the stemmed words of its own name


def categories_labelled() -> list[CategoryChoice]:
    """Every browsable category with its full label, in tree order: 1 query."""
    rows = Category.objects.browsable().order_by("path").values_list("pk", "path", "name", "depth")
    names: dict[str, str] = {}
    choices = []
    for pk, path, name, depth in rows:
        labels = [names.get(path[: Category.steplen * d], "") for d in range(1, depth)]
        names[path] = name
        label = CATEGORY_SEPARATOR.join([*(n for n in labels if n), name])
        choices.append(CategoryChoice(pk, label, depth, frozenset(_title_words(name))))
    return choices


def categories_matching(*, query: str, limit: int = 20) -> list[CategoryChoice]:
    """Categories whose full label holds every word typed (accents and case ignored): the
    type-ahead's list, the categories whose own name starts with the text first."""
    words = normalize(query).split()
    found = [c for c in categories_labelled() if all(w in normalize(c.label) for w in words)]
    text = normalize(query)
    found.sort(key=lambda c: not normalize(c.label.split(CATEGORY_SEPARATOR)[-1]).startswith(text))
    return found[:limit]


def _title_words(title: str) -> list[str]:
    """The words of a title worth comparing, stemmed: "Pains de campagne 500 g" ->
    ["pain", "campagne"]."""
    words = (light_stem(w) for w in normalize(title).split())
    return [w for w in words if len(w) > 2 and not w.isdigit() and w not in _TITLE_NOISE]


def category_suggest(*, title: str) -> CategoryChoice | None:
    """The category a product of this title most likely belongs to, or None: 3 queries.

    Each word of the title found in a category's own name counts 3; each existing public
    product sharing words with the title counts, for each of its categories, the number of
    words shared. Ties go to the deeper (more precise) category, then the label.
    """
    words = set(_title_words(title))
    if not words:
        return None
    choices = {c.pk: c for c in categories_labelled()}
    scores: dict[int, int] = defaultdict(int)
    for choice in choices.values():
        scores[choice.pk] += 3 * len(words & choice.words)
    for category_id, shared in _similar_products_categories(words):
        if category_id in choices:
            scores[category_id] += shared
    ranked = sorted(
        (pk for pk, score in scores.items() if score > 0),
        key=lambda pk: (-scores[pk], -choices[pk].depth, choices[pk].label),
    )
    return choices[ranked[0]] if ranked else None


def _similar_products_categories(words: set[str]) -> list[tuple[int, int]]:
    """(category id, words shared with the title) for each category link of public products
    whose title has one of `words`: 2 queries."""
    match = Q()
    for word in words:
        match |= Q(search_text__contains=word)
    similar = dict(
        Product.objects.browsable()
        .filter(match)
        .order_by("-date_updated", "-pk")
        .values_list("pk", "title")[:SIMILAR_PRODUCTS]
    )
    shared = {pk: len(words & set(_title_words(title))) for pk, title in similar.items()}
    links = ProductCategory.objects.filter(product_id__in=list(similar)).values_list(
        "product_id", "category_id"
    )
    return [(category_id, shared[product_id]) for product_id, category_id in links]


def _stocked_category_paths() -> frozenset[str]:
    """The paths of the categories that directly hold a product on sale: 1 query."""
    links = ProductCategory.objects.filter(product__in=products_on_sale().values("pk"))
    return frozenset(links.order_by().values_list("category__path", flat=True).distinct())


def _stocked_categories() -> list[tuple[int, str, int]]:
    """(pk, normalised name, depth) of the browsable categories holding products on sale
    (theirs or their subcategories'): 2 queries, kept under the catalogue's version (a
    category saved raises it, catalog/pagecache.py)."""
    stocked_paths = _stocked_category_paths()
    rows = Category.objects.browsable().values_list("pk", "name", "depth", "path")
    return [
        (pk, normalize(name), depth)
        for pk, name, depth, path in rows
        if any(stocked.startswith(path) for stocked in stocked_paths)
    ]


def categories_search(*, query: str, limit: int = 6) -> list[Category]:
    """Public categories holding products on sale (theirs or their subcategories') whose name
    has every word of `query` (or a synonym), the shallowest first: 1 query when one is
    found (their names are kept, `_stocked_categories`), the same matching on SQLite and
    PostgreSQL."""
    words = query_words(query)
    if not words:
        return []
    found = []
    for pk, text, depth in aggregate_cached(("stocked-category-names",), _stocked_categories):
        if all(
            any(all(light_stem(w) in text for w in alt.split()) for alt in word.alternatives)
            for word in words
        ):
            found.append((depth, text, pk))
    ids = [pk for _depth, _text, pk in sorted(found)[:limit]]
    categories = Category.objects.in_bulk(ids)
    return [categories[pk] for pk in ids]


def product_suggestions(*, query: str, limit: int = 6) -> list[dict]:
    """The first products `products_search` ranks for `query`, as the type-ahead shows them
    ({label, meta: the lowest price, url}): 1 query (PostgreSQL) or 2 to 3, no model instances."""
    if connection.vendor == "postgresql" and normalize(query):
        rows = _suggestion_rows_postgres(query, limit)
    else:
        rows = _suggestion_values(products_search(query=query, typing=True))[:limit]
    return [
        {
            "label": row["title"],
            "meta": f"{row['min_price']:.2f} €".replace(".", ",") if row["min_price"] else "",
            "url": reverse(
                "catalogue:detail", kwargs={"product_slug": row["slug"], "pk": row["pk"]}
            ),
        }
        for row in rows
    ]


def _suggestion_values(products: QuerySet) -> QuerySet:
    cheapest = _public_offers().filter(product=OuterRef("pk")).order_by("price")
    return products.annotate(min_price=Subquery(cheapest.values("price")[:1])).values(
        "pk", "slug", "title", "min_price"
    )


# The type-ahead runs on every letter typed, each time with other words, so no answer comes
# from the cache: building its statement through the ORM cost as much as running it. On
# PostgreSQL the statement's text never depends on the words (they are two tsquery
# parameters), so it is compiled once per process, with markers where the words go.
_EXPANDED = "\x00expanded"
_TYPED = "\x00typed"


@functools.lru_cache(maxsize=8)
def _suggestion_statement(alias: str, public_offers: str, limit: int) -> tuple[str, tuple]:
    def marker(text: str) -> SearchQuery:
        return SearchQuery(text, config="french", search_type="raw")

    ranked = _sort(
        _ranked(products_on_sale(), marker(_EXPANDED), marker(_TYPED)), "relevance", True
    )
    sql, params = _suggestion_values(ranked)[:limit].query.sql_with_params()
    if _EXPANDED not in params or _TYPED not in params:  # pragma: no cover - Django changed
        raise RuntimeError("the type-ahead's statement has no place for the words")
    return sql, tuple(params)


def _suggestion_rows_postgres(query: str, limit: int) -> list[dict]:
    words = query_words(query)
    words_at = {
        _EXPANDED: _tsquery_text(words, typing=True),
        _TYPED: _tsquery_text([Word(w.typed, (w.typed,)) for w in words]),
    }
    sql, params = _suggestion_statement(connection.alias, settings.DIGITAIX_PUBLIC_OFFERS, limit)
    with connection.cursor() as cursor:
        cursor.execute(sql, [words_at.get(p, p) if isinstance(p, str) else p for p in params])
        return [
            {"pk": pk, "slug": slug, "title": title, "min_price": min_price}
            for pk, slug, title, min_price in cursor.fetchall()
        ]
