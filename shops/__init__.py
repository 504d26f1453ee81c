default_app_config = 'shops.apps.PartnerConfig'
