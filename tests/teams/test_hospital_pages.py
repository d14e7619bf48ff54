"""The hospital and referral pages: what each side sees, the report form, the steps."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from reliefops.teams.models import CaseloadCount, Referral
from tests.teams.hospital_scene import hospital_scene, refer

pytestmark = pytest.mark.django_db


def _client(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_hospital_page_shows_beds_incoming_and_the_chart() -> None:
    scene = hospital_scene()
    referral = refer(scene, "B", "A")
    client = _client(scene.staff)
    day = timezone.localdate().isoformat()
    response = client.post(
        "/teams/hospitals/ZH-FHA/",
        {
            "date": day,
            "beds_total": "50",
            "beds_available": "18",
            "services": ["surgery", "inpatient"],
            "admissions.18_59.female": "7",
            "discharges.70_plus.male": "2",
        },
    )
    assert response.status_code == 302
    assert (
        CaseloadCount.objects.get(measure="admissions", age_band="18_59", sex="female").count == 7
    )
    page = client.get("/teams/hospitals/ZH-FHA/").content.decode()
    assert "18" in page and "caseload-chart" in page and referral.reference in page
    assert f'action="/teams/referrals/{referral.reference}/steps/admit/"' in page
    # The grid shows what was typed (2), the chart's table the suppressed total.
    assert 'value="2"' in page and "&lt;5" in page
    # The list.
    listing = client.get("/teams/hospitals/").content.decode()
    assert "ZH-FHA" in listing and "7" in listing


def test_a_refused_report_names_the_cell_and_saves_nothing() -> None:
    scene = hospital_scene()
    response = _client(scene.staff).post(
        "/teams/hospitals/ZH-FHA/",
        {
            "date": timezone.localdate().isoformat(),
            "beds_total": "10",
            "beds_available": "12",
            "admissions.18_59.female": "3",
        },
    )
    assert response.status_code == 400
    assert not CaseloadCount.objects.exists()


def test_others_do_not_get_the_report_form_or_the_steps() -> None:
    scene = hospital_scene()
    referral = refer(scene, "A", "A")
    page = _client(scene.worker_b).get("/teams/hospitals/ZH-FHA/").content.decode()
    assert 'id="report"' not in page and referral.reference not in page
    response = _client(scene.worker_b).post("/teams/hospitals/ZH-FHA/", {})
    assert response.status_code == 403
    assert _client(scene.worker_b).get(f"/teams/referrals/{referral.reference}/").status_code == 404


def test_steps_from_the_hospital_page_return_there() -> None:
    scene = hospital_scene()
    referral = refer(scene, "A", "A")
    client = _client(scene.staff)
    url = f"/teams/referrals/{referral.reference}/steps/"
    response = client.post(url + "admit/", {"from": "hospital"})
    assert response.status_code == 302 and response["Location"] == "/teams/hospitals/ZH-FHA/"
    # A transfer without a facility is refused next to its field.
    response = client.post(url + "transfer/", {"confirm": "on"})
    assert response.status_code == 400
    response = client.post(
        url + "transfer/", {"confirm": "on", "transferred_to": scene.hospital["B"].pk}
    )
    assert response.status_code == 302
    assert Referral.objects.get(pk=referral.pk).status == "transferred"


def test_refer_a_person_by_reference() -> None:
    scene = hospital_scene()
    client = _client(scene.staff)
    form = client.get(f"/teams/referrals/new/?person={scene.person['A'].reference}")
    assert form.status_code == 200 and scene.person["A"].reference in form.content.decode()
    response = client.post(
        "/teams/referrals/new/",
        {
            "person": scene.person["A"].reference,
            "facility": scene.hospital["A"].pk,
            "reason": "surgery",
            "urgency": "urgent",
            "transport": "team_vehicle",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == f"/teams/referrals/{referral.reference}/"
    listing = client.get("/teams/referrals/?status=referred").content.decode()
    assert referral.reference in listing and scene.person["A"].full_name not in listing
    # Someone of another area cannot name the person.
    response = _client(scene.worker_b).post(
        "/teams/referrals/new/",
        {
            "person": scene.person["A"].reference,
            "facility": scene.hospital["A"].pk,
            "reason": "surgery",
            "urgency": "urgent",
            "transport": "team_vehicle",
        },
    )
    assert response.status_code == 404
