"""Importers of the teams' field records (visits, round steps, referrals) through
``import_file`` on small CSV files: created, corrected, unchanged on replay, round-trip of
the export, pending references reported, and records arriving out of order."""

from __future__ import annotations

import csv
import datetime as dt
import io
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from reliefops.accounts.choices import Role
from reliefops.core import exchange as ex
from reliefops.core.errors import ApplicationError
from reliefops.core.permissions import clear_cache
from reliefops.teams import services
from reliefops.teams.models import Round, Visit
from tests.accounts.factories import MembershipFactory
from tests.teams.scene import build_scene

pytestmark = pytest.mark.django_db

VISIT_HEAD = "id,person,team,round,sequence,visited_at,outcome,services,follow_up_due"


def run(kind: str, text: str, actor: Any, tmp_path: Path) -> ex.ImportReport:
    path = tmp_path / f"{kind}-{uuid.uuid4().hex[:6]}.csv"
    path.write_text(text, encoding="utf-8")
    return ex.import_file(kind=kind, path=path, actor=actor)


def exported(
    kind: str, actor: Any, tmp_path: Path, fmt: str = "csv"
) -> tuple[Path, list[dict[str, str]]]:
    """The export as a file of ``fmt`` and, read from a CSV export, its rows."""
    if fmt != "csv":
        stream = io.BytesIO()
        ex.export_write(kind=kind, stream=stream, actor=actor, fmt=fmt)
        path = (
            tmp_path / f"{kind}-export-{uuid.uuid4().hex[:6]}.{'xlsx' if fmt == 'xlsx' else 'csv'}"
        )
        path.write_bytes(stream.getvalue())
        return path, exported(kind, actor, tmp_path)[1]
    stream = io.BytesIO()
    ex.export_write(kind=kind, stream=stream, actor=actor, fmt="csv")
    path = tmp_path / f"{kind}-export-{uuid.uuid4().hex[:6]}.csv"
    path.write_bytes(stream.getvalue())
    rows = list(csv.DictReader(io.StringIO(stream.getvalue().decode("utf-8-sig"))))
    return path, rows


def errors(report: ex.ImportReport) -> list[tuple[str, str]]:
    return [(e.column, e.message) for e in report.errors]


def clerk(scene: Any, k: str) -> Any:
    """The field user of area ``k``, who may also run imports there (a field role does not
    import files; submissions need no ``import.run``)."""
    user = scene.field[k]
    if not user.memberships.filter(role=Role.COORDINATOR).exists():
        MembershipFactory(
            user=user,
            organisation=scene.orgs["HLTH"],
            role=Role.COORDINATOR,
            areas=[scene.areas[k]],
        )
        clear_cache(user)
    return user


def planned_round(scene: Any, k: str = "A", people: int = 2) -> Round:
    rnd = services.round_create(
        actor=scene.field[k],
        team=scene.teams[k],
        date=timezone.localdate(),
        stops=[services.StopInput(p) for p in scene.people[k][:people]],
    )
    return services.round_transition(actor=scene.field[k], round=rnd, step="plan")


def iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- visits


def test_visits_import_records_at_the_stop_and_a_replay_is_unchanged(tmp_path: Path) -> None:
    scene = build_scene()
    rnd = planned_round(scene)
    who = scene.people["A"][0].reference
    client = uuid.uuid4()
    at = timezone.now() - dt.timedelta(hours=2)
    text = (
        f"{VISIT_HEAD}\n{client},{who},MMT-A,{rnd.reference},1,{iso(at)},visited,"
        f"consultation;medication_refill,{(at + dt.timedelta(days=14)).date()}\n"
    )
    report = run("visits", text, clerk(scene, "A"), tmp_path)
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (1, 0, 0)
    visit = Visit.objects.get()
    assert visit.client_id == client and visit.stop == rnd.stops.get(sequence=1)
    assert visit.services == ["consultation", "medication_refill"]
    assert abs(visit.visited_at - at) < dt.timedelta(seconds=1)
    again = run("visits", text, clerk(scene, "A"), tmp_path)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 1)
    assert Visit.objects.count() == 1


