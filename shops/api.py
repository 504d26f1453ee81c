"""The shop's part of the public REST API (/api/v1/, wired in digitaix/api.py): its profile
and its offers, for the key's shop only (`request.auth.shop`).

A thin layer: reads go through shops' selectors, writes through shops' services, with the
same checks as the merchant's pages (price and stock rules, reserved units); no serializer
saves a model. Another shop's id answers 404, never 403: its existence is not revealed.
"""

import hashlib
from decimal import Decimal

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from oscar.core.loading import get_model
from rest_framework import generics, serializers
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalog.api import PublicListView, StrictPageSize, StrictQuery, path_parameter
from catalog.api_text import fr_en
from messaging.handover import handover
from shops import product_selectors, selectors, webhook_selectors
from shops.catalogue_io import MAX_STOCK, price_parse
from shops.services import OfferChange, offers_stock_update
from shops.services.api_keys import (
    IdempotencyKeyReused,
    idempotent_request_claim,
    idempotent_request_record,
)
from shops.services.stock_api import (
    MAX_LINES,
    StockLine,
    StockLinesError,
    offers_stock_bulk_update,
)
from shops.tasks import stock_feed_pull_task

Partner = get_model("partner", "Partner")
StockRecord = get_model("partner", "StockRecord")
WebhookEndpoint = get_model("partner", "WebhookEndpoint")

# The shop's own fields, described once: its profile (GET and PATCH /api/v1/shop/) and the
# public directory (/api/v1/public/shops/).
SHOP_FIELDS_HELP = {
    "code": fr_en(
        "Identifiant de la boutique dans les adresses du portail.",
        "The shop's identifier in the portal's addresses.",
    ),
    "name": fr_en("Nom de la boutique.", "The shop's name."),
    "trade": fr_en("Métier de la boutique.", "The shop's trade."),
    "description": fr_en("Présentation de la boutique.", "The shop's presentation."),
    "status": fr_en(
        "pending, live, rejected ou suspended.", "pending, live, rejected or suspended."
    ),
    "address_line": fr_en("Adresse (rue).", "Street address."),
    "postcode": fr_en("Code postal.", "Postcode."),
    "city": fr_en("Ville.", "City."),
    "phone": fr_en("Téléphone.", "Phone number."),
    "email": fr_en("E-mail (vide si aucun).", "E-mail (empty if none)."),
    "website": fr_en("Site web (vide si aucun).", "Website (empty if none)."),
    "siret": fr_en("Numéro SIRET (14 chiffres).", "SIRET number (14 digits)."),
    "offers_click_collect": fr_en("Propose le retrait en boutique.", "Offers click & collect."),
    "offers_delivery": fr_en("Propose la livraison à domicile.", "Offers home delivery."),
    "pickup_lead_minutes": fr_en(
        "Délai de préparation en minutes : temps minimum entre la commande et le premier "
        "créneau de retrait.",
        "Preparation time in minutes: the least time between an order and the first pickup slot.",
    ),
    "pickup_slot_minutes": fr_en(
        "Durée d'un créneau de retrait, en minutes.", "Length of a pickup slot, in minutes."
    ),
    "pickup_slot_capacity": fr_en("Commandes par créneau de retrait.", "Orders per pickup slot."),
}


class ShopSerializer(serializers.ModelSerializer):
    """The key's shop as the public knows it, its status on the portal and its stock feed."""

    stock_feed_url = serializers.SerializerMethodField(
        help_text=fr_en(
            "Fichier de stock lu (vide si aucun).", "The stock file read (empty if none)."
        )
    )
    stock_feed_period = serializers.SerializerMethodField(
        help_text=fr_en("Minutes entre lectures.", "Minutes between reads.")
    )

    def get_stock_feed_url(self, shop) -> str:
        feed = _file_feed(shop)
        return feed.url if feed else ""

    def get_stock_feed_period(self, shop) -> int | None:
        feed = _file_feed(shop)
        return feed.period if feed else None

    email = serializers.CharField(read_only=True, help_text=SHOP_FIELDS_HELP["email"])
    website = serializers.CharField(read_only=True, help_text=SHOP_FIELDS_HELP["website"])

    class Meta:
        model = Partner
        fields = [
            "code", "name", "trade", "description", "status", "address_line", "postcode",
            "city", "phone", "email", "website", "offers_click_collect", "offers_delivery",
            "stock_feed_url", "stock_feed_period",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": text} for name, text in SHOP_FIELDS_HELP.items()}


class OfferProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        read_only=True,
        help_text=fr_en("Produit du catalogue partagé.", "Product of the shared catalogue."),
    )
    title = serializers.CharField(
        read_only=True, help_text=fr_en("Titre du produit.", "The product's title.")
    )
    is_public = serializers.BooleanField(
        read_only=True,
        help_text=fr_en(
            "Faux : produit retiré par la mairie (invisible du public).",
            "False: product withdrawn by the town hall (hidden from the public).",
        ),
    )


