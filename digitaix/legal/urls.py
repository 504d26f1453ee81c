from django.urls import path

from digitaix.legal import views
from digitaix.legal.pages import PAGES

app_name = "legal"

urlpatterns = [
    *(
        path(page.url.lstrip("/"), views.LegalPageView.as_view(key=page.key), name=page.key)
        for page in PAGES
    ),
    path("contact/", views.ContactView.as_view(), name="contact"),
    path("gestion/pages/", views.StaffLegalPagesView.as_view(), name="staff-pages"),
    path("gestion/pages/<slug:key>/", views.StaffLegalPageEditView.as_view(), name="staff-page"),
]
