default_app_config = 'catalog.apps.CatalogueConfig'
