"""The declared field list of the people registry (see :mod:`reliefops.core.exchange.fields`).

One list, two directions, and the identity fields travel one way only:

* **export** (``people``): the pseudonymous record — reference, status, age band, sex,
  village (P-code), area, lives alone, mobility, languages, vulnerability codes,
  household reference, registering organisation, registration date and the consent in
  force per purpose. Never a name, phone or address (:data:`EXPORT_COLUMNS` leaves out
  every ``IMPORT_ONLY`` field; a test checks it), and no year of birth (the age band
  says enough).
* **import** (``people``, registration lists): the same fields as a new registration
  takes them, plus the identity columns ``name``, ``phone``, ``address`` (stored
  encrypted) and the consent given at registration (``consent_*`` yes/no, with the date
  and who gave it). The reference is generated.

Lists are ``;``-separated codes (``az;ru``, ``diabetes;needs_surgery``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from reliefops.core import exchange as ex
from reliefops.people.choices import (
    AgeBand,
    ConsentGivenBy,
    ConsentPurpose,
    Mobility,
    PersonStatus,
    Sex,
    SpokenLanguage,
    Vulnerability,
)

LIST_SEPARATOR = ";"


def _code_list(choices: Any) -> Any:
    known = {str(v) for v in choices.values}

    def parse(text: str) -> list[str]:
        values = [part.strip().lower() for part in text.split(LIST_SEPARATOR) if part.strip()]
        unknown = sorted(set(values) - known)
        if unknown:
            raise ValueError(
                _("Unknown codes: %(unknown)s (use: %(known)s).")
                % {"unknown": ", ".join(unknown), "known": ", ".join(sorted(known))}
            )
        return sorted(set(values), key=list(choices.values).index)

    return parse


def render_list(value: Any) -> str:
    return LIST_SEPARATOR.join(str(v) for v in value) if value else ""


def parse_year(text: str) -> int:
    value = ex.parse_int(text)
    if not 1900 <= value <= 2100:
        raise ValueError(_("A year of birth such as 1948."))
    return value


def _consent(purpose: str) -> ex.Field:
    return ex.Field(
        f"consent_{purpose}",
        hxl=f"#meta+consent+{purpose}",
        parse=ex.parse_bool,
        default=None,
        stored=False,
    )


#: Fields that are read from a registration list and never written to any file.
IMPORT_ONLY = (
    "full_name",
    "phone",
    "address",
    "year_of_birth",
    "consent_given_on",
    "consent_given_by",
)
#: Fields only an export carries (set by the registry, not by a registration list).
EXPORT_ONLY = ("reference", "status", "area", "registered_on")

PERSON = ex.Fields(
    ex.Field("reference", hxl="#beneficiary+code", key=True, stored=False),
    ex.Field("status", hxl="#status", parse=ex.parse_choice(PersonStatus), stored=False),
    ex.Field("full_name", column="name", hxl="#beneficiary+name", api=False),
    ex.Field("phone", hxl="#contact+phone", api=False),
    ex.Field("address", hxl="#loc+address", api=False),
    ex.Field("year_of_birth", hxl="#date+year+birth", parse=parse_year),
    ex.Field("age_band", hxl="#indicator+age", parse=ex.parse_choice(AgeBand), default=""),
    ex.Field("sex", hxl="#indicator+sex", parse=ex.parse_choice(Sex), default=Sex.NOT_RECORDED),
    ex.Field("place", hxl="#loc+code", required=True),
    ex.Field("area", hxl="#adm1+code", stored=False),
    ex.Field("household", hxl="#beneficiary+code+household"),
    ex.Field("lives_alone", hxl="#indicator+alone", parse=ex.parse_bool, default=False),
    ex.Field(
        "mobility",
        hxl="#indicator+mobility",
        parse=ex.parse_choice(Mobility),
        default=Mobility.INDEPENDENT,
    ),
    ex.Field(
        "languages",
        hxl="#language+code",
        parse=_code_list(SpokenLanguage),
        render=render_list,
        default=[],
    ),
    ex.Field(
        "vulnerabilities",
        hxl="#indicator+vulnerability",
        parse=_code_list(Vulnerability),
        render=render_list,
        default=[],
    ),
    ex.Field("organisation", hxl="#org+acronym", stored=False),
    ex.Field("registered_on", hxl="#date+registered", parse=ex.parse_date, stored=False),
    *[_consent(purpose) for purpose in ConsentPurpose.values],
    ex.Field("consent_given_on", hxl="#date+consent", parse=ex.parse_date, stored=False),
    ex.Field(
        "consent_given_by",
        hxl="#meta+consent+by",
        parse=ex.parse_choice(ConsentGivenBy),
        default=ConsentGivenBy.SELF,
        stored=False,
    ),
)
"""A person of the registry (see the module docstring for what travels where)."""

_IMPORT_ONLY_COLUMNS = {f.column_name for f in PERSON if f.name in IMPORT_ONLY}
_EXPORT_ONLY_COLUMNS = {f.column_name for f in PERSON if f.name in EXPORT_ONLY}
#: The columns of the ``people`` export: no identity field, ever.
EXPORT_COLUMNS = [c for c in PERSON.columns() if c.name not in _IMPORT_ONLY_COLUMNS]
#: The columns of a registration list.
IMPORT_COLUMNS = [c for c in PERSON.columns() if c.name not in _EXPORT_ONLY_COLUMNS]
