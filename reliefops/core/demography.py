"""Demographic vocabularies shared by every count of people: sex and age bands.

The people registry describes a person by these (``reliefops.people.choices`` re-exports
them), the field hospital counts its caseload in them, and the crossing-point flow counts
break persons down by sex × age band. They live in ``core`` because apps at different
layers (crossings below people) count in the same bands.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    NOT_RECORDED = "not_recorded", _("Not recorded")


class AgeBand(models.TextChoices):
    """Age bands of the registry and of every count by age (caseload, reach, flows)."""

    B0_4 = "0_4", _("0–4")
    B5_17 = "5_17", _("5–17")
    B18_59 = "18_59", _("18–59")
    B60_69 = "60_69", _("60–69")
    B70_PLUS = "70_plus", _("70 and over")


#: The lower bound of each age band, in years (``AgeBand`` value → years).
AGE_BAND_FROM: dict[str, int] = {"0_4": 0, "5_17": 5, "18_59": 18, "60_69": 60, "70_plus": 70}


def age_band_for(age: int) -> str:
    """The band an age in years falls into."""
    band = AgeBand.B0_4.value
    for code, start in AGE_BAND_FROM.items():
        if age >= start:
            band = code
    return band
