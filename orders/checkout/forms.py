"""The checkout's forms: how each shop's part reaches the resident, and how they pay."""

import re

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from oscar.apps.checkout import forms as oscar_forms

from catalog.fields import EmailField
from orders.checkout.plan import ShopPart, SlotsOffered, slot_key
from orders.models import ShopOrder

Fulfilment = ShopOrder.Fulfilment
SHOP_FIELD = re.compile(r"^shop-(\d+)-")
SLOT_GONE = _("Ce créneau n'est plus proposé : choisissez-en un autre.")
PHONE_NEEDED = _("Indiquez un téléphone : le livreur pourra vous joindre.")


def slot_day(slot) -> str:
    """« samedi 5 décembre », the day a slot starts, in the town's time."""
    return formats.date_format(timezone.localtime(slot.start), "l j F")


def slot_time(slot) -> str:
    """« 10:00–10:30 (3 places) »: a slot within its day."""
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    places = ngettext("%(count)d place", "%(count)d places", slot.remaining) % {
        "count": slot.remaining
    }
    return f"{start:%H:%M}–{end:%H:%M} ({places})"


def slot_label(slot) -> str:
    """« sam. 5 déc., 10:00–10:30 (3 places) », in the town's time: short enough for a phone."""
    start, end = timezone.localtime(slot.start), timezone.localtime(slot.end)
    day = formats.date_format(start, "D j M")
    places = ngettext("%(count)d place", "%(count)d places", slot.remaining) % {
        "count": slot.remaining
    }
    return f"{day}, {start:%H:%M}–{end:%H:%M} ({places})"


class FulfilmentForm(forms.Form):
    """One group of fields per shop of the basket: `shop-<id>-fulfilment` and the slot of the
    chosen mode (`shop-<id>-pickup_slot` or `shop-<id>-delivery_slot`). Only the basket's shops
    and the slots open right now are accepted."""

    def __init__(self, *args, parts: list[ShopPart], offered: SlotsOffered, **kwargs):
        self.parts = parts
        # Each slot field's slots grouped by day: [(day, [(value, time label)])], for the
        # template's <optgroup>s and the day picker site.js builds from them.
        self.slot_days: dict[str, list[tuple[str, list[tuple[str, str]]]]] = {}
        super().__init__(*args, **kwargs)
        for part in parts:
            self._add_shop_fields(part, offered)

    def _add_shop_fields(self, part: ShopPart, offered: SlotsOffered) -> None:
        prefix = f"shop-{part.shop.pk}-"
        modes = [(value, label) for value, label in Fulfilment.choices if part.offers(value)]
        self.fields[prefix + "fulfilment"] = forms.ChoiceField(
            label=_("Mode de remise"),
            choices=modes,
            widget=forms.RadioSelect,
            initial=modes[0][0] if len(modes) == 1 else None,
            error_messages={
                "required": _("Choisissez le retrait en boutique ou la livraison."),
                "invalid_choice": _("Cette boutique ne propose pas ce mode de remise."),
            },
        )
        for fulfilment, name, label in (
            (Fulfilment.CLICK_COLLECT, "pickup_slot", _("Créneau de retrait")),
            (Fulfilment.DELIVERY, "delivery_slot", _("Créneau de livraison")),
        ):
            if part.offers(fulfilment):
                slots = offered.for_part(part, fulfilment)
                days: dict[str, list[tuple[str, str]]] = {}
                for slot in slots:
                    days.setdefault(slot_day(slot), []).append((slot_key(slot), slot_time(slot)))
                self.slot_days[prefix + name] = list(days.items())
                self.fields[prefix + name] = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", _("Choisissez un créneau"))]
                    + [(slot_key(slot), slot_label(slot)) for slot in slots],
                    error_messages={"invalid_choice": SLOT_GONE},
                )

    def shop_groups(self):
        """(part, fulfilment field, pickup slot field, delivery slot field) for the template;
        each slot field carries its slots by day (`field.days`)."""
        for part in self.parts:
            prefix = f"shop-{part.shop.pk}-"
            slots = []
            for name in ("pickup_slot", "delivery_slot"):
                bound = self[prefix + name] if prefix + name in self.fields else None
                if bound is not None:
                    bound.days = self.slot_days[prefix + name]
                slots.append(bound)
            yield (part, self[prefix + "fulfilment"], *slots)

    def clean(self):
        cleaned = super().clean()
        known = {str(part.shop.pk) for part in self.parts}
        posted = {match.group(1) for key in self.data if (match := SHOP_FIELD.match(key))}
        if posted - known:
            raise forms.ValidationError(
                _("Votre panier a changé : une boutique n'y figure plus. Vérifiez vos choix."),
                code="unknown_shop",
            )
        for part in self.parts:
            prefix = f"shop-{part.shop.pk}-"
            fulfilment = cleaned.get(prefix + "fulfilment")
            if not fulfilment:
                continue
            name = "delivery_slot" if fulfilment == Fulfilment.DELIVERY else "pickup_slot"
            if not cleaned.get(prefix + name) and prefix + name not in self.errors:
                self.add_error(prefix + name, _("Choisissez un créneau."))
        return cleaned

    def choices(self) -> dict[str, dict[str, str]]:
        """What the checkout session keeps: {shop id: {"fulfilment", "slot"}}."""
        result = {}
        for part in self.parts:
            prefix = f"shop-{part.shop.pk}-"
            fulfilment = self.cleaned_data[prefix + "fulfilment"]
            name = "delivery_slot" if fulfilment == Fulfilment.DELIVERY else "pickup_slot"
            result[str(part.shop.pk)] = {
                "fulfilment": fulfilment,
                "slot": self.cleaned_data[prefix + name],
            }
        return result


class PaymentMethodForm(forms.Form):
    ON_SITE = "on_site"
    STRIPE = "stripe"

    method = forms.ChoiceField(
        label=_("Comment souhaitez-vous payer ?"),
        widget=forms.RadioSelect,
        choices=[
            (ON_SITE, _("Sur place, au retrait ou à la livraison")),
            (STRIPE, _("En ligne par carte bancaire (paiement sécurisé Stripe)")),
        ],
        error_messages={"required": _("Choisissez un moyen de paiement.")},
    )


class GatewayForm(oscar_forms.GatewayForm):
    """Oscar's "who are you" step; the guest's e-mail fits the order's column (254)."""

    username = EmailField(label=oscar_forms.GatewayForm.base_fields["username"].label)


class ShippingAddressForm(oscar_forms.ShippingAddressForm):
    """Oscar's address form without "État/Région" (a French address has no state), asked only
    when a shop delivers: so the phone is required, and marked so, from the start."""

    class Meta(oscar_forms.ShippingAddressForm.Meta):
        fields = [f for f in oscar_forms.ShippingAddressForm.Meta.fields if f != "state"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        phone = self.fields["phone_number"]
        phone.required = True
        phone.label = _("Téléphone (pour le livreur)")
        phone.error_messages["required"] = PHONE_NEEDED