class OfferSerializer(serializers.ModelSerializer):
    """One of the shop's offers: its price, stock and sale on a catalogue product."""

    sku = serializers.CharField(
        source="partner_sku",
        read_only=True,
        help_text=fr_en("Référence.", "The offer's reference (SKU)."),
    )
    ean = serializers.CharField(
        source="product.upc",
        read_only=True,
        allow_null=True,
        help_text=fr_en("Code-barres (EAN).", "Barcode (EAN)."),
    )
    product = OfferProductSerializer(
        read_only=True, help_text=fr_en("Le produit du catalogue.", "The catalogue's product.")
    )
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=True,
        help_text=fr_en("Prix TTC en euros, supérieur à 0, 2 décimales au plus.",
                        "Price including VAT, in euros, above 0, 2 decimals at most."),
    )  # fmt: skip
    num_in_stock = serializers.IntegerField(
        min_value=0, max_value=MAX_STOCK, help_text=fr_en("Stock en boutique.", "Stock in shop.")
    )
    num_allocated = serializers.IntegerField(
        read_only=True,
        help_text=fr_en(
            "Unités réservées par des commandes pas encore retirées.",
            "Units held by orders not yet collected.",
        ),
    )
    is_on_sale = serializers.BooleanField(
        help_text=fr_en("En vente sur le portail.", "On sale on the portal.")
    )
    updated_at = serializers.DateTimeField(
        source="date_updated",
        read_only=True,
        help_text=fr_en("Dernière modification.", "Last change."),
    )

    stock_source = serializers.ChoiceField(
        choices=StockRecord.StockSource.choices, read_only=True, allow_blank=True,
        help_text=fr_en(
            "D'où vient le stock : hand (saisie), import, api, feed (flux), woocommerce ; vide "
            "avant toute synchronisation.",
            "Where the stock came from: hand, import, api, feed, woocommerce; empty before any "
            "sync.",
        ),
    )  # fmt: skip
    stock_synced_at = serializers.DateTimeField(
        read_only=True, allow_null=True,
        help_text=fr_en(
            "Dernière fois que cette source a confirmé le stock (modifié ou non).",
            "When that source last confirmed the stock (changed or not).",
        ),
    )  # fmt: skip

    class Meta:
        model = StockRecord
        fields = [
            "id", "sku", "ean", "product", "price", "num_in_stock", "num_allocated",
            "is_on_sale", "updated_at", "stock_source", "stock_synced_at",
        ]  # fmt: skip
        read_only_fields = ["id"]
        extra_kwargs = {"id": {"help_text": fr_en("Identifiant de l'offre.", "The offer's id.")}}

    def validate_price(self, value: Decimal) -> Decimal:
        price = price_parse(str(value))
        if price is None:
            raise ValidationError(
                _("Prix invalide : un montant supérieur à 0, 2 décimales au plus.")
            )
        return price

    def to_representation(self, instance):
        product = instance.product
        return self.row({
            "pk": instance.pk, "partner_sku": instance.partner_sku, "product_id": product.pk,
            "product__upc": product.upc, "product__title": product.title,
            "product__is_public": product.is_public, "price": instance.price,
            "num_in_stock": instance.num_in_stock, "num_allocated": instance.num_allocated,
            "is_on_sale": instance.is_on_sale, "date_updated": instance.date_updated,
            "stock_source": instance.stock_source, "stock_synced_at": instance.stock_synced_at,
        })  # fmt: skip

    def row(self, row: dict) -> dict:
        """An offer's JSON from its `api_offer_rows` values, built directly (DRF's walk over
        fields and model instances took 2/3 of a page of 100): the values the fields above
        would give, as the schema tests check."""
        fields, synced = self.fields, row["stock_synced_at"]
        return {
            "id": row["pk"],
            "sku": row["partner_sku"],
            "ean": row["product__upc"],
            "product": {
                "id": row["product_id"], "title": row["product__title"],
                "is_public": row["product__is_public"],
            },
            "price": fields["price"].to_representation(row["price"]),
            "num_in_stock": row["num_in_stock"],
            "num_allocated": row["num_allocated"] or 0,
            "is_on_sale": row["is_on_sale"],
            "updated_at": fields["updated_at"].to_representation(row["date_updated"]),
            "stock_source": row["stock_source"],
            "stock_synced_at": fields["stock_synced_at"].to_representation(synced)
            if synced
            else None,
        }  # fmt: skip


