"""The declared field lists of the teams domain (see :mod:`reliefops.core.exchange.fields`).

Related records travel by their codes: a team by code, an organisation by acronym, an
area by code, a place by P-code, a facility by code, a vehicle by registration, a
person by their pseudonymous reference — never a name, phone or address. Team members'
names are staff names; their phones are in no file.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.core.exchange.parsing import parse_datetime
from reliefops.core.privacy import SUPPRESSED_LABEL
from reliefops.people.choices import AgeBand, Sex
from reliefops.teams.choices import (
    CaseloadMeasure,
    ReferralReason,
    ReferralStatus,
    RoundStatus,
    Transport,
    Urgency,
    VisitOutcome,
    VisitService,
)

LIST_SEPARATOR = ";"


def render_list(value: Any) -> str:
    if not value:
        return ""
    return LIST_SEPARATOR.join(str(v) for v in value)


def parse_uuid(text: str) -> str:
    """A record id (a UUID, as a phone's ``crypto.randomUUID()`` makes) as canonical text."""
    try:
        return str(uuid.UUID(text.strip()))
    except ValueError:
        raise ValueError(_("Not an id (a UUID such as 3f2b…-…).")) from None


def parse_services(text: str) -> list[str]:
    """``consultation;food_parcel`` → the visit services (codes or labels), each once, in
    the vocabulary's order."""
    parse = ex.parse_choice(VisitService)
    values = {parse(part) for part in text.split(LIST_SEPARATOR) if part.strip()}
    return [v for v in VisitService.values if v in values]


TEAM = ex.Fields(
    ex.Field("code", hxl="#group+code", required=True, key=True),
    ex.Field("name", hxl="#group+name"),
    ex.Field("kind", hxl="#group+type"),
    ex.Field("organisation", hxl="#org+lead"),
    ex.Field("partner_organisations", hxl="#org+partner", render=render_list),
    ex.Field("area", hxl="#adm1+code"),
    ex.Field("service_areas", hxl="#adm1+code+served", render=render_list),
    ex.Field("base", hxl="#loc+base+code"),
    ex.Field("vehicle", hxl="#meta+vehicle"),
    ex.Field("members", hxl="#group+members+num"),
    ex.Field("member_names", hxl="#contact+name+staff", render=render_list),
    ex.Field("skills", hxl="#meta+skills", render=render_list),
    ex.Field("languages", hxl="#meta+languages", render=render_list),
    ex.Field("is_active", hxl="#status+active"),
)

ROUND_STOP = ex.Fields(
    ex.Field("round", hxl="#activity+round+code", key=True),
    ex.Field("date", hxl="#date"),
    ex.Field("status", hxl="#status"),
    ex.Field("team", hxl="#group+code"),
    ex.Field("sequence", hxl="#meta+sequence"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("person", hxl="#beneficiary+code"),
    ex.Field("planned_time", hxl="#date+time"),
    ex.Field("services", hxl="#service+planned", render=render_list),
)

ROUND_STEP = ex.Fields(
    ex.Field("round", hxl="#activity+round+code", required=True, key=True),
    ex.Field("status", hxl="#status", parse=ex.parse_choice(RoundStatus), required=True),
    ex.Field("reason", hxl="#status+reason"),
)
"""A step of a round's workflow, as the status it leads to (the ``rounds`` import and
field submissions; the ``rounds`` export's ``round`` and ``status`` columns are these)."""

VISIT = ex.Fields(
    ex.Field("id", hxl="#meta+id", parse=parse_uuid, key=True),
    ex.Field("person", hxl="#beneficiary+code", required=True),
    ex.Field("team", hxl="#group+code", required=True),
    ex.Field("round", hxl="#activity+round+code"),
    ex.Field("sequence", hxl="#meta+sequence", parse=ex.parse_int),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("area", hxl="#adm1+code"),
    ex.Field("visited_at", hxl="#date+visited", parse=parse_datetime),
    ex.Field(
        "outcome",
        hxl="#status+outcome",
        parse=ex.parse_choice(VisitOutcome),
        default=VisitOutcome.VISITED,
    ),
    ex.Field("services", hxl="#service+delivered", parse=parse_services, render=render_list),
    ex.Field("follow_up_due", hxl="#date+follow_up", parse=ex.parse_date),
)
"""A visit, keyed by ``id`` (the visit's id, or the client id a phone gave it); the stop by
``round`` + ``sequence``; ``place`` and ``area`` are the person's (written on export,
ignored on import). Formats of the field submissions: docs/field-kinds.md."""


def render_suppressed(value: Any) -> str:
    """A count already passed through ``privacy.suppress``: None is written ``<5``."""
    return SUPPRESSED_LABEL if value is None else str(value)


REFERRAL = ex.Fields(
    ex.Field("reference", hxl="#meta+referral+code", key=True),
    ex.Field("person", hxl="#beneficiary+code"),
    ex.Field("facility", hxl="#loc+code+facility"),
    ex.Field("facility_area", hxl="#adm1+code+facility"),
    ex.Field("area", hxl="#adm1+code"),
    ex.Field("team", hxl="#org+team+code"),
    ex.Field("referred_at", hxl="#date+referred", parse=parse_datetime),
    ex.Field("reason", hxl="#indicator+reason", parse=ex.parse_choice(ReferralReason)),
    ex.Field("urgency", hxl="#severity", parse=ex.parse_choice(Urgency)),
    ex.Field("transport", hxl="#meta+transport", parse=ex.parse_choice(Transport)),
    ex.Field("status", hxl="#status", parse=ex.parse_choice(ReferralStatus)),
    ex.Field("status_at", hxl="#date+status", parse=parse_datetime),
    ex.Field("transferred_to", hxl="#loc+code+facility+transfer"),
    ex.Field("visit", hxl="#meta+visit+id", parse=parse_uuid),
)
"""A referral: the person by pseudonymous reference only, never identity; facilities by
code, areas by P-code (derived), the referring team by code, the visit it came from by
the visit's id (or the client id a phone gave the visit). Import and field submissions
refer people and take the referral's workflow steps (docs/field-kinds.md)."""

CASELOAD = ex.Fields(
    ex.Field("facility", hxl="#loc+code+facility", key=True),
    ex.Field("date", hxl="#date", parse=ex.parse_date, key=True),
    ex.Field("measure", hxl="#indicator+type", parse=ex.parse_choice(CaseloadMeasure), key=True),
    ex.Field("age_band", hxl="#targeted+age", parse=ex.parse_choice(AgeBand), key=True),
    ex.Field("sex", hxl="#targeted+sex", parse=ex.parse_choice(Sex), key=True),
    ex.Field("count", hxl="#affected+num", parse=ex.parse_int, render=render_suppressed),
)
"""One caseload cell per facility, day, measure, age band and sex. Counts of 1–4 people
are written ``<5`` (:mod:`reliefops.core.privacy`)."""
