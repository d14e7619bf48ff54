from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from reliefops.coordination.choices import Sector
from reliefops.core.forms import DateInput


class PresenceForm(forms.Form):
    """A 3W presence; the view hands in the choices the user may record (``presence.edit``)."""

    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Organisation"), queryset=None
    )
    area: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Area"), queryset=None)
    sector = forms.ChoiceField(label=_("Sector"), choices=Sector.choices)
    activity = forms.CharField(label=_("Activity"), max_length=200, required=False)
    start_date = forms.DateField(label=_("Since"), required=False, widget=DateInput())

    def __init__(
        self,
        *args: Any,
        areas: QuerySet[Any],
        organisations: QuerySet[Any],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas  # type: ignore[attr-defined]
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
