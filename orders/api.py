"""The shop orders' part of the public REST API (/api/v1/shop-orders/, wired in
digitaix/api.py): the key's shop's parts of residents' orders, with only its own lines and
totals, as its space shows them, and the same actions through the same services and checks
(so the resident gets the same e-mails). Another shop's number answers 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import generics, serializers
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.response import Response

from catalog.api import StrictPageSize, StrictQuery, path_parameter
from catalog.api_text import fr_en
from orders import selectors, services
from orders.merchant.forms import ACTION_LABELS, ShopOrderActionForm, actions_for
from orders.models import ShopOrder


def _customer_name(order) -> str:
    """As the shop's page shows it: a name, never an address."""
    address, user = order.shipping_address, order.user
    if address is not None and address.name:
        return address.name
    if user is not None:
        return user.get_full_name() or user.email
    return order.email


class ShopOrderLineSerializer(serializers.Serializer):
    sku = serializers.CharField(
        source="partner_sku",
        help_text=fr_en("Référence de l'offre.", "The offer's reference (SKU)."),
    )
    title = serializers.CharField(help_text=fr_en("Produit.", "Product."))
    quantity = serializers.IntegerField(help_text=fr_en("Quantité.", "Quantity."))
    unit_price = serializers.DecimalField(
        source="unit_price_incl_tax", max_digits=12, decimal_places=2, allow_null=True,
        help_text=fr_en("Prix unitaire TTC.", "Unit price including VAT."),
    )  # fmt: skip
    total = serializers.DecimalField(
        source="line_price_incl_tax", max_digits=12, decimal_places=2,
        help_text=fr_en("Total TTC.", "Total including VAT."),
    )  # fmt: skip


class ShopOrderSerializer(serializers.ModelSerializer):
    """One shop's part of an order: what its space shows (a click & collect order never
    carries an address)."""

    status_label = serializers.CharField(
        source="get_status_display",
        help_text=fr_en("Le statut en clair, en français.", "The status in words, in French."),
    )
    customer = serializers.SerializerMethodField(
        help_text=fr_en("Nom du client.", "The customer's name.")
    )
    email = serializers.EmailField(
        source="order.email", help_text=fr_en("E-mail du client.", "The customer's e-mail.")
    )
    delivery_address = serializers.SerializerMethodField(
        help_text=fr_en(
            "Adresse de livraison (livraison seulement).", "Delivery address (delivery only)."
        )
    )
    order_number = serializers.CharField(
        source="order.number",
        help_text=fr_en(
            "Commande du client (qui peut compter d'autres boutiques).",
            "The customer's order (which may include other shops).",
        ),
    )
    actions = serializers.SerializerMethodField(
        help_text=fr_en(
            "Actions possibles maintenant (valeurs de « to » pour /transition/).",
            "Actions possible now (values of `to` for /transition/).",
        )
    )

    class Meta:
        model = ShopOrder
        fields = [
            "number", "order_number", "status", "status_label", "status_reason", "fulfilment",
            "customer", "email", "delivery_address", "slot_start", "slot_end", "lines_total",
            "shipping_total", "total", "is_paid", "created_at", "updated_at", "actions",
        ]  # fmt: skip
        read_only_fields = fields
        extra_kwargs = {
            "number": {
                "help_text": fr_en(
                    "Numéro de la part de la boutique dans la commande.",
                    "Number of the shop's part of the order.",
                )
            },
            "status": {"help_text": fr_en("Le statut.", "The status.")},
            "status_reason": {
                "help_text": fr_en(
                    "Motif du dernier statut (un refus, une annulation), lu par le client.",
                    "Reason for the last status (a refusal, a cancellation), read by the customer.",
                )
            },
            "fulfilment": {
                "help_text": fr_en(
                    "Retrait en boutique ou livraison à domicile.",
                    "Click & collect or home delivery.",
                )
            },
            "slot_start": {
                "help_text": fr_en("Début du créneau choisi.", "Start of the chosen time slot.")
            },
            "slot_end": {
                "help_text": fr_en("Fin du créneau choisi.", "End of the chosen time slot.")
            },
            "lines_total": {
                "help_text": fr_en(
                    "Total des articles TTC, en euros.", "Items' total including VAT, in euros."
                )
            },
            "shipping_total": {
                "help_text": fr_en(
                    "Frais de livraison TTC, en euros.", "Delivery fee including VAT, in euros."
                )
            },
            "total": {"help_text": fr_en("Total TTC, en euros.", "Total including VAT, in euros.")},
            "is_paid": {"help_text": fr_en("Payée.", "Paid.")},
            "created_at": {"help_text": fr_en("Passée le.", "Placed at.")},
            "updated_at": {"help_text": fr_en("Dernière modification.", "Last change.")},
        }

    def get_customer(self, shop_order) -> str:
        return _customer_name(shop_order.order)

    def get_delivery_address(self, shop_order) -> str | None:
        address = shop_order.order.shipping_address
        if shop_order.fulfilment != ShopOrder.Fulfilment.DELIVERY or address is None:
            return None
        return address.summary

    def get_actions(self, shop_order) -> list[str]:
        return actions_for(shop_order)


