default_app_config = 'orders.apps.OrderConfig'
