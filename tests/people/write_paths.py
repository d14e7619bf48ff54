"""Write paths of the people registry for the write-scope property test (services and the
``people`` import; the pages are in write_paths_pages.py). The world's people are in
tests/core/writescope/people.py: per area and organisation a person with every consent,
a twin at the same place and a record merged into the first."""

from __future__ import annotations

import datetime as dt

from reliefops.people import services
from reliefops.people.models import Person, PersonMerge
from tests.core.writescope import Attempt, import_kind, not_a_write, service

S = "reliefops.people.services"
for name, why in {
    "consent.consent_in_force": "read: the consent in force per purpose",
    "consent.consent_state": "read: the consent in force, from given records",
    "consent.consent_require": "check: raises when a purpose has no consent",
    "registry.reference_new": "read: an unused reference",
    "registry.person_register_check": "validator of a registration (import check pass)",
    "subject.subject_data_register": "registry of other apps' subject data (start-up)",
    "subject.subject_data_sources": "read: the subject data registry",
    "identity.persons_erase_expired": "the retention job (system, no actor): tests/core/test_retention.py",
    "identity.identity_access_purge": "the retention job (system, no actor): tests/core/test_retention.py",
}.items():
    not_a_write(f"{S}.{name}", why)

TODAY = dt.date(2023, 10, 2)


def _person(t: Attempt) -> Person:
    """The world's person, read afresh (a probe's savepoint rolls back the row, not the
    instance a service changed)."""
    return Person.objects.get(pk=t.world.person[(t.area, t.org)].pk)


def _twin(t: Attempt) -> Person:
    return Person.objects.get(pk=t.world.person_twin[(t.to, t.org)].pk)


@service(f"{S}.registry.person_register")
def _register(t: Attempt) -> None:
    services.person_register(
        actor=t.actor,
        data=services.PersonInput(
            place=t.world.place[t.area],
            organisation=t.world.org[t.org],
            consents=[services.ConsentInput("registration", True, TODAY)],
            full_name="Probe Person",
            year_of_birth=1951,
        ),
    )


@service(f"{S}.registry.person_update")
def _update(t: Attempt) -> None:
    services.person_update(
        actor=t.actor,
        person=_person(t),
        changes={"place": t.world.place[t.to], "lives_alone": False, "phone": "+0 probe"},
    )


@service(f"{S}.registry.person_deactivate")
def _deactivate(t: Attempt) -> None:
    services.person_deactivate(actor=t.actor, person=_person(t), reason="moved")


@service(f"{S}.consent.consent_record")
def _consent_record(t: Attempt) -> None:
    services.consent_record(
        actor=t.actor,
        person=_person(t),
        purpose=t.draw(["visits", "sharing"]),
        given=t.draw([True, False]),
        given_on=TODAY,
    )


@service(f"{S}.consent.consent_withdraw")
def _consent_withdraw(t: Attempt) -> None:
    services.consent_withdraw(actor=t.actor, person=_person(t), purpose="visits", on=TODAY)


@service(f"{S}.identity.identity_reveal")
def _reveal(t: Attempt) -> None:
    services.identity_reveal(
        actor=t.actor, person=_person(t), fields=["full_name"], purpose="visit"
    )


@service(f"{S}.identity.subject_access_export")
def _subject_access(t: Attempt) -> None:
    services.subject_access_export(actor=t.actor, person=_person(t))


@service(f"{S}.identity.person_erase")
def _erase(t: Attempt) -> None:
    services.person_erase(actor=t.actor, person=_person(t), reason="subject request")


@service(f"{S}.merges.person_merge")
def _merge(t: Attempt) -> None:
    services.person_merge(
        actor=t.actor,
        survivor=_person(t),
        duplicate=_twin(t),
        evidence={"name_similarity": 90},
    )


@service(f"{S}.merges.merge_undo")
def _merge_undo(t: Attempt) -> None:
    services.merge_undo(
        actor=t.actor, merge=PersonMerge.objects.get(pk=t.world.merge[(t.area, t.org)].pk)
    )


@service(f"{S}.merges.duplicate_dismiss")
def _dismiss(t: Attempt) -> None:
    services.duplicate_dismiss(actor=t.actor, first=_person(t), second=_twin(t))


@import_kind("people")
def _import_people(t: Attempt) -> str:
    return (
        "place,organisation,name,year_of_birth,sex,consent_registration,consent_visits\n"
        f"{t.world.place[t.area].code},{t.org},Probe Import,1949,male,yes,no\n"
    )
