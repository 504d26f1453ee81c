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

from catalog.api import StrictPageSize, StrictQuery
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
    sku = serializers.CharField(source="partner_sku", help_text=_("Référence de l'offre."))
    title = serializers.CharField(help_text=_("Produit."))
    quantity = serializers.IntegerField(help_text=_("Quantité."))
    unit_price = serializers.DecimalField(
        source="unit_price_incl_tax", max_digits=12, decimal_places=2, allow_null=True,
        help_text=_("Prix unitaire TTC."),
    )  # fmt: skip
    total = serializers.DecimalField(
        source="line_price_incl_tax", max_digits=12, decimal_places=2, help_text=_("Total TTC.")
    )


class ShopOrderSerializer(serializers.ModelSerializer):
    """One shop's part of an order: what its space shows (a click & collect order never
    carries an address)."""

    status_label = serializers.CharField(source="get_status_display", help_text=_("En clair."))
    customer = serializers.SerializerMethodField(help_text=_("Nom du client."))
    email = serializers.EmailField(source="order.email", help_text=_("E-mail du client."))
    delivery_address = serializers.SerializerMethodField(
        help_text=_("Adresse de livraison (livraison seulement).")
    )
    order_number = serializers.CharField(source="order.number", help_text=_("Commande du client."))
    actions = serializers.SerializerMethodField(help_text=_("Actions possibles maintenant."))

    class Meta:
        model = ShopOrder
        fields = [
            "number", "order_number", "status", "status_label", "status_reason", "fulfilment",
            "customer", "email", "delivery_address", "slot_start", "slot_end", "lines_total",
            "shipping_total", "total", "is_paid", "created_at", "updated_at", "actions",
        ]  # fmt: skip
        read_only_fields = fields

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
    lines = serializers.SerializerMethodField(help_text=_("Les lignes de cette boutique."))

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
                             description=_("Un statut.")),
            OpenApiParameter("updated_since", type=OpenApiTypes.DATETIME,
                             description=_("Seulement celles modifiées après ce moment.")),
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


class ShopOrderDetailView(_ShopOrdersApiView, generics.RetrieveAPIView):
    """One of the shop's orders, with its lines."""

    serializer_class = ShopOrderDetailSerializer


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(
        choices=list(ACTION_LABELS),
        help_text=_("L'action : accepted, refused, ready, collected, collected_paid, cancelled…"),
    )
    reason = serializers.CharField(
        required=False, allow_blank=True, max_length=500,
        help_text=_("Motif, lu par le client (obligatoire pour refuser ou annuler)."),
    )  # fmt: skip
    expected_status = serializers.ChoiceField(
        choices=ShopOrder.Status.choices, required=False,
        help_text=_("Le statut que vous avez vu : refus si elle a changé entre-temps."),
    )  # fmt: skip


class ShopOrderTransitionView(_ShopOrdersApiView):
    """Move one of the shop's orders along, as its space does (same checks, same e-mails)."""

    serializer_class = TransitionSerializer

    @extend_schema(request=TransitionSerializer, responses={200: ShopOrderDetailSerializer})
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
            )
        except DjangoValidationError as error:
            raise ValidationError({"non_field_errors": error.messages}) from error
        return Response(ShopOrderDetailSerializer(self.get_object()).data)
