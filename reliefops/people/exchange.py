"""Bulk exchange of the people registry (see :mod:`reliefops.people.fields`).

``people`` export
    The pseudonymous records the actor may read (a field worker: the people of their
    areas), one row each: no name, phone, address or year of birth, ever.
``people`` import
    A registration list: every row is a new person, registered through
    :func:`~reliefops.people.services.person_register` (all rows or none). ``place`` is
    a P-code, ``organisation`` an acronym (default: the importer's organisation when
    they register for one only), ``household`` an existing household reference;
    ``consent_registration`` must be yes. Each row's possible duplicates — in the
    registry (by reference) and earlier in the same file (by row number) — are reported
    as warnings of that row, never with a name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from reliefops.core import exchange as ex
from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.permissions import grants_for
from reliefops.organisations.selectors import organisations_by_acronym
from reliefops.people import duplicates
from reliefops.people.choices import ConsentPurpose, PersonStatus
from reliefops.people.fields import EXPORT_COLUMNS, IMPORT_COLUMNS, PERSON
from reliefops.people.models import Household
from reliefops.people.selectors import person_fields_for, person_list, person_scope
from reliefops.people.services import (
    ConsentInput,
    PersonInput,
    consent_state,
    person_register,
    person_register_check,
)
from reliefops.places.selectors import places_by_code

CONSENT_COLUMNS = tuple(f"consent_{purpose}" for purpose in ConsentPurpose.values)
#: Export columns shown only to the roles whose record fields include them.
ROLE_LIMITED = ("household", "organisation", "registered_on")


class PeopleExporter(ex.Exporter):
    columns = EXPORT_COLUMNS

    def rows(self) -> Iterator[dict[str, Any]]:
        qs = person_list(self.actor, status=None).prefetch_related("consents")
        # The columns the actor's role does not need stay empty (a field worker's file
        # has no household, registering organisation or registration date).
        hidden = set(ROLE_LIMITED) - set(person_fields_for(self.actor))
        for person in qs.iterator(chunk_size=1000):
            state = consent_state(person.consents.all())
            row = PERSON.row_cells(
                person,
                place=person.place.code,
                area=person.area.code if person.area else "",
                household=person.household.reference if person.household_id else "",
                organisation=person.organisation.acronym,
                **{f"consent_{purpose}": given for purpose, given in state.items()},
            )
            yield {**row, **dict.fromkeys(hidden)}


class PeopleImporter(ex.Importer):
    columns = IMPORT_COLUMNS
    permission = Action.PERSON_REGISTER
    description = "Registration lists: new people with their consent (identity encrypted)."

    def prepare(self) -> None:
        self.places: dict[str, Any] = {}
        self.organisations = organisations_by_acronym()
        own = {g.organisation_id for g in grants_for(self.actor, Action.PERSON_REGISTER)}
        own.discard(None)
        by_pk = {o.pk: o for o in self.organisations.values()}
        self.default_organisation = by_pk.get(own.pop()) if len(own) == 1 else None
        self.households: dict[str, Household | None] = {}
        self.registry: dict[Any, list[duplicates.Record]] = {}
        self.in_file: list[duplicates.Record] = []

    def _place(self, code: str) -> Any:
        if code not in self.places:
            self.places[code] = places_by_code([code]).get(code)
        place = self.places[code]
        if place is None:
            raise ex.CellError("place", _("Unknown place P-code."))
        return place

    def _organisation(self, acronym: str | None) -> Any:
        if acronym:
            found = self.organisations.get(acronym)
            if found is None:
                raise ex.CellError("organisation", _("Unknown organisation acronym."))
            return found
        if self.default_organisation is None:
            raise ex.CellError("organisation", _("Say which organisation registers the person."))
        return self.default_organisation

    def _household(self, reference: str | None) -> Household | None:
        if not reference:
            return None
        if reference not in self.households:
            self.households[reference] = Household.objects.filter(reference=reference).first()
        found = self.households[reference]
        if found is None:
            raise ex.CellError("household", _("Unknown household reference."))
        return found

    def _input(self, data: dict[str, Any]) -> PersonInput:
        values = PERSON.row_values(data)
        given_on = values.get("consent_given_on") or timezone.localdate()
        consents = [
            ConsentInput(
                purpose=purpose,
                given=bool(values[f"consent_{purpose}"]),
                given_on=given_on,
                given_by=values.get("consent_given_by") or "self",
            )
            for purpose in ConsentPurpose.values
            if values.get(f"consent_{purpose}") is not None
        ]
        return PersonInput(
            place=self._place(values["place"]),
            organisation=self._organisation(values.get("organisation")),
            consents=consents,
            full_name=values.get("full_name"),
            phone=values.get("phone"),
            address=values.get("address"),
            year_of_birth=values.get("year_of_birth"),
            age_band=values.get("age_band") or "",
            sex=values.get("sex") or "not_recorded",
            household=self._household(values.get("household")),
            lives_alone=bool(values.get("lives_alone")),
            mobility=values.get("mobility") or "independent",
            languages=values.get("languages") or [],
            vulnerabilities=values.get("vulnerabilities") or [],
        )

    def _registry_block(self, place: Any) -> list[duplicates.Record]:
        if place.pk not in self.registry:
            people = person_scope(self.actor).filter(place_id=place.pk, status=PersonStatus.ACTIVE)
            self.registry[place.pk] = duplicates.records_of(people, names=True)
        return self.registry[place.pk]

    def _report_duplicates(self, person: PersonInput, row: int) -> None:
        record = duplicates.Record(
            ("row", row),
            "",
            person.place.pk,
            person.place.code,
            person.year_of_birth,
            person.sex,
            person.full_name,
        )
        if not person.full_name:
            return
        for other, evidence in duplicates.candidates_for(
            record, self._registry_block(person.place)
        ):
            self.warn(
                row,
                _("Possible duplicate of %(reference)s (name similarity %(score)s).")
                % {"reference": other.reference, "score": evidence["name_similarity"]},
                "name",
            )
        for other, evidence in duplicates.candidates_for(record, self.in_file):
            self.warn(
                row,
                _("Possible duplicate of row %(row)s (name similarity %(score)s).")
                % {"row": other.pk[1], "score": evidence["name_similarity"]},
                "name",
            )
        self.in_file.append(record)

    def clean(self, data: dict[str, Any], row: int) -> dict[str, Any]:
        person = self._input(data)
        try:
            person_register_check(actor=self.actor, data=person)
        except ApplicationError as exc:
            column = str(exc.details.get("field") or "")
            if exc.code == "consent_missing":
                column = "consent_registration"
            elif exc.code in ("forbidden", "area_unknown"):
                column = "place"
            raise ex.CellError(column or "place", str(exc.message), value="") from exc
        self._report_duplicates(person, row)
        return {"person": person}

    def apply(self, rows: list[dict[str, Any]]) -> int:
        for row in rows:
            person_register(actor=self.actor, data=row["person"])
        return len(rows)


ex.register(
    "people",
    importer=PeopleImporter,
    exporter=PeopleExporter,
    label=gettext_lazy("People (pseudonymised)"),
)
