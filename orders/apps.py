import oscar.apps.order.apps as apps


class OrderConfig(apps.OrderConfig):
    name = "orders"

    def ready(self):
        super().ready()
        from orders.outbox import kinds_register

        kinds_register()  # how the order e-mails of the outbox render (messaging)