class OfferCreateSerializer(serializers.Serializer):
    """An offer on the shared catalogue's product with this EAN; when there is none, a new
    product (title and category then needed), checked by the page's own form."""

    ean = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=64,
        help_text=fr_en("Code-barres (EAN) du produit.", "The product's barcode (EAN)."),
    )
    title = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=255,
        help_text=fr_en("Nom d'un nouveau produit.", "Name of a new product."),
    )
    category = serializers.IntegerField(
        required=False,
        allow_null=True,
        help_text=fr_en(
            "Catégorie d'un nouveau produit (son id).", "Category of a new product (its id)."
        ),
    )
    description = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text=fr_en("Description courte, texte simple.", "Short description, plain text."),
    )
    price = serializers.CharField(
        max_length=20,
        help_text=fr_en(
            "Prix TTC, « 4.45 » ou « 4,45 ».", "Price including VAT, `4.45` or `4,45`."
        ),
    )
    num_in_stock = serializers.IntegerField(
        min_value=0, max_value=MAX_STOCK, help_text=fr_en("Stock en boutique.", "Stock in shop.")
    )
    is_on_sale = serializers.BooleanField(
        default=True,
        help_text=fr_en(
            "En vente sur le portail (oui par défaut).", "On sale on the portal (yes by default)."
        ),
    )


class OfferCursor(StrictPageSize, CursorPagination):
    page_size = 100
    max_page_size = 500
    page_size_query_param = "page_size"
    ordering = ("-date_updated", "-pk")


class _ShopApiView(StrictQuery, generics.GenericAPIView):
    @property
    def shop(self) -> Partner:
        return self.request.auth.shop


class HoursSpanSerializer(serializers.Serializer):
    weekday = serializers.IntegerField(
        min_value=0, max_value=6, help_text=fr_en("0 = lundi.", "0 = Monday.")
    )
    opens = serializers.TimeField(help_text=fr_en("Ouverture, « 09:00 ».", "Opens, `09:00`."))
    closes = serializers.TimeField(help_text=fr_en("Fermeture, « 12:30 ».", "Closes, `12:30`."))


