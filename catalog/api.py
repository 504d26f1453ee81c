"""The catalogue's part of the public REST API: `GET /api/v1/public/products/`, keyless and
read-only (for the tourist office or the town's own site): products on sale in live shops,
searched with the portal's own French search (`q=`), each with its offers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from catalog.selectors import products_for_cards, products_search


class PublicProductOfferSerializer(serializers.Serializer):
    shop = serializers.CharField(source="partner.name", help_text=_("La boutique."))
    shop_code = serializers.CharField(source="partner.code", help_text=_("Son code."))
    price = serializers.DecimalField(max_digits=12, decimal_places=2, help_text=_("Prix TTC."))


class PublicProductSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    ean = serializers.CharField(source="upc", allow_null=True)
    url = serializers.SerializerMethodField(help_text=_("La fiche du produit."))
    offers = PublicProductOfferSerializer(
        source="stockrecords.all", many=True, help_text=_("Les boutiques qui le vendent.")
    )

    def get_url(self, product) -> str:
        return self.context["request"].build_absolute_uri(product.get_absolute_url())


class StrictQuery:
    """An API view whose query string may hold only the parameters it documents
    (`allowed_query`) and its pagination's: a misspelt filter is a 400, not ignored."""

    allowed_query: tuple[str, ...] = ()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        allowed = set(self.allowed_query)
        paginator = getattr(self, "pagination_class", None)
        if paginator is not None:
            allowed |= {
                getattr(paginator, name, None)
                for name in ("page_query_param", "page_size_query_param", "cursor_query_param")
            }
        unknown = sorted(set(request.query_params) - allowed)
        if unknown:
            raise ValidationError({name: [_("Paramètre inconnu.")] for name in unknown})


class StrictPageSize:
    """A pagination's `page_size` must be a whole number from 1 to its maximum: anything else
    is a 400, not silently the default (what the schema promises). Shared by every list."""

    def get_page_size(self, request):
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        if not raw.isdigit() or not 1 <= int(raw) <= self.max_page_size:
            raise ValidationError(
                {self.page_size_query_param: [
                    _("Un nombre entier de 1 à %(max)s.") % {"max": self.max_page_size}
                ]}
            )  # fmt: skip
        return int(raw)


class PublicPage(StrictPageSize, PageNumberPagination):
    page_size = 50
    max_page_size = 100
    page_size_query_param = "page_size"


class PublicQuery(serializers.Serializer):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200)


@extend_schema_view(
    get=extend_schema(
        auth=[],
        parameters=[OpenApiParameter("q", type=str, description=_("Recherche en français."))],
    )
)
class PublicProductListView(StrictQuery, generics.ListAPIView):
    """Products on sale in the town's live shops (no key; calls limited per address)."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "api_public"
    allowed_query = ("q",)
    serializer_class = PublicProductSerializer
    pagination_class = PublicPage

    def get_queryset(self):
        query = PublicQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return products_for_cards(products_search(query=query.validated_data.get("q", "")))
