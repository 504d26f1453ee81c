import oscar.apps.partner.apps as apps


class PartnerConfig(apps.PartnerConfig):
    name = "shops"

    def ready(self):
        super().ready()
        from shops import renditions  # noqa: F401 - connects its receiver
        from shops.messages import kinds_register

        kinds_register()  # how the shops' e-mails of the outbox render (messaging)