class ShopPatchSerializer(serializers.Serializer):
    """What a key may change on its shop: the profile's fields (checked by the profile page's
    own form: a live shop's new name, SIRET or address waits for the town) and the week's
    hours (replaced whole, at most two spans a day, as the page's grid)."""

    name = serializers.CharField(required=False, max_length=128, help_text=SHOP_FIELDS_HELP["name"])
    trade = serializers.CharField(
        required=False, max_length=32, help_text=SHOP_FIELDS_HELP["trade"]
    )
    description = serializers.CharField(
        required=False, allow_blank=True, max_length=5000,
        help_text=SHOP_FIELDS_HELP["description"],
    )  # fmt: skip
    address_line = serializers.CharField(
        required=False, allow_blank=True, max_length=255,
        help_text=SHOP_FIELDS_HELP["address_line"],
    )  # fmt: skip
    postcode = serializers.CharField(
        required=False, allow_blank=True, max_length=16, help_text=SHOP_FIELDS_HELP["postcode"]
    )
    city = serializers.CharField(
        required=False, allow_blank=True, max_length=128, help_text=SHOP_FIELDS_HELP["city"]
    )
    phone = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=SHOP_FIELDS_HELP["phone"]
    )
    email = serializers.CharField(
        required=False, allow_blank=True, max_length=254, help_text=SHOP_FIELDS_HELP["email"]
    )
    website = serializers.CharField(
        required=False, allow_blank=True, max_length=200, help_text=SHOP_FIELDS_HELP["website"]
    )
    siret = serializers.CharField(
        required=False, allow_blank=True, max_length=32, help_text=SHOP_FIELDS_HELP["siret"]
    )
    offers_click_collect = serializers.BooleanField(
        required=False, help_text=SHOP_FIELDS_HELP["offers_click_collect"]
    )
    offers_delivery = serializers.BooleanField(
        required=False, help_text=SHOP_FIELDS_HELP["offers_delivery"]
    )
    pickup_lead_minutes = serializers.IntegerField(
        required=False, help_text=SHOP_FIELDS_HELP["pickup_lead_minutes"]
    )
    pickup_slot_minutes = serializers.IntegerField(
        required=False, help_text=SHOP_FIELDS_HELP["pickup_slot_minutes"]
    )
    pickup_slot_capacity = serializers.IntegerField(
        required=False, help_text=SHOP_FIELDS_HELP["pickup_slot_capacity"]
    )
    hours = HoursSpanSerializer(
        many=True, required=False, max_length=14,
        help_text=fr_en(
            "Les horaires de la semaine, remplacés en entier : deux plages par jour au plus.",
            "The week's opening hours, replaced whole: two spans a day at most.",
        ),
    )  # fmt: skip
    stock_feed_url = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text=fr_en("Adresse du fichier de stock que Digitaix lit (vide : aucun).",
                        "Address of the stock file Digitaix reads (empty: none)."),
    )  # fmt: skip
    stock_feed_period = serializers.ChoiceField(
        choices=[15, 60, 1440], required=False,
        help_text=fr_en("Minutes entre deux lectures.", "Minutes between two reads."),
    )  # fmt: skip

    def validate(self, data):
        unknown = (
            set(self.initial_data) - set(self.fields)
            if isinstance(self.initial_data, dict)
            else set()
        )
        if unknown:
            raise ValidationError({name: [_("Champ inconnu.")] for name in sorted(unknown)})
        return data


class ShopView(_ShopApiView, generics.RetrieveAPIView):
    """The key's shop; PATCH changes its profile, options or week of hours."""

    serializer_class = ShopSerializer

    def get_object(self) -> Partner:
        return self.shop

    @extend_schema(request=ShopPatchSerializer, responses={200: ShopSerializer})
    def patch(self, request, *args, **kwargs):
        asked = ShopPatchSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = dict(asked.validated_data)
        hours = data.pop("hours", None)
        feed = {k: data.pop(k) for k in ("stock_feed_url", "stock_feed_period") if k in data}
        if feed:
            _feed_set(self.shop, feed)
        if data:
            _profile_update(self.shop, data)
        if hours is not None:
            _hours_set(self.shop, hours)
        shop = Partner.objects.get(pk=self.shop.pk)
        return Response(ShopSerializer(shop).data)


def _profile_update(shop: Partner, changes: dict) -> None:
    """The profile page's form over the shop's current values with `changes`, then the page's
    service (a reviewed shop's identity becomes a change for the town)."""
    from django.forms.models import model_to_dict

    from shops.dashboard.profile_forms import ShopProfileForm
    from shops.services import shop_profile_update

    names = [n for n in ShopProfileForm._meta.fields if n not in ("logo", "banner")]
    current = {k: ("" if v is None else v) for k, v in model_to_dict(shop, fields=names).items()}
    form = ShopProfileForm({**current, **changes}, instance=shop)
    if not form.is_valid():
        raise ValidationError(form.errors)
    try:
        shop_profile_update(shop=form.save(commit=False), fields=names, by=None)
    except DjangoValidationError as error:
        detail = error.message_dict if hasattr(error, "error_dict") else error.messages
        raise ValidationError(detail) from error


