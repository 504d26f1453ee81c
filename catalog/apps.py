import oscar.apps.catalogue.apps as apps
from django.db.models.signals import post_migrate


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        from catalog import receivers  # noqa: F401 - connects the search receivers
        from catalog.pagecache import connect_receivers
        from catalog.site import site_sync

        super().ready()
        post_migrate.connect(site_sync, sender=self, dispatch_uid="digitaix-site-sync")
        connect_receivers()
