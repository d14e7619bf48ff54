"""The declared field lists of the teams domain (see :mod:`reliefops.core.exchange.fields`).

Related records travel by their codes: a team by code, an organisation by acronym, an
area by code, a place by P-code, a facility by code, a vehicle by registration, a
person by their pseudonymous reference — never a name, phone or address. Team members'
names are staff names; their phones are in no file.
"""

from __future__ import annotations

from typing import Any

from reliefops.core import exchange as ex

LIST_SEPARATOR = ";"


def render_list(value: Any) -> str:
    if not value:
        return ""
    return LIST_SEPARATOR.join(str(v) for v in value)


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

VISIT = ex.Fields(
    ex.Field("id", hxl="#meta+id", key=True),
    ex.Field("person", hxl="#beneficiary+code"),
    ex.Field("team", hxl="#group+code"),
    ex.Field("round", hxl="#activity+round+code"),
    ex.Field("sequence", hxl="#meta+sequence"),
    ex.Field("place", hxl="#loc+code"),
    ex.Field("area", hxl="#adm1+code"),
    ex.Field("visited_at", hxl="#date+visited"),
    ex.Field("outcome", hxl="#status+outcome"),
    ex.Field("services", hxl="#service+delivered", render=render_list),
    ex.Field("follow_up_due", hxl="#date+follow_up"),
)