def _file_feed(shop: Partner):
    """The shop's stock file (not its WooCommerce connection, set in the space), or None."""
    feed = getattr(shop, "stock_feed", None)
    return feed if feed is not None and feed.kind == feed.Kind.FILE else None


def _feed_set(shop: Partner, changes: dict) -> None:
    from shops.services.feeds import stock_feed_set

    current = _file_feed(shop)
    if current is None and getattr(shop, "stock_feed", None):
        field = "stock_feed_url" if "stock_feed_url" in changes else "stock_feed_period"
        raise ValidationError({field: [_(
            "Le stock vient de WooCommerce (réglé dans votre espace « API et intégrations ») : "
            "déconnectez-le là avant de donner un fichier."
        )]})  # fmt: skip
    url = changes.get("stock_feed_url", current.url if current else "")
    try:
        feed = stock_feed_set(shop=shop, url=url, period=changes.get("stock_feed_period"))
    except DjangoValidationError as error:
        raise ValidationError(error.message_dict) from error
    if feed is not None and "stock_feed_url" in changes:  # a new file: read at once
        transaction.on_commit(lambda: handover(stock_feed_pull_task, kwargs={"feed_id": feed.pk}))


def _hours_set(shop: Partner, spans: list[dict]) -> None:
    from shops.services.hours import shop_week_hours_set

    week: dict[int, list] = {}
    for span in spans:
        week.setdefault(span["weekday"], []).append((span["opens"], span["closes"]))
    if any(len(day) > 2 for day in week.values()):
        raise ValidationError({"hours": [_("Deux plages par jour au plus.")]})
    try:
        shop_week_hours_set(shop=shop, week=week)
    except DjangoValidationError as error:
        raise ValidationError({"hours": error.messages}) from error


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter(
                "updated_since",
                type=OpenApiTypes.DATETIME,
                description=fr_en(
                    "Seulement les offres modifiées après ce moment (ISO 8601).",
                    "Only the offers changed after this moment (ISO 8601).",
                ),
            ),
            OpenApiParameter(
                "sku", type=str, description=fr_en("Une référence.", "A reference (SKU).")
            ),
            OpenApiParameter(
                "ean", type=str, description=fr_en("Un code-barres (EAN).", "A barcode (EAN).")
            ),
        ]
    )
)
class OfferListView(_ShopApiView, generics.ListAPIView):
    """The shop's offers, most recently changed first (cursor pages of 100); POST adds one."""

    serializer_class = OfferSerializer
    pagination_class = OfferCursor
    allowed_query = ("updated_since", "sku", "ean")

    @extend_schema(request=OfferCreateSerializer, responses={201: OfferSerializer})
    def post(self, request, *args, **kwargs):
        asked = OfferCreateSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            offer = _offer_create(self.shop, asked.validated_data)
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            if isinstance(detail, dict):
                detail = {("ean" if k == "upc" else k): v for k, v in detail.items()}
            raise ValidationError(detail) from error
        found = product_selectors.api_offers(shop=self.shop).get(pk=offer.pk)
        return Response(OfferSerializer(found).data, status=201)

    def get_queryset(self):
        filters = OfferFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return product_selectors.api_offers(shop=self.shop, **filters.validated_data)

    def list(self, request, *args, **kwargs):
        """Rows, not model instances: a page of 100 offers in a few milliseconds."""
        rows = self.get_queryset().values(*product_selectors.API_OFFER_VALUES)
        page = self.paginate_queryset(rows)
        serializer = self.get_serializer()
        return self.get_paginated_response([serializer.row(row) for row in page])


class OfferFilters(serializers.Serializer):
    updated_since = serializers.DateTimeField(required=False)
    sku = serializers.CharField(required=False, max_length=128)
    ean = serializers.CharField(required=False, max_length=64)

    def to_internal_value(self, data):
        """A filter given empty ("?updated_since=") is refused, not taken as absent."""
        blank = [name for name in self.fields if name in data and data.get(name) == ""]
        if blank:
            raise ValidationError({name: [_("Valeur vide.")] for name in blank})
        return super().to_internal_value(data)


