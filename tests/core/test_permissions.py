"""Access by organisation and area: nothing leaks across areas (API and pages)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination.models import Presence
from reliefops.core.actions import Action
from reliefops.core.errors import Forbidden
from reliefops.core.permissions import (
    allowed_area_ids,
    require,
    scope_queryset,
    user_can,
)
from reliefops.places.models import AdminArea
from reliefops.places.selectors import admin_area_descendant_ids
from tests.accounts.factories import OrganisationFactory, UserFactory, make_user
from tests.places.factories import AdminAreaFactory

AREA_CODES = ["T1", "T1-A", "T1-B", "T1-A-x", "T2", "T2-A"]


def _build_tree() -> dict[str, AdminArea]:
    areas: dict[str, AdminArea] = {}
    for code in AREA_CODES:
        parent_code = code.rsplit("-", 1)[0] if "-" in code else None
        areas[code] = AdminAreaFactory(
            code=code,
            level=code.count("-") + 1,
            parent=areas.get(parent_code) if parent_code else None,
        )
    return areas


@pytest.fixture
def tree(db: None) -> dict[str, AdminArea]:
    return _build_tree()


def test_membership_covers_descendant_areas(tree: dict[str, AdminArea]) -> None:
    user = make_user(Role.PARTNER, areas=[tree["T1-A"]])
    assert allowed_area_ids(user) == {tree["T1-A"].id, tree["T1-A-x"].id}
    assert user_can(user, Action.VIEW, area=tree["T1-A-x"])
    assert not user_can(user, Action.VIEW, area=tree["T1-B"])
    assert admin_area_descendant_ids([tree["T1"].id]) == {
        tree[c].id for c in ("T1", "T1-A", "T1-B", "T1-A-x")
    }


def test_partner_without_areas_sees_nothing_but_coordinator_without_areas_is_national(
    tree: dict[str, AdminArea],
) -> None:
    partner = make_user(Role.PARTNER)
    coordinator = make_user(Role.COORDINATOR)
    assert allowed_area_ids(partner) == set()
    assert allowed_area_ids(coordinator) is None
    assert not user_can(partner, Action.VIEW, area=tree["T1"])
    assert user_can(coordinator, Action.REQUEST_APPROVE, area=tree["T2-A"])


def test_partner_acts_only_for_own_organisation(tree: dict[str, AdminArea]) -> None:
    own, other = OrganisationFactory(), OrganisationFactory()
    partner = make_user(Role.PARTNER, areas=[tree["T1"]], organisation=own)
    require(partner, Action.PRESENCE_EDIT, area=tree["T1-A"], organisation=own)
    with pytest.raises(Forbidden):
        require(partner, Action.PRESENCE_EDIT, area=tree["T1-A"], organisation=other)
    with pytest.raises(Forbidden):
        require(partner, Action.REQUEST_APPROVE, area=tree["T1-A"])
    with pytest.raises(Forbidden):
        require(partner, Action.PRESENCE_EDIT, area=tree["T2"], organisation=own)


def test_inactive_membership_and_anonymous_grant_nothing(tree: dict[str, AdminArea]) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.COORDINATOR)
    user.memberships.update(is_active=False)
    assert not user_can(user, Action.VIEW)
    assert scope_queryset(AnonymousUser(), Presence.objects.all()).count() == 0
    assert not user_can(AnonymousUser(), Action.VIEW)


memberships_strategy = st.lists(
    st.tuples(
        st.sampled_from([Role.PARTNER, Role.FIELD, Role.VIEWER, Role.LOGISTICS, Role.COORDINATOR]),
        st.lists(st.sampled_from(AREA_CODES), max_size=3, unique=True),
    ),
    min_size=0,
    max_size=3,
    unique_by=lambda m: m[0],
)


def _expected_codes(memberships: list[tuple[str, list[str]]]) -> set[str] | None:
    allowed: set[str] = set()
    for role, codes in memberships:
        if not codes:
            if role == Role.COORDINATOR:
                return None
            continue
        for code in codes:
            allowed.update(c for c in AREA_CODES if c == code or c.startswith(code + "-"))
    return allowed


class TestScopingProperty(HypothesisTestCase):
    @settings(max_examples=25, deadline=None)
    @given(memberships=memberships_strategy)
    def test_scoping_never_leaks_across_areas(
        self, memberships: list[tuple[str, list[str]]]
    ) -> None:
        """For random memberships, API list/detail and the page show exactly the allowed rows."""
        from reliefops.accounts.models import Membership

        areas = _build_tree()
        org = OrganisationFactory(acronym="OWN")
        other = OrganisationFactory(acronym="OTHER")
        presences = {
            code: Presence.objects.create(
                organisation=other if i % 2 else org,
                area=areas[code],
                sector="food",
                activity=f"activity-{code}",
            )
            for i, code in enumerate(AREA_CODES)
        }
        user = UserFactory()
        for role, codes in memberships:
            membership = Membership.objects.create(user=user, organisation=org, role=role)
            membership.areas.set([areas[c] for c in codes])
        expected = _expected_codes(memberships)
        expected_codes = set(AREA_CODES) if expected is None else expected

        api = APIClient()
        api.force_authenticate(user)
        response = api.get("/api/v1/presence/", {"page_size": 100})
        assert response.status_code == 200
        assert {row["area"] for row in response.json()["results"]} == expected_codes
        for code, presence in presences.items():
            detail = api.get(f"/api/v1/presence/{presence.id}/")
            assert detail.status_code == (200 if code in expected_codes else 404), code
            if detail.status_code == 404:
                assert detail.json()["error"]["code"] == "not_found"

        page = Client()
        page.force_login(user)
        html = page.get("/coordination/presence/").content.decode()
        for code in AREA_CODES:
            assert (f"activity-{code}<" in html) == (code in expected_codes), code
