"""A resident deletes their account: their orders stay for the shops' accounts, anonymised."""

from django.contrib.auth.models import User
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from oscar.core.loading import get_model

from delivery.models import Courier
from digitaix.privacy.selectors import customer_orders_in_progress
from shops.access import is_commerce_staff, is_merchant, is_superuser

Order = get_model("order", "Order")
ShippingAddress = get_model("order", "ShippingAddress")
BillingAddress = get_model("order", "BillingAddress")

#: The name an anonymised order's address carries, where the resident's was.
ANONYMOUS = "Client ayant supprimé son compte"


class AccountNotDeletable(Exception):
    """The account cannot delete itself now; `str(error)` says why, in French."""


def customer_account_deletable(*, user: User) -> str:
    """Why `user` may not delete their account themselves now ("" when they may)."""
    if is_superuser(user) or is_commerce_staff(user) or is_merchant(user):
        return _(
            "Ce compte gère une boutique ou le portail : écrivez à la mairie pour le fermer, "
            "afin que la boutique ou le service ne reste pas sans responsable."
        )
    if Courier.objects.filter(user=user).exists():
        return _("Ce compte est celui d'un livreur : écrivez à la mairie pour le fermer.")
    numbers = customer_orders_in_progress(user=user)
    if numbers:
        return ngettext(
            "Votre commande %(numbers)s est en cours : vous pourrez supprimer votre compte "
            "une fois qu'elle sera retirée, livrée ou annulée.",
            "Vos commandes %(numbers)s sont en cours : vous pourrez supprimer votre compte "
            "une fois qu'elles seront retirées, livrées ou annulées.",
            len(numbers),
        ) % {"numbers": ", ".join(numbers)}
    return ""


@transaction.atomic
def customer_account_delete(*, user: User) -> int:
    """Delete the resident's account and anonymise their orders; returns how many orders.

    Each order keeps its lines, amounts, shops and statuses (the shops' accounts need them)
    and its address's postcode, city and country (delivery figures); the name, street, phone,
    delivery instructions and e-mail are erased. Their saved addresses, baskets, reviews,
    notifications and browser subscriptions go with the account. Raises AccountNotDeletable.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    reason = customer_account_deletable(user=user)
    if reason:
        raise AccountNotDeletable(reason)
    orders = Order.objects.filter(user=user)
    erased = {"title": "", "first_name": "", "last_name": ANONYMOUS, "line1": "", "line2": "",
              "line3": "", "state": "", "search_text": ""}  # fmt: skip
    ShippingAddress.objects.filter(pk__in=orders.values("shipping_address_id")).update(
        **erased, phone_number="", notes=""
    )
    BillingAddress.objects.filter(pk__in=orders.values("billing_address_id")).update(**erased)
    count = orders.update(user=None, guest_email="")
    user.delete()
    return count