@extend_schema(parameters=[path_parameter("id", int, "Identifiant de l'offre.", "The offer's id.")])
class OfferDetailView(_ShopApiView, generics.RetrieveUpdateAPIView):
    """One of the shop's offers; PATCH changes its price, stock or sale (all or nothing)."""

    serializer_class = OfferSerializer
    http_method_names = ["get", "patch", "head", "options"]

    def get_object(self) -> StockRecord:
        pk = self.kwargs["pk"]
        found = product_selectors.api_offers(shop=self.shop).filter(pk=pk).first()
        if found is None:
            raise NotFound(_("Aucune offre de votre boutique ne porte ce numéro."))
        return found

    def perform_update(self, serializer) -> None:
        offer, data = serializer.instance, serializer.validated_data
        change = OfferChange(
            price=data.get("price", offer.price),
            num_in_stock=data.get("num_in_stock", offer.num_in_stock or 0),
            is_on_sale=data.get("is_on_sale", offer.is_on_sale),
        )
        try:
            offers_stock_update(
                shop=self.shop, changes={offer.pk: change}, source=StockRecord.StockSource.API
            )
        except DjangoValidationError as error:
            raise ValidationError({"num_in_stock": error.messages}) from error
        except DjangoPermissionDenied as error:  # not the shop's offer (cannot happen here)
            raise NotFound() from error
        serializer.instance = self.get_object()


# --- Bulk stock: POST /api/v1/stock/ ----------------------------------------------------------


class StockLineSerializer(serializers.Serializer):
    sku = serializers.CharField(
        max_length=128,
        help_text=fr_en(
            "Référence d'une offre de la boutique.", "Reference (SKU) of one of the shop's offers."
        ),
    )
    num_in_stock = serializers.IntegerField(
        min_value=0,
        max_value=MAX_STOCK,
        help_text=fr_en("Nouveau stock en boutique.", "New stock in shop."),
    )
    price = serializers.DecimalField(
        max_digits=12, decimal_places=2, required=False, coerce_to_string=True,
        help_text=fr_en("Nouveau prix TTC (facultatif : inchangé sinon).",
                        "New price including VAT (optional: unchanged otherwise)."),
    )  # fmt: skip

    def validate_price(self, value: Decimal) -> Decimal:
        return OfferSerializer.validate_price(self, value)


class StockRequestSerializer(serializers.Serializer):
    lines = serializers.ListField(
        child=serializers.DictField(),
        allow_empty=False,
        max_length=MAX_LINES,
        help_text=fr_en(
            "Jusqu'à 5 000 lignes {sku, num_in_stock, price?}, appliquées toutes ou aucune.",
            "Up to 5,000 lines {sku, num_in_stock, price?}, applied all or none.",
        ),
    )


class StockLinesSerializer(StockRequestSerializer):
    """The schema's view of a request (each line's fields); lines are checked one by one."""

    lines = StockLineSerializer(
        many=True,
        allow_empty=False,
        max_length=MAX_LINES,
        help_text=StockRequestSerializer().fields["lines"].help_text,
    )


class StockResultSerializer(serializers.Serializer):
    lines = serializers.IntegerField(help_text=fr_en("Lignes reçues.", "Lines received."))
    updated = serializers.IntegerField(help_text=fr_en("Offres modifiées.", "Offers changed."))
    unchanged = serializers.IntegerField(
        help_text=fr_en("Offres déjà à ces valeurs.", "Offers already at these values.")
    )


def _request_hash(request) -> str:
    return hashlib.sha256(request.body).hexdigest()