class ShopOrderDetailSerializer(ShopOrderSerializer):
    lines = serializers.SerializerMethodField(
        help_text=fr_en("Les lignes de cette boutique.", "This shop's lines.")
    )

    class Meta(ShopOrderSerializer.Meta):
        fields = [*ShopOrderSerializer.Meta.fields, "lines"]
        read_only_fields = fields

    @extend_schema_field(ShopOrderLineSerializer(many=True))
    def get_lines(self, shop_order) -> list[dict]:
        lines = selectors.shop_order_lines(shop_order=shop_order)
        return ShopOrderLineSerializer(lines, many=True).data


class ShopOrderCursor(StrictPageSize, CursorPagination):
    page_size = 50
    max_page_size = 200
    page_size_query_param = "page_size"
    ordering = ("-created_at", "-pk")


# The {number} of /api/v1/shop-orders/{number}/..., described once for its operations.
NUMBER_PARAMETER = path_parameter(
    "number",
    str,
    "Le numéro de la commande de la boutique (son « number »).",
    "The shop order's number (its `number`).",
)


class _ShopOrdersApiView(StrictQuery, generics.GenericAPIView):
    @property
    def shop(self):
        return self.request.auth.shop

    def get_object(self) -> ShopOrder:
        found = (
            selectors.shop_orders_of_shop(shop=self.shop)
            .filter(number=self.kwargs["number"])
            .first()
        )
        if found is None:
            raise NotFound(_("Aucune commande de votre boutique ne porte ce numéro."))
        return found


class ShopOrderFilters(serializers.Serializer):
    status = serializers.ChoiceField(choices=ShopOrder.Status.choices, required=False)
    updated_since = serializers.DateTimeField(required=False)

    def to_internal_value(self, data):
        """A filter given empty ("?updated_since=") is refused, not taken as absent."""
        blank = [name for name in self.fields if name in data and data.get(name) == ""]
        if blank:
            raise ValidationError({name: [_("Valeur vide.")] for name in blank})
        return super().to_internal_value(data)


@extend_schema_view(
    get=extend_schema(
        parameters=[
            OpenApiParameter("status", type=str, enum=ShopOrder.Status.values,
                             description=fr_en("Un statut.", "A status.")),
            OpenApiParameter("updated_since", type=OpenApiTypes.DATETIME,
                             description=fr_en("Seulement celles modifiées après ce moment.",
                                               "Only those changed after this moment.")),
        ]
    )
)  # fmt: skip
class ShopOrderListView(_ShopOrdersApiView, generics.ListAPIView):
    """The shop's orders, newest first (cursor pages of 50)."""

    serializer_class = ShopOrderSerializer
    pagination_class = ShopOrderCursor
    allowed_query = ("status", "updated_since")

    def get_queryset(self):
        filters = ShopOrderFilters(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        shop_orders = selectors.shop_orders_of_shop(shop=self.shop)
        if "status" in filters.validated_data:
            shop_orders = shop_orders.filter(status=filters.validated_data["status"])
        if "updated_since" in filters.validated_data:
            shop_orders = shop_orders.filter(updated_at__gt=filters.validated_data["updated_since"])
        return shop_orders


@extend_schema(parameters=[NUMBER_PARAMETER])
class ShopOrderDetailView(_ShopOrdersApiView, generics.RetrieveAPIView):
    """One of the shop's orders, with its lines."""

    serializer_class = ShopOrderDetailSerializer


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=list(ACTION_LABELS),
        help_text=fr_en(
            "L'action : accepted, refused, ready, collected, collected_paid, cancelled…",
            "The action: accepted, refused, ready, collected, collected_paid, cancelled…",
        ),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text=fr_en(
            "Motif, lu par le client (obligatoire pour refuser ou annuler).",
            "Reason, read by the customer (required to refuse or cancel).",
        ),
    )  # fmt: skip
    expected_status = serializers.ChoiceField(
        choices=ShopOrder.Status.choices, required=False,
        help_text=fr_en(
            "Le statut que vous avez vu : refus si elle a changé entre-temps.",
            "The status you saw: refused if the order has changed since.",
        ),
    )  # fmt: skip


class ShopOrderTransitionView(_ShopOrdersApiView):
    """Move one of the shop's orders along, as its space does (same checks, same e-mails)."""

    serializer_class = TransitionSerializer

    @extend_schema(
        request=TransitionSerializer,
        responses={200: ShopOrderDetailSerializer},
        parameters=[NUMBER_PARAMETER],
    )
    def post(self, request, *args, **kwargs):
        shop_order = self.get_object()
        asked = TransitionSerializer(data=request.data)
        asked.is_valid(raise_exception=True)
        data = asked.validated_data
        form = ShopOrderActionForm(
            {
                "action": data["to"],
                "seen": data.get("expected_status", shop_order.status),
                "reason": data.get("reason", ""),
            },
            shop_order=shop_order,
        )
        if not form.is_valid():
            names = {"action": "to", "seen": "expected_status", "__all__": "non_field_errors"}
            raise ValidationError({names.get(k, k): v for k, v in form.errors.items()})
        try:
            services.shop_order_act(
                shop_order=shop_order,
                action=data["to"],
                reason=form.cleaned_data["reason"],
                expected_status=form.cleaned_data["seen"],
                via=_("API (clé « %(name)s »)") % {"name": request.auth.name},
            )
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
        return Response(ShopOrderDetailSerializer(self.get_object()).data)
