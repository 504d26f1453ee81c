"""The town's console page (/dashboard/portail/) and its per-shop CSV export.

Commerce staff only. The page reads every figure from `digitaix.console.selectors` in a
fixed number of queries, and draws its charts on the server (`charts`).
"""

import datetime
from decimal import Decimal

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from digitaix.console import charts, selectors
from shops.access import CommerceStaffRequiredMixin
from shops.catalogue_io.export import csv_lines
from shops.selectors import STOCK_STALE_DAYS, shops_stock_stale

PAGE_SIZE = 50

COLUMNS = [
    ("name", gettext_lazy("Boutique")),
    ("status", gettext_lazy("Statut")),
    ("products", gettext_lazy("Produits en ligne")),
    ("orders", gettext_lazy("Commandes (30 jours)")),
    ("sales", gettext_lazy("Ventes (30 jours)")),
    ("last_order", gettext_lazy("Dernière commande")),
]


def euros(value: Decimal | int) -> str:
    """1234.5 -> "1 234,50 €" (narrow no-break spaces, as French typography wants)."""
    text = f"{Decimal(value):,.2f}".replace(",", "\u202f").replace(".", ",")
    return f"{text}\u00a0€"


def _plain(value) -> str:
    return f"{value:,.0f}".replace(",", "\u202f")


class ConsoleView(CommerceStaffRequiredMixin, TemplateView):
    """The portal's figures, charts and per-shop table; `?format=csv` exports the table."""

    template_name = "digitaix/dashboard/console/index.html"

    def get(self, request, *args, **kwargs):
        self.now = timezone.now()
        self.sort = selectors.Sort.parse(
            key=request.GET.get("sort"), direction=request.GET.get("dir")
        )
        if request.GET.get("format") == "csv":
            return self.csv_response()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        page = Paginator(selectors.console_shops(sort=self.sort, now=self.now), PAGE_SIZE)
        ctx.update(
            headline=selectors.console_headline(now=self.now),
            delivery=selectors.console_delivery(now=self.now),
            stale=dict(zip(("count", "shops"), shops_stock_stale(now=self.now), strict=True)),
            stale_days=STOCK_STALE_DAYS,
            charts=self.chart_list(),
            page_obj=page.get_page(self.request.GET.get("page")),
            columns=self.column_headers(),
            csv_query=urlencode(
                {"sort": self.sort.key, "dir": self.sort.direction, "format": "csv"}
            ),
        )
        return ctx

    def chart_list(self) -> list[charts.Chart]:
        weeks = selectors.console_weekly(now=self.now)
        snapshots = selectors.console_snapshots(now=self.now)
        return [
            charts.line_chart(
                title=_("Produits en ligne, relevé quotidien (90 jours)"),
                points=[(f"{s['day']:%d/%m}", s["products_online"]) for s in snapshots],
                fmt=_plain,
            ),
            charts.bar_chart(
                title=_("Commandes par semaine (12 semaines)"),
                points=[(_week(w["week"]), w["orders"]) for w in weeks],
                fmt=_plain,
            ),
            charts.bar_chart(
                title=_("Ventes par semaine (12 semaines)"),
                points=[(_week(w["week"]), w["sales"]) for w in weeks],
                fmt=euros,
            ),
        ]

    def column_headers(self) -> list[dict]:
        """Each column's sort link: the other direction when it is the current sort."""
        headers = []
        for key, label in COLUMNS:
            active = key == self.sort.key
            if active:
                direction = "desc" if self.sort.direction == "asc" else "asc"
            else:
                direction = selectors.SORTS[key]
            headers.append(
                {
                    "label": label,
                    "href": "?" + urlencode({"sort": key, "dir": direction}),
                    "aria_sort": (
                        ("ascending" if self.sort.direction == "asc" else "descending")
                        if active
                        else ""
                    ),
                }
            )
        return headers

    def csv_response(self) -> StreamingHttpResponse:
        """The whole sorted table (not one page), in the catalogue export's CSV dialect."""
        shops = selectors.console_shops(sort=self.sort, now=self.now)
        response = StreamingHttpResponse(
            csv_lines(_csv_rows(shops)), content_type="text/csv; charset=utf-8"
        )
        day = timezone.localdate(self.now)
        response["Content-Disposition"] = f'attachment; filename="portail-boutiques-{day}.csv"'
        return response


def _week(monday: datetime.date) -> str:
    return f"{monday:%d/%m}"


def _csv_rows(shops):
    yield [str(label) for _key, label in COLUMNS[:4]] + [
        _("Ventes (30 jours, €)"),
        _("Dernière commande"),
    ]
    for shop in shops:
        last = timezone.localtime(shop.last_order_at) if shop.last_order_at else None
        yield [
            shop.name,
            shop.status_label,
            shop.products_online,
            shop.orders_recent,
            f"{shop.sales_recent:.2f}".replace(".", ","),
            f"{last:%d/%m/%Y %H:%M}" if last else "",
        ]