def test_visits_import_corrects_a_visit_named_by_its_client_id(tmp_path: Path) -> None:
    scene = build_scene()
    who = scene.people["A"][0]
    client = uuid.uuid4()
    services.visit_record(
        actor=scene.field["A"], person=who, team=scene.teams["A"], client_id=client
    )
    text = f"{VISIT_HEAD}\n{client},{who.reference},MMT-A,,,,not_at_home,,\n"
    report = run("visits", text, clerk(scene, "A"), tmp_path)
    assert report.ok, errors(report)
    assert report.updated == 1
    assert report.outcomes[0].changes == {"outcome": ("visited", "not_at_home")}
    assert Visit.objects.get().outcome == "not_at_home"
    # The person of a visit does not change through a correction.
    other = scene.people["A"][1].reference
    moved = run(
        "visits", f"{VISIT_HEAD}\n{client},{other},MMT-A,,,,visited,,\n", scene.admin, tmp_path
    )
    assert errors(moved) == [("person", "A visit's person does not change.")]


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_visits_export_re_imports_unchanged(tmp_path: Path, fmt: str) -> None:
    scene = build_scene()
    rnd = planned_round(scene)
    for n, who in enumerate(scene.people["A"], start=1):
        services.visit_record(
            actor=scene.field["A"],
            person=who,
            team=scene.teams["A"],
            stop=rnd.stops.get(sequence=n),
            services=["consultation", "food_parcel"][:n],
            follow_up_due=timezone.localdate() + dt.timedelta(days=7),
            visited_at=timezone.now() - dt.timedelta(minutes=n),
        )
    services.visit_record(
        actor=scene.field["B"], person=scene.people["B"][0], team=scene.teams["B"]
    )
    path, rows = exported("visits", scene.admin, tmp_path, fmt)
    assert len(rows) == 3
    report = ex.import_file(kind="visits", path=path, actor=scene.admin)
    assert report.ok, errors(report)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)


def test_visits_import_reports_unknown_people_teams_and_pending_rounds(tmp_path: Path) -> None:
    scene = build_scene()
    rnd = planned_round(scene, people=1)
    who = scene.people["A"][0].reference
    text = (
        f"{VISIT_HEAD}\n"
        f",P-NOBODY,MMT-A,,,,visited,,\n"
        f",{who},MMT-ZZ,,,,visited,,\n"
        f",{who},MMT-A,RD-NOT-YET,1,,visited,,\n"
        f",{who},MMT-A,{rnd.reference},7,,visited,,\n"
        f",{who},MMT-A,{rnd.reference},,,visited,,\n"
    )
    report = run("visits", text, clerk(scene, "A"), tmp_path)
    assert [e.column for e in report.errors] == ["person", "team", "round", "sequence", "sequence"]
    assert "waits" in report.errors[2].message and "waits" in report.errors[3].message
    assert not Visit.objects.exists()


def test_a_visit_of_another_area_is_a_row_error(tmp_path: Path) -> None:
    scene = build_scene()
    who = scene.people["A"][0].reference
    report = run(
        "visits", f"{VISIT_HEAD}\n,{who},MMT-B,,,,visited,,\n", clerk(scene, "B"), tmp_path
    )
    assert [e.column for e in report.errors] == ["person"]  # not readable: no such person
    assert not Visit.objects.exists()


# --------------------------------------------------------------------------- out of order


