"""The merchant's own screens, under /ma-boutique/: every URL names one of their shops."""

from django.urls import path, re_path

from shops.dashboard import api_keys, hours, product_views, profile, stock, team


def _moved(url_name: str):
    return stock.MovedView.as_view(url_name=url_name)


app_name = "merchant"

urlpatterns = [
    path("nouvelle/", profile.ShopCreateView.as_view(), name="shop-create"),
    path("<slug:slug>/profil/", profile.ShopProfileView.as_view(), name="profile"),
    path("<slug:slug>/horaires/", hours.ShopHoursView.as_view(), name="hours"),
    path("<slug:slug>/horaires/fermetures/", hours.ShopClosuresView.as_view(), name="closures"),
    path(
        "<slug:slug>/horaires/fermetures/<int:pk>/supprimer/",
        hours.ShopClosureRemoveView.as_view(),
        name="closure-remove",
    ),
    # Products: the list is the stock editor; one screen adds a product, the same form edits.
    path("<slug:slug>/produits/", stock.ProductsView.as_view(), name="products"),
    path(
        "<slug:slug>/produits/ajouter/", product_views.ProductAddView.as_view(), name="product-add"
    ),
    path(
        "<slug:slug>/produits/<int:pk>/modifier/",
        product_views.ProductEditView.as_view(),
        name="product-edit",
    ),
    path(
        "<slug:slug>/produits/categories.json",
        product_views.CategoriesView.as_view(),
        name="product-categories",
    ),
    path(
        "<slug:slug>/produits/vente/", stock.ProductsOnSaleView.as_view(), name="products-on-sale"
    ),
    path(
        "<slug:slug>/offres/<int:pk>/vente/", stock.OfferOnSaleView.as_view(), name="offer-on-sale"
    ),
    path("<slug:slug>/produits/import/", stock.CsvImportView.as_view(), name="csv-import"),
    path(
        "<slug:slug>/produits/import/<int:pk>/",
        stock.CsvImportDetailView.as_view(),
        name="csv-import-detail",
    ),
    path("<slug:slug>/produits/export.csv", stock.CsvExportView.as_view(), name="csv-export"),
    # Old paths of the stock editor and the CSV pages.
    path("<slug:slug>/stock/", _moved("merchant:products"), name="stock"),
    re_path(r"^(?P<slug>[-a-zA-Z0-9_]+)/import/(?P<rest>.*)$", _moved("merchant:csv-import")),
    path("<slug:slug>/export.csv", _moved("merchant:csv-export")),
    path("<slug:slug>/api/", api_keys.ShopApiKeysView.as_view(), name="api-keys"),
    path(
        "<slug:slug>/api/<str:prefix>/revoquer/",
        api_keys.ShopApiKeyRevokeView.as_view(),
        name="api-key-revoke",
    ),
    path("<slug:slug>/api/webhooks/", api_keys.WebhookCreateView.as_view(), name="api-webhook-add"),
    path(
        "<slug:slug>/api/webhooks/<int:pk>/supprimer/",
        api_keys.WebhookDeleteView.as_view(),
        name="api-webhook-remove",
    ),
    path(
        "<slug:slug>/api/webhooks/envois/<int:pk>/renvoyer/",
        api_keys.WebhookResendView.as_view(),
        name="api-webhook-resend",
    ),
    path("<slug:slug>/api/flux/", api_keys.FeedSetView.as_view(), name="api-feed-set"),
    path("<slug:slug>/api/flux/lire/", api_keys.FeedPullView.as_view(), name="api-feed-pull"),
    path("<slug:slug>/api/woocommerce/", api_keys.WooSetView.as_view(), name="api-woo-set"),
    path(
        "<slug:slug>/api/woocommerce/retirer/",
        api_keys.WooRemoveView.as_view(),
        name="api-woo-remove",
    ),
    path("<slug:slug>/equipe/", team.ShopTeamView.as_view(), name="team"),
    path(
        "<slug:slug>/equipe/<int:pk>/retirer/",
        team.TeamMemberRemoveView.as_view(),
        name="team-remove",
    ),
    path("<slug:slug>/equipe/<int:pk>/role/", team.TeamMemberRoleView.as_view(), name="team-role"),
    path(
        "<slug:slug>/equipe/invitations/<int:pk>/renvoyer/",
        team.TeamInvitationRenewView.as_view(),
        name="team-invitation-renew",
    ),
    path(
        "<slug:slug>/equipe/invitations/<int:pk>/annuler/",
        team.TeamInvitationCancelView.as_view(),
        name="team-invitation-cancel",
    ),
]
