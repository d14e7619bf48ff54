"""The field hospital's demo: F-FH's status and caseload over the last ten days, its staff
account, referrals in several statuses; loading twice changes nothing."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from reliefops.accounts.models import User
from reliefops.people.models import Person
from reliefops.teams import demo_hospital
from reliefops.teams.models import CaseloadCount, HospitalStatus, Referral
from tests.people.factories import PersonFactory, consent_all

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_field_hospital_demo() -> None:
    call_command("demo", no_serve=True, stdout=io.StringIO())
    if not Person.objects.filter(synthetic=True).exists():  # the people demo is not merged yet
        from reliefops.places.models import Facility

        place = Facility.objects.get(code="F-FH").place
        for _i in range(8):
            consent_all(PersonFactory(place=place))
    out = io.StringIO()
    demo_hospital.load(stdout=out)
    assert "F-FH" in out.getvalue()
    days = sorted(
        HospitalStatus.objects.filter(facility__code="F-FH").values_list("date", flat=True)
    )
    assert len(days) == demo_hospital.DAYS and days[-1] == timezone.localdate()
    assert days[0] == timezone.localdate() - dt.timedelta(days=demo_hospital.DAYS - 1)
    status = HospitalStatus.objects.get(facility__code="F-FH", date=days[-1])
    assert (
        status.beds_total == 50 and 0 < status.beds_available <= 50 and "surgery" in status.services
    )
    cells = CaseloadCount.objects.filter(facility__code="F-FH").count()
    assert cells > 100
    statuses = set(Referral.objects.filter(facility__code="F-FH").values_list("status", flat=True))
    assert {"referred", "admitted", "treated", "discharged"} <= statuses
    # Idempotent.
    demo_hospital.load(stdout=io.StringIO())
    assert CaseloadCount.objects.filter(facility__code="F-FH").count() == cells
    assert Referral.objects.count() == len(demo_hospital.REFERRALS)
    # The staff account signs in with the published password and sees the report form.
    user = User.objects.get(username=demo_hospital.STAFF_USER)
    assert user.check_password("hospital-demo-2023")
    client = Client()
    client.force_login(user)
    page = client.get("/teams/hospitals/F-FH/").content.decode()
    assert 'id="report"' in page and 'id="caseload-chart"' in page
