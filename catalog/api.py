"""The catalogue's part of the public REST API: `GET /api/v1/public/products/`, keyless and
read-only (for the tourist office or the town's own site): products on sale in live shops,
searched with the portal's own French search (`q=`), each with its offers."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, serializers
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny

from catalog.api_text import fr_en
from catalog.selectors import products_for_cards, products_search


class PublicProductOfferSerializer(serializers.Serializer):
    shop = serializers.CharField(
        source="partner.name",
        help_text=fr_en("La boutique qui le vend.", "The shop selling it."),
    )
    shop_code = serializers.CharField(
        source="partner.code",
        help_text=fr_en(
            "Le code de la boutique (celui de /api/v1/public/shops/).",
            "The shop's code (as in /api/v1/public/shops/).",
        ),
    )
    price = serializers.DecimalField(
        max_digits=12,
        decimal_places=2,
        help_text=fr_en("Prix TTC en euros.", "Price including VAT, in euros."),
    )


class PublicProductSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        help_text=fr_en("Identifiant du produit.", "The product's identifier.")
    )
    title = serializers.CharField(help_text=fr_en("Nom du produit.", "The product's name."))
    ean = serializers.CharField(
        source="upc",
        allow_null=True,
        help_text=fr_en("Code-barres (EAN), s'il en a un.", "Barcode (EAN), if it has one."),
    )
    url = serializers.SerializerMethodField(
        help_text=fr_en("La fiche du produit sur le portail.", "The product's page on the portal.")
    )
    offers = PublicProductOfferSerializer(
        source="stockrecords.all",
        many=True,
        help_text=fr_en(
            "Les boutiques qui le vendent, avec leur prix.",
            "The shops selling it, with their price.",
        ),
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
    is a 400, not silently the default (what the schema promises). Shared by every list, so
    it also describes, in French and English, the pages' parameters and envelope."""

    page_query_description = fr_en(
        "Le numéro de la page, à partir de 1.", "The page's number, starting from 1."
    )
    cursor_query_description = fr_en(
        "Le curseur de la page suivante ou précédente (lu dans « next » ou « previous »).",
        "The cursor of the next or previous page (read from `next` or `previous`).",
    )
    envelope_descriptions = {
        "count": fr_en("Le nombre total de résultats.", "The total number of results."),
        "next": fr_en(
            "L'adresse de la page suivante (null sur la dernière).",
            "The next page's address (null on the last one).",
        ),
        "previous": fr_en(
            "L'adresse de la page précédente (null sur la première).",
            "The previous page's address (null on the first one).",
        ),
        "results": fr_en("Les résultats de cette page.", "This page's results."),
    }

    @property
    def page_size_query_description(self) -> str:
        return fr_en(
            f"Résultats par page, de 1 à {self.max_page_size} ({self.page_size} par défaut).",
            f"Results per page, from 1 to {self.max_page_size} ({self.page_size} by default).",
        )

    def get_paginated_response_schema(self, schema):
        envelope = super().get_paginated_response_schema(schema)
        for name, field in envelope.get("properties", {}).items():
            if name in self.envelope_descriptions:
                field["description"] = self.envelope_descriptions[name]
        return envelope

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


class PublicListView(StrictQuery, generics.ListAPIView):
    """A keyless, read-only list (calls limited per address), searched by `q=`: subclasses
    give their serializer and `search(query)`."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_scope = "api_public"
    allowed_query = ("q",)
    pagination_class = PublicPage

    def get_queryset(self):
        query = PublicQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        return self.search(query.validated_data.get("q", ""))

    def search(self, query: str):
        raise NotImplementedError


def path_parameter(name: str, kind: type, fr: str, en: str) -> OpenApiParameter:
    """A path parameter of an operation ({id}, {number}), described in French and English."""
    return OpenApiParameter(
        name, type=kind, location=OpenApiParameter.PATH, description=fr_en(fr, en)
    )


@extend_schema_view(
    get=extend_schema(
        auth=[],
        parameters=[
            OpenApiParameter(
                "q",
                type=str,
                description=fr_en(
                    "Recherche en français, comme celle du site.",
                    "Search in French, as on the site.",
                ),
            )
        ],
    )
)
class PublicProductListView(PublicListView):
    """Products on sale in the town's live shops (no key; calls limited per address)."""

    serializer_class = PublicProductSerializer

    def search(self, query: str):
        return products_for_cards(products_search(query=query))
