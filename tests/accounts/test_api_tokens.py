"""Scoped API tokens: created once, stored hashed, refused when expired, revoked or unknown,
read-only refused on writes, and limited to one organisation of the owner — through the
real API client and the real permission check."""

from __future__ import annotations

import datetime as dt
import hashlib
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client, override_settings
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from reliefops.accounts.models import ApiToken
from reliefops.accounts.services import api_token_create
from reliefops.core.models import AuditEvent
from reliefops.needs import services as needs
from reliefops.needs.models import Request
from tests.accounts.factories import MembershipFactory, OrganisationFactory, make_user
from tests.stock.factories import FacilityFactory, ItemFactory

pytestmark = pytest.mark.django_db


def _client(key: str, keyword: str = "Bearer") -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"{keyword} {key}")
    return client


@pytest.fixture
def two_orgs() -> dict[str, Any]:
    """A partner of org A (area of facility A) and of org B (area of facility B), and one
    request of each organisation in its area."""
    org_a = OrganisationFactory(acronym="ORGA")
    org_b = OrganisationFactory(acronym="ORGB")
    fac_a = FacilityFactory(kind="kindergarten")
    fac_b = FacilityFactory(kind="kindergarten")
    assert fac_a.place.admin1 != fac_b.place.admin1
    diesel = ItemFactory(code="DSL", unit="litre", category="fuel")
    user = make_user("partner", areas=[fac_a.place.admin1], organisation=org_a)
    MembershipFactory(user=user, organisation=org_b, role="partner", areas=[fac_b.place.admin1])
    requests = {}
    for tag, org, facility in (("A", org_a, fac_a), ("B", org_b, fac_b)):
        requests[tag] = needs.request_submit(
            actor=user,
            data=needs.RequestInput(
                requester_kind="facility",
                organisation=org,
                facility=facility,
                lines=[needs.LineInput(quantity=Decimal(100), item=diesel)],
                needed_from=dt.date(2023, 10, 1),
                needed_by=dt.date(2023, 10, 31),
            ),
        )
    return {
        "user": user,
        "org_a": org_a,
        "org_b": org_b,
        "fac_a": fac_a,
        "fac_b": fac_b,
        "requests": requests,
    }


def _request_body(facility: Any, org: str) -> dict[str, Any]:
    return {
        "requester_kind": "facility",
        "facility": facility.code,
        "organisation": org,
        "needed_from": "2023-12-01",
        "needed_by": "2023-12-09",
        "lines": [{"item": "DSL", "quantity": "3"}],
        "confirm_duplicate": True,
    }


def _create(api: APIClient, **body: Any) -> Any:
    return api.post("/api/v1/auth/tokens/", {"name": "sync", **body}, format="json")


def test_a_token_is_created_once_and_stored_hashed_and_audited(two_orgs: dict[str, Any]) -> None:
    user = two_orgs["user"]
    api = APIClient()
    api.force_authenticate(user)
    response = _create(api, scope="read", organisation="ORGA")
    assert response.status_code == 201, response.content
    body = response.json()
    key = body["key"]
    assert key.startswith("ro_pat_") and len(key) > 40
    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {token.key_hash, token.key_prefix} and key.startswith(token.key_prefix)
    # 90 days by default.
    days = (token.expires_at - timezone.now()).total_seconds() / 86400
    assert 89.9 < days <= 90
    # The key is never shown again: the list has no key.
    listed = api.get("/api/v1/auth/tokens/").json()
    assert [t["id"] for t in listed] == [str(token.pk)] and "key" not in listed[0]
    assert listed[0]["status"] == "active" and listed[0]["organisation"] == "ORGA"
    event = AuditEvent.objects.get(action="api_token.create", object_id=str(token.pk))
    assert key not in str(event.after) and event.after["scope"] == "read"
    # The key works with either keyword; last used is recorded.
    for keyword in ("Bearer", "Token"):
        assert _client(key, keyword).get("/api/v1/me/").status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_refused_input(two_orgs: dict[str, Any]) -> None:
    api = APIClient()
    api.force_authenticate(two_orgs["user"])
    other = OrganisationFactory(acronym="ORGX")
    for body, field in [
        ({"scope": "read", "organisation": other.acronym}, "organisation"),
        ({"scope": "admin", "organisation": "ORGA"}, "scope"),
        ({"scope": "read", "organisation": "ORGA", "expires_in_days": 366}, "expires_in_days"),
        ({"scope": "read", "organisation": "ORGA", "expires_in_days": 0}, "expires_in_days"),
    ]:
        response = _create(api, **body)
        assert response.status_code == 400, (body, response.content)
        assert field in str(response.json()["error"]), response.json()
    assert not ApiToken.objects.exists()


