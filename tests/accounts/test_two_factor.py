"""The second factor (issue 16): TOTP for the roles of RELIEFOPS_OTP_ROLES (production:
administrators, coordinators, data-protection officers), for users flagged
``otp_required`` and for users who set one up; set-up, sign-in, the API, the token
endpoint, throttling, audit, the production default and the demo."""

from __future__ import annotations

import subprocess
import sys
import time
from typing import Any

import pytest
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from reliefops.accounts.choices import Role
from reliefops.core.models import AuditEvent
from tests.accounts.factories import make_user
from tests.core.test_production import ROOT, production_env

pytestmark = pytest.mark.django_db

PASSWORD = "a long pass phrase 2023"


@pytest.fixture(autouse=True)
def production_roles(settings: Any) -> None:
    settings.RELIEFOPS_OTP_ROLES = ["admin", "coordinator", "dpo"]


def _user(role: str = Role.COORDINATOR) -> Any:
    user = make_user(role)
    user.set_password(PASSWORD)
    user.save()
    return user


def _signed_in(user: Any) -> Client:
    client = Client()
    assert (
        client.post("/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    )
    return client


def _code(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, drift=drift):06d}"


def test_a_coordinator_sets_up_an_app_then_gets_in() -> None:
    user = _user()
    client = _signed_in(user)
    held = client.get("/needs/requests/")
    assert held.status_code == 302
    assert held["Location"] == "/accounts/two-factor/setup/?next=%2Fneeds%2Frequests%2F"
    page = client.get(held["Location"]).content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.split('id="otp-secret">')[1].split("<")[0]
    assert len(secret) >= 26 and "<svg" in page
    wrong = client.post(
        "/accounts/two-factor/setup/", {"otp": "000000", "next": "/needs/requests/"}
    )
    assert (
        wrong.status_code == 400 and "The code is wrong or has expired." in wrong.content.decode()
    )
    time.sleep(1.1)  # django-otp's throttle: 1 s after the first wrong code
    device.refresh_from_db()
    answer = client.post(
        "/accounts/two-factor/setup/", {"otp": _code(device, drift=1), "next": "/needs/requests/"}
    )
    assert answer.status_code == 302 and answer["Location"] == "/needs/requests/"
    assert client.get("/needs/requests/").status_code == 200
    assert TOTPDevice.objects.get(user=user).confirmed
    assert AuditEvent.objects.filter(action="two_factor.enrol", actor=user).count() == 1


def test_the_next_sign_in_asks_for_the_code_and_refuses_a_wrong_one() -> None:
    user = _user(Role.DPO)
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = _signed_in(user)
    assert client.get("/").headers["Location"].startswith("/accounts/two-factor/?next=")
    wrong = client.post("/accounts/two-factor/", {"otp": "123 456"})
    assert wrong.status_code == 400
    assert AuditEvent.objects.filter(action="two_factor.failure", actor=user).count() == 1
    # django-otp throttles: right after a failure even the right code must wait
    throttled = client.post("/accounts/two-factor/", {"otp": _code(device)})
    assert throttled.status_code == 400 and "Too many wrong codes" in throttled.content.decode()
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0)
    assert client.post("/accounts/two-factor/", {"otp": _code(device)}).status_code == 302
    assert client.get("/").status_code == 200


def test_until_verified_the_api_refuses_with_the_json_error() -> None:
    client = _signed_in(_user(Role.ADMIN))
    answer = client.get("/api/v1/requests/")
    assert answer.status_code == 403
    assert answer.json()["error"]["code"] == "second_factor_required"


def test_roles_outside_the_setting_sign_in_with_the_password_only(settings: Any) -> None:
    client = _signed_in(_user(Role.PARTNER))
    assert client.get("/").status_code == 200
    settings.RELIEFOPS_OTP_ROLES = []
    assert _signed_in(_user(Role.COORDINATOR)).get("/").status_code == 200
    flagged = _user(Role.VIEWER)
    flagged.otp_required = True
    flagged.save()
    assert _signed_in(flagged).get("/").status_code == 302  # the user's own flag


def test_the_token_endpoint_asks_for_the_code(settings: Any) -> None:
    user = _user()
    device = TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    url = "/api/v1/auth/token/"
    body = {"username": user.username, "password": PASSWORD}
    missing = Client().post(url, body, content_type="application/json")
    assert missing.status_code == 400 and missing.json()["error"]["details"]["field"] == "otp"
    ok = Client().post(url, {**body, "otp": _code(device)}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["token"]
    partner = _user(Role.PARTNER)
    plain = Client().post(
        url, {"username": partner.username, "password": PASSWORD}, content_type="application/json"
    )
    assert plain.status_code == 200


def test_production_settings_require_it_of_the_three_roles() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(','.join(settings.RELIEFOPS_OTP_ROLES))",
        ],
        cwd=ROOT,
        env={**production_env(), "DJANGO_SETTINGS_MODULE": "reliefops.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "admin,coordinator,dpo"
