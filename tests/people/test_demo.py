"""The demo registry: about 200 synthetic people in the scenario's villages, registered
through the services, with planted duplicates across scripts; loading twice adds nothing."""

from __future__ import annotations

import io

import pytest

from reliefops.accounts import demo as accounts_demo
from reliefops.organisations import demo as organisations_demo
from reliefops.people import demo
from reliefops.people.models import Consent, Person
from reliefops.people.selectors import duplicate_candidates
from reliefops.places import demo as places_demo
from tests.accounts.factories import make_user

pytestmark = pytest.mark.django_db


def test_demo_people() -> None:
    out = io.StringIO()
    for module in (organisations_demo, places_demo, accounts_demo):
        module.load(stdout=out)
    demo.load(stdout=out)
    people = Person.objects.all()
    assert people.count() == demo.PEOPLE and all(p.synthetic for p in people)
    old_alone = [p for p in people if p.age_band == "70_plus" and p.lives_alone]
    assert len(old_alone) >= 50
    assert sum("needs_surgery" in p.vulnerabilities for p in people) >= 10
    assert Consent.objects.filter(purpose="visits", given=False).exists()
    assert Consent.objects.filter(purpose="referral", given=False).exists()
    scripts = {demo.script_of(p.full_name) for p in people}
    assert scripts == {"latin", "cyrillic", "armenian"}
    field_people = {p.area.code for p in people if p.organisation.acronym == "HEALTH"}
    assert field_people <= demo.FIELD_AREAS
    found = duplicate_candidates(make_user("coordinator"))
    print(f"\ndemo duplicates: {len(found)}")
    assert 4 <= len(found) <= 6
    demo.load(stdout=out)
    assert Person.objects.count() == demo.PEOPLE