def test_expired_revoked_and_unknown_keys_are_refused(two_orgs: dict[str, Any]) -> None:
    user = two_orgs["user"]
    admin = make_user("admin")
    tokens = {}
    for name in ("expired", "by_owner", "by_admin"):
        tokens[name] = api_token_create(
            actor=user, name=name, scope="read_write", organisation=two_orgs["org_a"]
        )
    ApiToken.objects.filter(pk=tokens["expired"][0].pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    # The owner revokes one (with a session), an administrator another (with the API).
    owner = APIClient()
    owner.force_authenticate(user)
    assert owner.delete(f"/api/v1/auth/tokens/{tokens['by_owner'][0].pk}/").status_code == 204
    staff = APIClient()
    staff.force_authenticate(admin)
    assert staff.delete(f"/api/v1/auth/tokens/{tokens['by_admin'][0].pk}/").status_code == 204
    revoked = ApiToken.objects.get(pk=tokens["by_admin"][0].pk)
    assert revoked.revoked_by == admin and revoked.status() == "revoked"
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=admin).count() == 1
    assert AuditEvent.objects.filter(action="api_token.revoke", actor=user).count() == 1

    expected = {
        "expired": "token_expired",
        "by_owner": "token_revoked",
        "by_admin": "token_revoked",
    }
    for name, code in expected.items():
        response = _client(tokens[name][1]).get("/api/v1/me/")
        assert response.status_code == 401, name
        assert response.json()["error"]["code"] == code
        assert response["WWW-Authenticate"] == "Token"
    for unknown in ("ro_pat_" + "x" * 43, tokens["by_owner"][1] + "x"):
        response = _client(unknown).get("/api/v1/me/")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "authentication_failed"


def test_another_user_cannot_revoke_or_see_a_token(two_orgs: dict[str, Any]) -> None:
    token, key = api_token_create(
        actor=two_orgs["user"], name="mine", scope="read", organisation=two_orgs["org_a"]
    )
    stranger = APIClient()
    stranger.force_authenticate(make_user("coordinator"))
    assert stranger.delete(f"/api/v1/auth/tokens/{token.pk}/").status_code == 404
    assert stranger.get("/api/v1/auth/tokens/").json() == []
    assert stranger.get("/api/v1/auth/tokens/?all=true").status_code == 403
    assert _client(key).get("/api/v1/me/").status_code == 200


