"""Access by organisation and area: nothing leaks across areas (API and pages)."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase as HypothesisTestCase
from rest_framework.test import APIClient

from reliefops.accounts.choices import Role
from reliefops.coordination.models import Activity
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
    require(partner, Action.ACTIVITY_EDIT, area=tree["T1-A"], organisation=own)
    with pytest.raises(Forbidden):
        require(partner, Action.ACTIVITY_EDIT, area=tree["T1-A"], organisation=other)
    with pytest.raises(Forbidden):
        require(partner, Action.REQUEST_APPROVE, area=tree["T1-A"])
    with pytest.raises(Forbidden):
        require(partner, Action.ACTIVITY_EDIT, area=tree["T2"], organisation=own)


def test_inactive_membership_and_anonymous_grant_nothing(tree: dict[str, AdminArea]) -> None:
    from django.contrib.auth.models import AnonymousUser

    user = make_user(Role.COORDINATOR)
    user.memberships.update(is_active=False)
    assert not user_can(user, Action.VIEW)
    assert scope_queryset(AnonymousUser(), Activity.objects.all()).count() == 0
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
        activities = {
            code: Activity.objects.create(
                reference=f"4W-{code}",
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
        response = api.get("/api/v1/activities/", {"page_size": 100})
        assert response.status_code == 200
        assert {row["area"] for row in response.json()["results"]} == expected_codes
        for code, activity in activities.items():
            detail = api.get(f"/api/v1/activities/{activity.reference}/")
            assert detail.status_code == (200 if code in expected_codes else 404), code
            if detail.status_code == 404:
                assert detail.json()["error"]["code"] == "not_found"

        page = Client()
        page.force_login(user)
        html = page.get("/coordination/activities/").content.decode()
        for code in AREA_CODES:
            assert (f"activity-{code}<" in html) == (code in expected_codes), code


# --------------------------------------------------------------------------- convoy cargo

ORG_KEYS = ["OWN", "OTHER", "THIRD"]
cargo_memberships = st.lists(
    st.tuples(
        st.sampled_from([Role.PARTNER, Role.FIELD, Role.VIEWER, Role.LOGISTICS, Role.COORDINATOR]),
        st.lists(st.sampled_from(AREA_CODES), max_size=2, unique=True),
        st.sampled_from(["OWN", "OTHER"]),
    ),
    min_size=0,
    max_size=3,
    unique_by=lambda m: (m[0], m[2]),
)


def _covers(codes: list[str], role: str, area: str) -> bool:
    if not codes:
        return role == Role.COORDINATOR
    return any(area == c or area.startswith(c + "-") for c in codes)


class TestCargoScopingProperty(HypothesisTestCase):
    @settings(max_examples=10, deadline=None)
    @given(memberships=cargo_memberships)
    def test_a_requester_sees_its_own_cargo_and_staff_their_convoys(
        self, memberships: list[tuple[str, list[str], str]]
    ) -> None:
        """Convoys of two organisations in every area carry requests of three; for random
        memberships the consignments API and the convoy list show exactly the lines the
        rule allows: all of a convoy of one's own organisation (any, for a coordinator)
        leaving from or stopping in one's areas, else only one's own organisation's
        requests in one's areas."""
        import datetime as dt
        from decimal import Decimal

        from reliefops.accounts.models import Membership
        from reliefops.logistics.models import (
            ConsignmentLine,
            Convoy,
            ConvoyStop,
            ConvoyVehicle,
            Vehicle,
        )
        from reliefops.needs.models import Request, RequestLine
        from tests.stock.factories import (
            FacilityFactory,
            ItemFactory,
            PlaceFactory,
            WarehouseFactory,
        )

        areas = _build_tree()
        orgs = {key: OrganisationFactory(acronym=key) for key in ORG_KEYS}
        item = ItemFactory(code="CARGO")
        # line id → (convoy area, stop area, convoy org, request area, request org)
        lines: dict[str, tuple[str, str, str, str, str]] = {}
        for i, code in enumerate(AREA_CODES):
            facility = FacilityFactory(place__admin1=areas[code])
            warehouse = WarehouseFactory(facility=facility)
            for convoy_org in ("OWN", "OTHER"):
                convoy = Convoy.objects.create(
                    code=f"CV-{code}-{convoy_org}",
                    departure_date=dt.date(2023, 10, 2),
                    origin=warehouse,
                    organisation=orgs[convoy_org],
                    area=areas[code],
                )
                # The stop lies in the next area: a convoy is seen where it goes too.
                stop_code = AREA_CODES[(i + 3) % len(AREA_CODES)]
                stop = ConvoyStop.objects.create(
                    convoy=convoy, sequence=1, place=PlaceFactory(admin1=areas[stop_code])
                )
                vehicle = Vehicle.objects.create(
                    registration=f"V-{code}-{convoy_org}",
                    kind="truck",
                    organisation=orgs[convoy_org],
                    capacity_kg=Decimal(1000),
                )
                carrier = ConvoyVehicle.objects.create(
                    convoy=convoy, vehicle=vehicle, tracking_number=f"T-{code}-{convoy_org}"
                )
                for j, request_org in enumerate(ORG_KEYS):
                    request_area = AREA_CODES[(i + j + 1) % len(AREA_CODES)]
                    request = Request.objects.create(
                        reference=f"R-{code}-{convoy_org}-{request_org}",
                        requester_kind="facility",
                        facility=facility,
                        place=facility.place,
                        area=areas[request_area],
                        organisation=orgs[request_org],
                        needed_from=dt.date(2023, 10, 1),
                        needed_by=dt.date(2023, 10, 31),
                        status="dispatched",
                    )
                    request_line = RequestLine.objects.create(
                        request=request, item=item, quantity=Decimal(5), unit="kg"
                    )
                    line = ConsignmentLine.objects.create(
                        carrier=carrier,
                        stop=stop,
                        request_line=request_line,
                        item=item,
                        quantity=Decimal(5),
                    )
                    lines[str(line.pk)] = (code, stop_code, convoy_org, request_area, request_org)
        user = UserFactory()
        for role, codes, org in memberships:
            membership = Membership.objects.create(user=user, organisation=orgs[org], role=role)
            membership.areas.set([areas[c] for c in codes])

        def visible(
            convoy_area: str, stop_area: str, convoy_org: str, request_area: str, request_org: str
        ) -> bool:
            for role, codes, org in memberships:
                staff = role == Role.COORDINATOR or org == convoy_org
                if staff and (_covers(codes, role, convoy_area) or _covers(codes, role, stop_area)):
                    return True
                if org == request_org and _covers(codes, role, request_area):
                    return True
            return False

        expected = {pk for pk, facts in lines.items() if visible(*facts)}
        api = APIClient()
        api.force_authenticate(user)
        rows = api.get("/api/v1/consignments/", {"page_size": 500}).json()["results"]
        got = {row["id"] for row in rows}
        assert got == expected, (
            [lines[pk] for pk in got - expected],
            [lines[pk] for pk in expected - got],
        )
        convoys = api.get("/api/v1/convoys/", {"page_size": 500}).json()["results"]
        expected_convoys = {f"CV-{lines[pk][0]}-{lines[pk][2]}" for pk in expected}
        assert {row["code"] for row in convoys} == expected_convoys
        page = Client()
        page.force_login(user)
        html = page.get("/logistics/convoys/", {"page_size": 200}).content.decode()
        all_convoys = {f"CV-{facts[0]}-{facts[2]}" for facts in lines.values()}
        for code in all_convoys:
            assert (f">{code}<" in html) == (code in expected_convoys), code
        for code in expected_convoys:  # the convoy page lists exactly the visible lines
            html = page.get(f"/logistics/convoys/{code}/").content.decode()
            for pk, facts in lines.items():
                if f"CV-{facts[0]}-{facts[2]}" == code:
                    reference = f"R-{facts[0]}-{facts[2]}-{facts[4]}"
                    assert (reference in html) == (pk in expected), (code, reference)