def test_a_visit_arriving_after_its_rounds_completion_closes_the_stop() -> None:
    scene = build_scene()
    rnd = planned_round(scene)
    field = scene.field["A"]
    made = timezone.now() - dt.timedelta(minutes=30)
    services.round_transition(actor=field, round=rnd, step="start")
    services.round_transition(actor=field, round=rnd, step="complete")
    first, second = (rnd.stops.get(sequence=n) for n in (1, 2))
    visit = services.visit_record(
        actor=field, person=first.person, team=scene.teams["A"], stop=first, visited_at=made
    )
    assert visit.stop == first and first.visits.count() == 1
    # A visit made after the completion is refused, and so is one on a cancelled round.
    with pytest.raises(ApplicationError) as exc:
        services.visit_record(
            actor=field,
            person=second.person,
            team=scene.teams["A"],
            stop=second,
            visited_at=timezone.now(),
        )
    assert exc.value.code == "round_completed"
    other = planned_round(scene)
    services.round_transition(actor=field, round=other, step="cancel", reason="road closed")
    with pytest.raises(ApplicationError):
        services.visit_record(
            actor=field,
            person=first.person,
            team=scene.teams["A"],
            stop=other.stops.get(sequence=1),
            visited_at=made,
        )
    assert Visit.objects.count() == 1


def test_a_visit_on_a_planned_round_is_accepted_and_the_start_may_follow(tmp_path: Path) -> None:
    scene = build_scene()
    rnd = planned_round(scene)
    who = scene.people["A"][0].reference
    made = timezone.now() - dt.timedelta(minutes=5)
    report = run(
        "visits",
        f"{VISIT_HEAD}\n,{who},MMT-A,{rnd.reference},1,{iso(made)},visited,,\n",
        clerk(scene, "A"),
        tmp_path,
    )
    assert report.ok, errors(report)
    services.round_transition(actor=scene.field["A"], round=rnd, step="start")
    rnd.refresh_from_db()
    assert rnd.status == "in_progress" and Visit.objects.get().stop.round == rnd


# --------------------------------------------------------------------------- round steps


def test_round_steps_import_takes_the_steps_and_replays_are_unchanged(tmp_path: Path) -> None:
    scene = build_scene()
    rnd = planned_round(scene)
    admin = scene.admin
    # The completion arrives before the start: both steps are taken, each checked.
    done = run("rounds", f"round,status\n{rnd.reference},completed\n", admin, tmp_path)
    assert done.ok, errors(done)
    assert (done.updated, done.written) == (1, 2)
    rnd.refresh_from_db()
    assert rnd.status == "completed" and rnd.started_at and rnd.completed_at
    # The start arriving afterwards, and the completion again, change nothing.
    late = run(
        "rounds",
        f"round,status\n{rnd.reference},in_progress\n{rnd.reference},in_progress\n",
        admin,
        tmp_path,
    )
    assert late.ok and (late.updated, late.unchanged, late.written) == (0, 1, 0)
    again = run("rounds", f"round,status\n{rnd.reference},completed\n", admin, tmp_path)
    assert again.ok and again.unchanged == 1


def test_round_steps_import_refuses_impossible_steps_and_waits_for_unknown_rounds(
    tmp_path: Path,
) -> None:
    scene = build_scene()
    started = planned_round(scene)
    services.round_transition(actor=scene.field["A"], round=started, step="start")
    planned = planned_round(scene)
    report = run(
        "rounds",
        "round,status,reason\n"
        f"{started.reference},cancelled,too late\n"
        f"{planned.reference},cancelled,\n"
        "RD-NOT-YET,completed,\n",
        scene.admin,
        tmp_path,
    )
    assert [e.column for e in report.errors] == ["status", "reason", "round"]
    assert "waits" in report.errors[2].message
    # A field worker of another area may not take the step.
    outsider = clerk(scene, "B")
    refused = run("rounds", f"round,status\n{planned.reference},in_progress\n", outsider, tmp_path)
    assert not refused.ok
    planned.refresh_from_db()
    assert planned.status == "planned"


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "hxl"])
def test_rounds_export_re_imports_unchanged(tmp_path: Path, fmt: str) -> None:
    scene = build_scene()
    planned_round(scene)
    started = planned_round(scene)
    services.round_transition(actor=scene.field["A"], round=started, step="start")
    cancelled = planned_round(scene, people=1)
    services.round_transition(actor=scene.field["A"], round=cancelled, step="cancel", reason="x")
    path, rows = exported("rounds", scene.admin, tmp_path, fmt)
    assert len(rows) == 5
    report = ex.import_file(kind="rounds", path=path, actor=scene.admin)
    assert report.ok, errors(report)
    assert (report.updated, report.unchanged) == (0, 3)


