"""Query parameters of the places pages and API, declared once (read by ``core.queries``).

Places, facilities and roads are filtered by their selectors (an area includes its
sub-areas; ``in_scope`` narrows to the caller's areas), so their filters are serializers
whose validated values go to those selectors: the map layers (pages) and the list
endpoints (API) share them, and the API hands them to the OpenAPI schema.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from reliefops.places.choices import (
    FacilityKind,
    FacilityStatus,
    PlaceKind,
    RoadStatus,
    VehicleClass,
)
from reliefops.places.models import AdminArea


class AreaCodeField(serializers.CharField):
    """An administrative area by its code (``AZ-XCI``); an unknown code is refused."""

    default_error_messages = {"unknown": _("No administrative area has the code {code}.")}

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("max_length", 32)
        kwargs.setdefault("help_text", _("Administrative area code (its sub-areas included)."))
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        code = super().run_validation(data)
        if not code:
            return None
        area = AdminArea.objects.filter(code=code).first()
        if area is None:
            self.fail("unknown", code=code)
        return area


class CodeListField(serializers.CharField):
    """A comma-separated list of codes (``a,b,c``), each one of ``choices`` when given."""

    default_error_messages = {
        "invalid_choice": _("“{value}” is not one of: {choices}."),
        "count": _("Give between {low} and {high} values."),
    }

    def __init__(
        self, *, choices: Any = None, low: int = 0, high: int = 1000, **kwargs: Any
    ) -> None:
        self.allowed = [str(c) for c in choices] if choices is not None else None
        self.low, self.high = low, high
        kwargs.setdefault("allow_blank", not low)
        super().__init__(**kwargs)

    def run_validation(self, data: Any = serializers.empty) -> Any:
        text = super().run_validation(data)
        values = [v.strip() for v in (text or "").split(",") if v.strip()]
        if not self.low <= len(values) <= self.high:
            self.fail("count", low=self.low, high=self.high)
        for value in values:
            if self.allowed is not None and value not in self.allowed:
                self.fail("invalid_choice", value=value[:40], choices=", ".join(self.allowed))
        return values


class AdminAreaQuery(serializers.Serializer[Any]):
    in_scope = serializers.BooleanField(
        default=False, help_text=_("Only the areas the caller works in.")
    )


class PlaceQuery(AdminAreaQuery):
    kind = serializers.ChoiceField(choices=PlaceKind.choices, required=False, allow_blank=True)
    area = AreaCodeField()


class FacilityQuery(AdminAreaQuery):
    kind = CodeListField(
        choices=FacilityKind.values,
        required=False,
        help_text=_("Facility kinds, comma-separated."),
    )
    status = serializers.ChoiceField(
        choices=FacilityStatus.choices, required=False, allow_blank=True
    )
    area = AreaCodeField()


class RoadQuery(serializers.Serializer[Any]):
    status = serializers.ChoiceField(choices=RoadStatus.choices, required=False, allow_blank=True)


class PlaceMatchQuery(serializers.Serializer[Any]):
    q = serializers.ListField(
        child=serializers.CharField(max_length=200),
        min_length=1,
        max_length=100,
        help_text=_("A spelling to resolve (repeatable, up to 100)."),
    )
    area = AreaCodeField()
    near = serializers.RegexField(
        r"^\s*-?\d{1,2}(\.\d+)?\s*,\s*-?\d{1,3}(\.\d+)?\s*$",
        required=False,
        help_text=_("Hint: lat,lon in degrees."),
    )
    lang = serializers.CharField(
        required=False, max_length=8, help_text=_("Language of the names returned.")
    )

    def validate_near(self, value: str) -> tuple[float, float]:
        lat, lon = (float(v) for v in value.split(","))
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise serializers.ValidationError(_("lat must be within ±90 and lon within ±180."))
        return lat, lon


class SearchQuery(serializers.Serializer[Any]):
    q = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")


class TravelQuery(serializers.Serializer[Any]):
    """The map's travel box: two places in any spelling and a vehicle class."""

    origin = serializers.CharField(required=False, allow_blank=True, max_length=200, default="")
    destination = serializers.CharField(
        required=False, allow_blank=True, max_length=200, default=""
    )
    vehicle = serializers.ChoiceField(choices=VehicleClass.choices, default=VehicleClass.TRUCK)

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        # The parameters are ``from`` and ``to``, which Python cannot declare by name.
        fields = super().get_fields()
        fields["from"] = fields.pop("origin")
        fields["to"] = fields.pop("destination")
        return fields


class TravelMatrixQuery(serializers.Serializer[Any]):
    places = CodeListField(low=1, high=500, help_text=_("Place codes, comma-separated (≤ 500)."))
    vehicle = serializers.ChoiceField(choices=VehicleClass.choices, default=VehicleClass.TRUCK)
