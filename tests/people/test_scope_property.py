"""Reads of the registry never leak across areas: for random memberships, the person
list, a person's lookup, the ``people`` export and the reveal see exactly the people of
the user's areas (and only roles that read people see anyone)."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase

from reliefops.accounts.choices import Role
from reliefops.accounts.models import Membership
from reliefops.core import exchange as ex
from reliefops.core.errors import Forbidden, NotFound
from reliefops.people.selectors import person_list, person_lookup
from reliefops.people.services import identity_reveal
from tests.accounts.factories import OrganisationFactory, UserFactory
from tests.people.factories import PersonFactory, consent_all
from tests.places.factories import AdminAreaFactory
from tests.stock.factories import PlaceFactory

CODES = ["Q1", "Q1-A", "Q2"]
READERS = {Role.FIELD, Role.COORDINATOR, Role.DPO}
NATIONAL = {Role.COORDINATOR, Role.DPO}
memberships = st.lists(
    st.tuples(
        st.sampled_from([Role.FIELD, Role.COORDINATOR, Role.DPO, Role.VIEWER, Role.PARTNER]),
        st.lists(st.sampled_from(CODES), max_size=2, unique=True),
    ),
    max_size=3,
    unique_by=lambda m: m[0],
)


def _expected(chosen: list[tuple[str, list[str]]]) -> set[str]:
    allowed: set[str] = set()
    for role, codes in chosen:
        if role not in READERS:
            continue
        if not codes:
            if role in NATIONAL:
                return set(CODES)
            continue
        allowed.update(c for c in CODES if any(c == k or c.startswith(k + "-") for k in codes))
    return allowed


class TestPeopleScopeProperty(HypothesisTestCase):
    @settings(max_examples=15, deadline=None)
    @given(chosen=memberships)
    def test_people_reads_stay_in_the_users_areas(
        self, chosen: list[tuple[str, list[str]]]
    ) -> None:
        areas = {}
        for code in CODES:
            parent = areas.get(code.rsplit("-", 1)[0]) if "-" in code else None
            areas[code] = AdminAreaFactory(code=code, level=code.count("-") + 1, parent=parent)
        people = {}
        for code, area in areas.items():
            person = PersonFactory(place=PlaceFactory(admin1=area), full_name=f"Secret {code}")
            consent_all(person)
            people[code] = person
        user = UserFactory()
        org = OrganisationFactory()
        for role, codes in chosen:
            membership = Membership.objects.create(user=user, organisation=org, role=role)
            membership.areas.set([areas[c] for c in codes])
        expected = _expected(chosen)

        seen = {p.area.code for p in person_list(user)}
        assert seen == expected
        stream = io.BytesIO()
        try:
            ex.export_write(kind="people", stream=stream, actor=user)
        except Forbidden:
            assert not chosen  # every role may export; nobody without a membership
        text = stream.getvalue().decode("utf-8-sig")
        assert "Secret" not in text
        for code, person in people.items():
            assert (person.reference in text) == (code in expected), code
            try:
                person_lookup(user, person.reference)
                found = True
            except NotFound:
                found = False
            assert found == (code in expected), code
            try:
                identity_reveal(actor=user, person=person, fields=["full_name"], purpose="visit")
                revealed = True
            except Forbidden:
                revealed = False
            assert revealed == (code in expected), code
