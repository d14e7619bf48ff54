"""Edit forms of the place and facility pages. Plain forms (fields taken from the models,
with their labels, help and limits): a bound ModelForm would change the record before the
service has checked the area it is in."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import DateInput
from reliefops.places.choices import NameType
from reliefops.places.models import AdminArea, Facility, Place, PlaceName
from reliefops.places.services import FACILITY_EDITABLE

LANGS = [code for code, _label in settings.LANGUAGES]


class AreaChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.name}"


class PlaceEditForm(forms.Form):
    kind = forms.fields_for_model(Place, fields=["kind"])["kind"]
    latitude = forms.FloatField(label=_("Latitude"), min_value=-90, max_value=90)
    longitude = forms.FloatField(label=_("Longitude"), min_value=-180, max_value=180)
    area = AreaChoiceField(
        label=_("Area"),
        queryset=AdminArea.objects.filter(level__gte=1).order_by("code"),
        to_field_name="code",
        required=False,
        help_text=_("Blank: the area whose outline holds the point."),
    )

    @classmethod
    def for_place(cls, place: Place) -> PlaceEditForm:
        return cls(
            initial={
                "kind": place.kind,
                "latitude": place.latitude,
                "longitude": place.longitude,
                "area": place.admin1.code if place.admin1 else "",
            },
            prefix="place",
        )


class PlaceNameForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    language = forms.CharField(
        label=_("Language (BCP-47)"), max_length=16, help_text=_("en, az, ru, hy …")
    )
    name_type = forms.ChoiceField(
        label=_("Type"), choices=NameType.choices, initial=NameType.ALTERNATE
    )
    source = forms.fields_for_model(PlaceName, fields=["source"])["source"]


class PopulationForm(forms.Form):
    value = forms.IntegerField(label=_("Population"), min_value=0)
    as_of = forms.DateField(label=_("As of"), widget=DateInput())
    source = forms.CharField(
        label=_("Source"), max_length=200, help_text=_("Who counted, and how (census, estimate).")
    )


class FacilityEditForm(forms.Form):
    place = forms.CharField(
        label=_("Place"), max_length=200, help_text=_("P-code or a name in any language.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for lang in LANGS:
            self.fields[f"name_{lang}"] = forms.CharField(
                label=_("Name (%(lang)s)") % {"lang": lang},
                max_length=200,
                required=lang == "en",
            )
        model_fields = forms.fields_for_model(Facility, fields=list(FACILITY_EDITABLE))
        for name in FACILITY_EDITABLE:
            self.fields[name] = model_fields[name]
        self.order_fields([f"name_{lang}" for lang in LANGS] + ["place", *FACILITY_EDITABLE])

    @classmethod
    def for_facility(cls, facility: Facility) -> FacilityEditForm:
        initial: dict[str, Any] = {f"name_{lang}": facility.names.get(lang, "") for lang in LANGS}
        initial["place"] = facility.place.code
        initial.update({name: getattr(facility, name) for name in FACILITY_EDITABLE})
        return cls(initial=initial, prefix="facility")

    def names(self) -> dict[str, str]:
        return {lang: self.cleaned_data.get(f"name_{lang}", "") for lang in LANGS}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in FACILITY_EDITABLE}


class FacilityStatusForm(forms.Form):
    status = forms.fields_for_model(Facility, fields=["status"])["status"]
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        help_text=_("Required unless operating."),
    )