class StockView(_ShopApiView):
    """Set many offers' stock (and price) at once, by SKU: all lines or none. With an
    `Idempotency-Key` header a retried request gets the first answer and changes nothing."""

    serializer_class = StockLinesSerializer

    @extend_schema(
        request=StockLinesSerializer,
        responses={200: StockResultSerializer},
        parameters=[
            OpenApiParameter(
                "Idempotency-Key",
                type=str,
                location=OpenApiParameter.HEADER,
                description=fr_en(
                    "Unique par requête : la rejouer ne change rien deux fois.",
                    "Unique per request: replaying it never changes anything twice.",
                ),
            )
        ],
    )
    def post(self, request, *args, **kwargs):
        key = request.headers.get("Idempotency-Key", "").strip()
        claim = None
        if key:
            if len(key) > 255:
                raise ValidationError({"Idempotency-Key": [_("255 caractères au plus.")]})
            try:
                claim = idempotent_request_claim(
                    shop=self.shop, key=key, request_hash=_request_hash(request)
                )
            except IdempotencyKeyReused as error:
                raise IdempotencyConflict() from error
            if claim.status is not None:
                return Response(
                    claim.body, status=claim.status, headers={"Idempotent-Replayed": "true"}
                )
        try:
            result = offers_stock_bulk_update(shop=self.shop, lines=_stock_lines(request.data))
        except StockLinesError as error:
            raise LinesRefused(error.errors) from error
        body = StockResultSerializer(result).data
        if claim is not None:
            idempotent_request_record(claim=claim, status=200, body=body)
        return Response(body)


class LinesRefused(ValidationError):
    """Lines refused, each `{"line": n, "sku": ..., "errors": {...}}`; `problem_errors` keeps
    the line numbers as numbers (DRF turns a ValidationError's details into text)."""

    def __init__(self, lines: list[dict]):
        super().__init__({"lines": lines})
        self.problem_errors = {"lines": lines}


class IdempotencyConflict(APIException):
    status_code = 422
    default_detail = _("Cette clé d'idempotence a déjà servi pour une autre requête.")
    default_code = "idempotency_key_reused"


def _stock_lines(data) -> list[StockLine]:
    """The request's lines, each checked on its own: every bad line reported with its number."""
    outer = StockRequestSerializer(data=data if isinstance(data, dict) else {"lines": data})
    outer.is_valid(raise_exception=True)
    lines, errors = [], []
    for number, raw in enumerate(outer.validated_data["lines"], start=1):
        line = StockLineSerializer(data=raw)
        if line.is_valid():
            lines.append(StockLine(**line.validated_data))
        else:
            errors.append({"line": number, "sku": raw.get("sku"), "errors": line.errors})
    if errors:
        raise LinesRefused(errors)
    return lines


# --- Keyless, read-only: GET /api/v1/public/shops/ --------------------------------------------


class PublicShopSerializer(serializers.ModelSerializer):
    website = serializers.CharField(read_only=True, help_text=SHOP_FIELDS_HELP["website"])
    url = serializers.SerializerMethodField(
        help_text=fr_en("La vitrine de la boutique.", "The shop's storefront page.")
    )
    product_count = serializers.IntegerField(
        help_text=fr_en("Produits en vente.", "Products on sale.")
    )

    class Meta:
        model = Partner
        fields = [
            "code", "name", "trade", "description", "address_line", "postcode", "city",
            "phone", "website", "offers_click_collect", "offers_delivery", "product_count",
            "url",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {name: {"help_text": text} for name, text in SHOP_FIELDS_HELP.items()}

    def get_url(self, shop) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("shops:storefront", kwargs={"slug": shop.code})
        )


@extend_schema_view(
    get=extend_schema(
        auth=[],
        parameters=[
            OpenApiParameter(
                "q",
                type=str,
                description=fr_en(
                    "Nom de la boutique (ou une partie).", "The shop's name (or part of it)."
                ),
            )
        ],
    )
)
class PublicShopListView(PublicListView):
    """The town's live shops, by name (no key; calls limited per address)."""

    serializer_class = PublicShopSerializer

    def search(self, query: str):
        return selectors.shops_directory(query=query)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        selectors.shops_product_counts_attach(page)  # the page's shops only, as the directory
        return page


# --- A new offer: POST /api/v1/offers/ --------------------------------------------------------