# --------------------------------------------------------------------------- referrals

REFERRAL_HEAD = "reference,person,facility,team,reason,urgency,transport,status,status_at,visit"


def test_referrals_import_refers_and_takes_the_facilitys_steps(tmp_path: Path) -> None:
    from reliefops.teams.models import Referral
    from tests.teams.hospital_scene import hospital_scene

    scene = hospital_scene()
    who = scene.person["A"]
    visit = services.visit_record(
        actor=scene.admin,
        person=who,
        team=services.team_create(
            actor=scene.admin,
            code="MMT-H",
            name="Team",
            kind="mobile_medical",
            organisation=who.organisation,
            area=scene.area["A"],
        ),
        client_id=uuid.uuid4(),
    )
    made = run(
        "referrals",
        f"{REFERRAL_HEAD}\n,{who.reference},ZH-FHA,,surgery,urgent,ambulance,,,{visit.client_id}\n",
        scene.admin,
        tmp_path,
    )
    assert made.ok, errors(made)
    referral = Referral.objects.get()
    assert (referral.visit, referral.team.code, referral.status) == (visit, "MMT-H", "referred")
    # The facility admits and treats: one row naming the status takes both steps.
    steps = run(
        "referrals",
        f"{REFERRAL_HEAD}\n{referral.reference},,,,,,,treated,,\n",
        scene.admin,
        tmp_path,
    )
    assert steps.ok and (steps.updated, steps.written) == (1, 2)
    referral.refresh_from_db()
    assert referral.status == "treated"
    # Admitted arriving late is unchanged; cancelling a treated referral is refused.
    late = run(
        "referrals",
        f"{REFERRAL_HEAD}\n{referral.reference},,,,,,,admitted,,\n",
        scene.admin,
        tmp_path,
    )
    assert late.ok and late.unchanged == 1
    bad = run(
        "referrals",
        f"{REFERRAL_HEAD}\n{referral.reference},,,,,,,cancelled,,\n",
        scene.admin,
        tmp_path,
    )
    assert [e.column for e in bad.errors] == ["status"]
    # The export re-imports unchanged.
    path, rows = exported("referrals", scene.admin, tmp_path)
    assert rows[0]["visit"] == str(visit.pk)
    again = ex.import_file(kind="referrals", path=path, actor=scene.admin)
    assert again.ok and again.unchanged == 1, errors(again)
    assert Referral.objects.count() == 1


def test_referrals_import_waits_for_the_visit_and_refuses_bad_rows(tmp_path: Path) -> None:
    from reliefops.teams.models import Referral
    from tests.teams.hospital_scene import hospital_scene

    scene = hospital_scene()
    who = scene.person["A"].reference
    report = run(
        "referrals",
        f"{REFERRAL_HEAD}\n"
        f",{who},ZH-FHA,,surgery,urgent,ambulance,,,{uuid.uuid4()}\n"
        f",P-NOBODY,ZH-FHA,,surgery,urgent,ambulance,,,\n"
        f",{who},NOPE,,surgery,urgent,ambulance,,,\n"
        f",{who},ZH-FHA,,,urgent,ambulance,,,\n"
        f",{who},ZH-FHA,,surgery,urgent,ambulance,admitted,,\n"
        f"RF-000000-9,,,,,,,admitted,,\n",
        scene.admin,
        tmp_path,
    )
    assert [e.column for e in report.errors] == [
        "visit",
        "person",
        "facility",
        "reason",
        "status",
        "reference",
    ]
    assert "waits" in report.errors[0].message
    assert not Referral.objects.exists()
