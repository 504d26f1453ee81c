import oscar.apps.catalogue.apps as apps


class CatalogueConfig(apps.CatalogueConfig):
    name = "catalog"

    def ready(self):
        from catalog import receivers  # noqa: F401 - connects the search receivers

        super().ready()