def _offer_create(shop: Partner, data: dict) -> StockRecord:
    """The page's rules: an existing product found by its EAN gets the shop's offer ("Je vends
    aussi ce produit"); otherwise the one product form, as the page checks it."""
    from shops.dashboard.product_forms import OfferFields, ProductForm, ean_valid
    from shops.services import shop_offer_add, shop_product_create

    ean = "".join(data.get("ean", "").split())
    offer_fields = {k: data[k] for k in ("price", "num_in_stock", "is_on_sale")}
    product = product_selectors.product_with_ean(ean=ean) if ean and ean_valid(ean) else None
    if product is not None:
        form = OfferFields(offer_fields)
        if not form.is_valid():
            raise ValidationError(form.errors)
        return shop_offer_add(
            shop=shop,
            by=None,
            product=product,
            change=form.offer_change(),
            source=StockRecord.StockSource.API,
        )
    fields = {
        **offer_fields,
        "upc": ean,
        "title": data.get("title", ""),
        "category": data.get("category") or "",
        "description": data.get("description", ""),
    }
    form = ProductForm(fields)
    if not form.is_valid():
        raise ValidationError({("ean" if k == "upc" else k): v for k, v in form.errors.items()})
    return shop_product_create(
        shop=shop,
        by=None,
        details=form.details(),
        offer=form.offer_change(),
        source=StockRecord.StockSource.API,
    )


# --- Webhooks: GET/POST /api/v1/webhooks/, DELETE /api/v1/webhooks/{id}/ ---------------------


class WebhookSerializer(serializers.ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=WebhookEndpoint.Event.values),
        help_text=fr_en(
            "Les événements envoyés à cette adresse.", "The events sent to this address."
        ),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["id", "url", "events", "is_active", "created_at"]
        read_only_fields = ["id", "is_active", "created_at"]
        extra_kwargs = {
            "id": {"help_text": fr_en("Identifiant du webhook.", "The webhook's id.")},
            "url": {
                "help_text": fr_en(
                    "L'adresse (https) qui reçoit les événements, signés.",
                    "The (https) address receiving the events, signed.",
                )
            },
            "is_active": {"help_text": fr_en("Actif.", "Active.")},
            "created_at": {"help_text": fr_en("Créé le.", "Created at.")},
        }


class WebhookCreatedSerializer(WebhookSerializer):
    secret = serializers.CharField(
        read_only=True,
        help_text=fr_en(
            "Le secret de signature : donné cette fois seulement.",
            "The signing secret: given this time only.",
        ),
    )

    class Meta(WebhookSerializer.Meta):
        fields = [*WebhookSerializer.Meta.fields, "secret"]
        read_only_fields = [*WebhookSerializer.Meta.read_only_fields, "secret"]


class WebhookListView(_ShopApiView, generics.ListAPIView):
    """The shop's webhook endpoints; POST adds one (its signing secret is in that answer only)."""

    serializer_class = WebhookSerializer
    pagination_class = None

    def get_queryset(self):
        return webhook_selectors.shop_webhook_endpoints(shop=self.shop)

    @extend_schema(request=WebhookSerializer, responses={201: WebhookCreatedSerializer})
    def post(self, request, *args, **kwargs):
        from shops.services.webhooks import webhook_endpoint_create

        asked = WebhookSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        try:
            endpoint = webhook_endpoint_create(
                shop=self.shop,
                url=asked.validated_data["url"],
                events=asked.validated_data["events"],
                by=None,
            )
        except DjangoValidationError as error:
            detail = error.message_dict if hasattr(error, "error_dict") else error.messages
            raise ValidationError(detail) from error
        return Response(WebhookCreatedSerializer(endpoint).data, status=201)


@extend_schema(
    parameters=[path_parameter("id", int, "Identifiant du webhook.", "The webhook's id.")]
)
class WebhookDetailView(_ShopApiView, generics.RetrieveDestroyAPIView):
    """One of the shop's endpoints; DELETE removes it (its pending deliveries with it)."""

    serializer_class = WebhookSerializer

    def get_object(self) -> WebhookEndpoint:
        found = (
            webhook_selectors.shop_webhook_endpoints(shop=self.shop)
            .filter(pk=self.kwargs["pk"])
            .first()
        )
        if found is None:
            raise NotFound(_("Aucun webhook de votre boutique ne porte ce numéro."))
        return found

    def perform_destroy(self, instance) -> None:
        from shops.services.webhooks import webhook_endpoint_delete

        webhook_endpoint_delete(endpoint=instance)