def test_a_read_token_is_refused_any_write(two_orgs: dict[str, Any]) -> None:
    _token, key = api_token_create(
        actor=two_orgs["user"], name="read", scope="read", organisation=two_orgs["org_a"]
    )
    api = _client(key)
    assert api.get("/api/v1/requests/").status_code == 200
    before = Request.objects.count()
    response = api.post(
        "/api/v1/requests/", _request_body(two_orgs["fac_a"], "ORGA"), format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_read_only"
    assert Request.objects.count() == before
    # Nor may it make another token (or revoke itself).
    assert _create(api, scope="read_write", organisation="ORGA").status_code == 403
    assert api.delete("/api/v1/auth/token/").status_code == 403


def test_a_token_acts_only_for_its_organisation(two_orgs: dict[str, Any]) -> None:
    user = two_orgs["user"]
    req_a, req_b = two_orgs["requests"]["A"], two_orgs["requests"]["B"]
    # The user's full access (a password-obtained token) reads both organisations' requests.
    full = _client(Token.objects.create(user=user).key, "Token")
    ids = {r["id"] for r in full.get("/api/v1/requests/").json()["results"]}
    assert {str(req_a.pk), str(req_b.pk)} <= ids

    _token, key = api_token_create(
        actor=user, name="A only", scope="read_write", organisation=two_orgs["org_a"]
    )
    api = _client(key)
    ids = {r["id"] for r in api.get("/api/v1/requests/").json()["results"]}
    assert str(req_a.pk) in ids and str(req_b.pk) not in ids
    assert api.get(f"/api/v1/requests/{req_a.pk}/").status_code == 200
    assert api.get(f"/api/v1/requests/{req_b.pk}/").status_code == 404
    assert [m["organisation"] for m in api.get("/api/v1/me/").json()["memberships"]] != []
    # Writes: org A's area yes, org B's no (neither for org B nor in org B's area).
    before = Request.objects.count()
    ok = api.post("/api/v1/requests/", _request_body(two_orgs["fac_a"], "ORGA"), format="json")
    assert ok.status_code == 201, ok.content
    for facility, org in ((two_orgs["fac_b"], "ORGB"), (two_orgs["fac_a"], "ORGB")):
        refused = api.post("/api/v1/requests/", _request_body(facility, org), format="json")
        assert refused.status_code in {400, 403}, refused.content
    assert Request.objects.count() == before + 1
    # A scoped token cannot widen itself by making another token.
    response = _create(api, scope="read_write", organisation="ORGB")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "token_not_allowed"


def test_a_superusers_token_is_limited_too(two_orgs: dict[str, Any]) -> None:
    user = two_orgs["user"]
    user.is_superuser = True
    user.save()
    _token, key = api_token_create(
        actor=user, name="A only", scope="read", organisation=two_orgs["org_a"]
    )
    ids = {r["id"] for r in _client(key).get("/api/v1/requests/").json()["results"]}
    assert str(two_orgs["requests"]["B"].pk) not in ids


@override_settings(RELIEFOPS_OTP_ROLES=["partner"])
def test_creating_a_token_needs_the_second_factor_but_using_one_does_not(
    two_orgs: dict[str, Any],
) -> None:
    user = two_orgs["user"]
    # An unverified session is held at the second factor (the API too).
    client = Client()
    client.force_login(user)
    assert client.post("/api/v1/auth/tokens/", {"name": "x"}).status_code == 403
    response = client.post("/accounts/tokens/", {"name": "x", "scope": "read"})
    assert response.status_code == 302 and "two-factor" in response["Location"]
    assert not ApiToken.objects.exists()
    # The service refuses an actor that has not entered the second factor.
    with pytest.raises(Exception, match="second factor"):
        api_token_create(actor=user, name="x", scope="read", organisation=two_orgs["org_a"])
    # A token made while verified is used without the second factor.
    user.is_verified = lambda: True  # type: ignore[attr-defined]
    _token, key = api_token_create(
        actor=user, name="x", scope="read", organisation=two_orgs["org_a"]
    )
    assert _client(key).get("/api/v1/me/").status_code == 200


def test_the_pages_create_show_the_key_once_and_revoke(two_orgs: dict[str, Any]) -> None:
    user = two_orgs["user"]
    client = Client()
    client.force_login(user)
    page = client.get("/accounts/tokens/")
    assert page.status_code == 200 and "ORGA" in page.content.decode()
    response = client.post(
        "/accounts/tokens/",
        {
            "name": "Kobo",
            "scope": "read_write",
            "organisation": str(two_orgs["org_b"].pk),
            "expires_in_days": "30",
        },
    )
    assert response.status_code == 201
    token = ApiToken.objects.get()
    html = response.content.decode()
    key = response.context["key"]
    assert key in html and token.organisation == two_orgs["org_b"]
    assert key not in client.get("/accounts/tokens/").content.decode()
    # Not the owner's organisation: refused on the page.
    bad = client.post(
        "/accounts/tokens/",
        {"name": "x", "scope": "read", "organisation": str(OrganisationFactory().pk)},
    )
    assert bad.status_code == 400 and ApiToken.objects.count() == 1
    # Another (non-admin) user cannot revoke it; the owner can.
    stranger = Client()
    stranger.force_login(make_user("coordinator"))
    assert stranger.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    assert stranger.get("/accounts/tokens/all/").status_code == 403
    assert client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 302
    token.refresh_from_db()
    assert token.revoked_by == user
    assert _client(key).get("/api/v1/me/").json()["error"]["code"] == "token_revoked"


def test_an_administrator_lists_and_revokes_anyones_token(two_orgs: dict[str, Any]) -> None:
    token, key = api_token_create(
        actor=two_orgs["user"], name="field phone", scope="read", organisation=two_orgs["org_a"]
    )
    admin = Client()
    admin.force_login(make_user("admin"))
    page = admin.get("/accounts/tokens/all/")
    assert page.status_code == 200 and "field phone" in page.content.decode()
    response = admin.post(f"/accounts/tokens/{token.pk}/revoke/", {"from": "admin"})
    assert response.status_code == 302 and response["Location"].endswith("/accounts/tokens/all/")
    assert _client(key).get("/api/v1/me/").status_code == 401
    assert "field phone" in admin.get("/accounts/tokens/all/?status=revoked").content.decode()


def test_jobs_started_with_a_token_keep_its_limit_or_are_refused(
    two_orgs: dict[str, Any], settings: Any, tmp_path: Any
) -> None:
    """A worker reloads the user with all their memberships, so what a scoped token starts
    runs in its own request (an import, however large) or is refused (a plan run)."""
    from reliefops.core.errors import Forbidden
    from reliefops.core.permissions import ActorLimit, limit_actor
    from reliefops.dayplans.models import PlanRun
    from reliefops.dayplans.services.runs import plan_run_start
    from reliefops.intake.services import import_run_start

    settings.IMPORT_BACKGROUND_ROWS = 2
    coordinator = make_user("coordinator", organisation=two_orgs["org_a"])
    path = tmp_path / "items.csv"
    path.write_text("code,category,unit,name_en\nTK1,food,kg,One\nTK2,food,kg,Two\n")
    assert import_run_start(actor=coordinator, kind="items", path=path, source="api").background
    limit_actor(coordinator, ActorLimit(organisation_id=two_orgs["org_a"].pk))
    run = import_run_start(actor=coordinator, kind="items", path=path, source="api")
    assert not run.background and run.status == "succeeded", run.status
    with pytest.raises(Forbidden) as refused:
        plan_run_start(actor=coordinator, day=dt.date(2023, 10, 2))
    assert refused.value.code == "token_not_allowed"
    assert not PlanRun.objects.exists()
