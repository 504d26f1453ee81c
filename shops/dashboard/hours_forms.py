"""The week grid of the hours page and its closure form.

The grid is seven DayHoursForm (prefix "d0" for Monday … "d6" for Sunday) in one <form>,
saved once: each day closed, or one or two spans. Each day's errors name the day and sit on
its row; any error and nothing is saved.
"""

import datetime

from django import forms
from django.utils.dates import WEEKDAYS
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

TIME_WIDGET = {"type": "time", "step": "300", "class": "dx-hours__time"}


def _time_field(label) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        required=False,
        widget=forms.TimeInput(attrs=TIME_WIDGET, format="%H:%M"),
        error_messages={"invalid": _("Indiquez une heure, par exemple 09:00.")},
    )


def _hm(value: datetime.time) -> str:
    return value.strftime("%H:%M")


class DayHoursForm(forms.Form):
    """One day: "Fermé", or a first span and an optional second one after it."""

    closed = forms.BooleanField(label=_("Fermé"), required=False)
    opens1 = _time_field(_("Ouverture"))
    closes1 = _time_field(_("Fermeture"))
    opens2 = _time_field(_("Réouverture"))
    closes2 = _time_field(_("Fermeture"))

    def __init__(self, *args, weekday: int, **kwargs):
        kwargs.setdefault("prefix", f"d{weekday}")
        super().__init__(*args, **kwargs)
        self.weekday = weekday
        self.day_name = capfirst(str(WEEKDAYS[weekday]))

    def clean(self):
        data = super().clean()
        if self.errors or data.get("closed"):
            return data
        o1, c1, o2, c2 = (data.get(k) for k in ("opens1", "closes1", "opens2", "closes2"))
        if not any((o1, c1, o2, c2)):
            self._fail(_("Indiquez les heures d'ouverture, ou cochez « Fermé »."), "hours_missing")
        elif not (o1 and c1):
            self._fail(_("Indiquez l'heure d'ouverture et celle de fermeture."), "hours_missing")
        elif o1 >= c1:
            self._fail(
                _("La fermeture (%(closes)s) doit suivre l'ouverture (%(opens)s)."),
                "hours_order",
                closes=_hm(c1),
                opens=_hm(o1),
            )
        elif bool(o2) != bool(c2):
            self._fail(
                _("Pour une pause, indiquez l'heure de réouverture et celle de fermeture."),
                "hours_missing",
            )
        elif o2 and o2 <= c1:
            self._fail(
                _("La réouverture (%(opens)s) doit suivre la première fermeture (%(closes)s)."),
                "hours_overlap",
                opens=_hm(o2),
                closes=_hm(c1),
            )
        elif o2 and o2 >= c2:
            self._fail(
                _("La fermeture (%(closes)s) doit suivre la réouverture (%(opens)s)."),
                "hours_order",
                closes=_hm(c2),
                opens=_hm(o2),
            )
        return data

    def _fail(self, message, code: str, **params) -> None:
        text = message % params if params else message
        raise forms.ValidationError(f"{self.day_name} : {text}", code=code)

    def spans(self) -> list[tuple[datetime.time, datetime.time]]:
        """The day's spans once valid: none when closed."""
        data = self.cleaned_data
        if data.get("closed"):
            return []
        spans = [(data["opens1"], data["closes1"])]
        if data.get("opens2"):
            spans.append((data["opens2"], data["closes2"]))
        return spans


def week_forms(data=None, *, week: dict | None = None) -> list[DayHoursForm]:
    """Monday to Sunday: bound to `data`, or filled from `week` (weekday -> spans)."""
    forms_ = []
    for day in range(7):
        initial = None
        if data is None:
            spans = (week or {}).get(day, [])
            initial = {"closed": not spans}
            for n, (opens, closes) in enumerate(spans[:2], start=1):
                initial |= {f"opens{n}": opens, f"closes{n}": closes}
        forms_.append(DayHoursForm(data, weekday=day, initial=initial))
    return forms_


class ClosureForm(forms.Form):
    """One exceptional closure: from, to (included), why."""

    starts_on = forms.DateField(
        label=_("Du"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date, par exemple 24/12.")},
    )
    ends_on = forms.DateField(
        label=_("Au (inclus)"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Indiquez une date, par exemple 26/12.")},
    )
    reason = forms.CharField(
        label=_("Motif (affiché aux clients)"),
        max_length=200,
        required=False,
        help_text=_("Par exemple : congés d'été, inventaire."),
    )
