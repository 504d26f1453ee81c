"""The merchant's own screens, under /dashboard/boutique/: every URL names one of their shops."""

from django.urls import path

from shops.dashboard import hours, profile, stock, team

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
    path("<slug:slug>/stock/", stock.StockEditorView.as_view(), name="stock"),
    path(
        "<slug:slug>/offres/<int:pk>/vente/", stock.OfferOnSaleView.as_view(), name="offer-on-sale"
    ),
    path("<slug:slug>/import/", stock.CsvImportView.as_view(), name="csv-import"),
    path(
        "<slug:slug>/import/<int:pk>/",
        stock.CsvImportDetailView.as_view(),
        name="csv-import-detail",
    ),
    path("<slug:slug>/export.csv", stock.CsvExportView.as_view(), name="csv-export"),
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