# --------------------------------------------------------------------------- people served

PEOPLE_ROLES = [Role.FIELD, Role.COORDINATOR, Role.DPO, Role.PARTNER, Role.LOGISTICS, Role.VIEWER]
#: Roles that read the registry's (pseudonymous) records; the others see counts only.
PEOPLE_READERS = {Role.FIELD, Role.COORDINATOR, Role.DPO}
people_memberships = st.lists(
    st.tuples(
        st.sampled_from(PEOPLE_ROLES),
        st.lists(st.sampled_from(AREA_CODES), max_size=2, unique=True),
        st.sampled_from(["OWN", "OTHER"]),
    ),
    min_size=0,
    max_size=3,
    unique_by=lambda m: m[0],
)


class TestPeopleScopingProperty(HypothesisTestCase):
    @settings(max_examples=10, deadline=None)
    @given(memberships=people_memberships)
    def test_people_visits_and_rounds_are_seen_only_in_ones_areas(
        self, memberships: list[tuple[str, list[str], str]]
    ) -> None:
        """A person (registered by either organisation, visited, on a round) in every
        area; for random memberships the people API, the people page, the due list, the
        visits API and the people and visits exports show exactly the people of the areas
        a reading role covers (a joint team serves people registered by any
        organisation); partners, logistics and viewers see none."""
        import datetime as dt
        import io

        from django.utils import timezone

        from reliefops.accounts.models import Membership
        from reliefops.core.exchange.exporting import export_write
        from reliefops.teams.models import CoverageRule, Round, RoundStop, Team, Visit
        from tests.people.factories import PersonFactory, consent_all
        from tests.stock.factories import PlaceFactory

        areas = _build_tree()
        orgs = {key: OrganisationFactory(acronym=key) for key in ("OWN", "OTHER")}
        team = Team.objects.create(
            code="PT-1",
            name="Joint team",
            kind="mobile_medical",
            organisation=orgs["OWN"],
            area=areas["T1"],
        )
        rnd = Round.objects.create(
            reference="RD-PT-1", team=team, date=timezone.localdate(), area=areas["T1"]
        )
        CoverageRule.objects.create(
            code="ALONE", name="Lives alone", lives_alone=True, interval_days=7
        )  # every person (living alone, visited 30 days ago) is due
        refs: dict[str, str] = {}
        for i, code in enumerate(AREA_CODES):
            place = PlaceFactory(admin1=areas[code])
            person = PersonFactory(
                reference=f"P-S{i}",
                place=place,
                area=areas[code],
                organisation=orgs["OWN" if i % 2 else "OTHER"],
            )
            consent_all(person)
            Visit.objects.create(
                person=person,
                team=team,
                place=place,
                area=areas[code],
                visited_at=timezone.now() - dt.timedelta(days=30),
            )
            RoundStop.objects.create(round=rnd, sequence=i + 1, person=person, place=place)
            refs[person.reference] = code
        user = UserFactory()
        for role, codes, org in memberships:
            membership = Membership.objects.create(user=user, organisation=orgs[org], role=role)
            membership.areas.set([areas[c] for c in codes])
        expected = {
            ref
            for ref, code in refs.items()
            if any(
                role in PEOPLE_READERS
                and (_covers(codes, Role.COORDINATOR if role != Role.FIELD else role, code))
                for role, codes, _org in memberships
            )
        }

        api = APIClient()
        api.force_authenticate(user)
        listed = api.get("/api/v1/people/", {"page_size": 100})
        if expected:
            assert listed.status_code == 200
        got = (
            {row["reference"] for row in listed.json().get("results", [])}
            if listed.status_code == 200
            else set()
        )
        assert got == expected
        for ref in refs:
            detail = api.get(f"/api/v1/people/{ref}/")
            assert detail.status_code in ((200,) if ref in expected else (403, 404)), ref
        visits = api.get("/api/v1/visits/", {"page_size": 100})
        seen = (
            {row["person"] for row in visits.json().get("results", [])}
            if visits.status_code == 200
            else set()
        )
        assert seen == expected
        page = Client()
        page.force_login(user)
        for url in ("/people/", "/teams/due/"):
            html = page.get(url, {"page_size": 200}).content.decode()
            for ref in refs:
                assert (f"{ref}<" in html) == (ref in expected), (url, ref)
        # the round is seen by whoever covers the team's area, its stops only where the
        # viewer may read the person
        response = page.get("/teams/rounds/RD-PT-1/")
        html = response.content.decode()
        for ref in refs:
            shown = response.status_code == 200 and ref in expected
            assert (f"{ref}<" in html) == shown, ("round", response.status_code, ref)
        for kind in ("people", "visits"):
            stream = io.BytesIO()
            try:
                export_write(kind=kind, stream=stream, actor=user)
            except Forbidden:
                assert not expected
                continue
            text = stream.getvalue().decode()
            for ref in refs:
                assert (ref in text) == (ref in expected), (kind, ref)
