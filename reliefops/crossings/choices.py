"""Vocabularies of the crossings domain: flow directions, counting methods, and the cells of
a count by sex × age band (the shared bands of :mod:`reliefops.core.demography`)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from reliefops.core.demography import AgeBand, Sex


class Direction(models.TextChoices):
    """Which way a flow goes, relative to the crossing point's catchment (the areas whose
    places' population it changes): out of it or into it. Each crossing point names its
    two directions in words people use ("towards Goris") in its setting."""

    OUTBOUND = "outbound", _("Outbound (leaving the catchment)")
    INBOUND = "inbound", _("Inbound (entering the catchment)")


class CountMethod(models.TextChoices):
    """How the figure was obtained: a head count (tally) or an observer's estimate. The
    population estimate gives estimated flows a wider uncertainty (docs/population.md)."""

    COUNT = "count", _("Count")
    ESTIMATE = "estimate", _("Estimate")


#: The cells of a count broken down by sex × age band, in display order (sex, band).
CELLS: tuple[tuple[str, str], ...] = tuple((s, b) for s in Sex.values for b in AgeBand.values)


def cell_field(sex: str, band: str) -> str:
    """The model field, API field and file column of one cell: ``female_0_4``."""
    return f"{sex}_{band}"


#: Every cell's field name, in display order.
CELL_FIELDS: tuple[str, ...] = tuple(cell_field(s, b) for s, b in CELLS)

#: HXL attributes of a cell (standard ones where HXL has them: +f/+m, +infants, +children,
#: +adults, +elderly; the two older bands add the age range so their tags differ).
SEX_HXL = {Sex.FEMALE: "+f", Sex.MALE: "+m", Sex.NOT_RECORDED: "+sex_unknown"}
BAND_HXL = {
    AgeBand.B0_4: "+infants",
    AgeBand.B5_17: "+children",
    AgeBand.B18_59: "+adults",
    AgeBand.B60_69: "+elderly+age60_69",
    AgeBand.B70_PLUS: "+elderly+age70plus",
}


def cell_hxl(sex: str, band: str) -> str:
    """The HXL tag of one cell: ``#affected+f+infants``."""
    return f"#affected{SEX_HXL[Sex(sex)]}{BAND_HXL[AgeBand(band)]}"


def cell_label(sex: str, band: str) -> str:
    """``Female, 0–4`` (translated)."""
    return f"{Sex(sex).label}, {AgeBand(band).label}"
