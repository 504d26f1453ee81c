from django.db import models
from django.utils.translation import gettext_lazy as _
from oscar.apps.partner.abstract_models import AbstractPartner


class Partner(AbstractPartner):
    """A shop of the town: Oscar's partner plus what residents need to know about it.

    The full profile (status, hours, logo, SIRET, fulfilment options) comes with the shops
    issue; the foundation only needs a trade and a description for the demo town.
    """

    class Trade(models.TextChoices):
        BOULANGERIE = "boulangerie", _("Boulangerie-pâtisserie")
        BOUCHERIE = "boucherie", _("Boucherie-charcuterie")
        FROMAGERIE = "fromagerie", _("Fromagerie")
        PRIMEUR = "primeur", _("Primeur")
        EPICERIE = "epicerie", _("Épicerie fine")
        CAVISTE = "caviste", _("Caviste")
        LIBRAIRIE = "librairie", _("Librairie")
        FLEURISTE = "fleuriste", _("Fleuriste")
        PRET_A_PORTER = "pret-a-porter", _("Prêt-à-porter")
        CHAUSSURES = "chaussures", _("Chaussures")
        QUINCAILLERIE = "quincaillerie", _("Quincaillerie")
        JOUETS = "jouets", _("Jouets")
        BIJOUTERIE = "bijouterie", _("Bijouterie")
        DROGUERIE = "droguerie", _("Droguerie")
        AUTRE = "autre", _("Autre commerce")

    trade = models.CharField(_("Métier"), max_length=32, choices=Trade.choices, default=Trade.AUTRE)
    description = models.TextField(_("Présentation"), blank=True)

    class Meta(AbstractPartner.Meta):
        verbose_name = _("Boutique")
        verbose_name_plural = _("Boutiques")


from oscar.apps.partner.models import *  # noqa: E402,F403 - Oscar's fork pattern
