"""``reliefops plan``: KPIs, JSON with the unmet list and reasons, failures exit non-zero."""

from __future__ import annotations

import json
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from reliefops.dayplans.choices import PlanStatus
from reliefops.dayplans.models import PlanRun
from tests.accounts.factories import make_user
from tests.dayplans import fake_problem

ARGS = ["--date", "2026-03-04", "--seconds", "5", "--iterations", "120", "--no-progress"]


@pytest.fixture(autouse=True)
def _fake_problem(settings: Any) -> None:
    settings.RELIEFOPS_PLAN_PROBLEM = "tests.dayplans.fake_problem"
    fake_problem.FAIL_WITH = None


def _plan(*args: str) -> str:
    out = StringIO()
    call_command("plan", *ARGS, *args, stdout=out, stderr=StringIO())
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_plan_json_gives_kpis_and_the_unmet_list_with_reasons() -> None:
    user = make_user("coordinator", username="coord")
    report = json.loads(_plan("--json", "--user", "coord"))
    run = PlanRun.objects.get()
    assert run.created_by == user
    assert report["reference"] == run.reference and report["status"] == PlanStatus.DRAFT
    assert report["served_percent"] == run.kpis["served_percent"]
    assert 0 <= report["life_saving_served_percent"] <= 100
    assert report["violations"] == []
    assert len(report["unmet"]) == len(run.plan["unmet"])
    for line in report["unmet"]:
        assert set(line) == {"request", "item", "quantity", "reason", "detail"}
        assert line["reason"] in {"no_stock", "unreachable", "after_deadline", "no_capacity"}
    for visit in report["unvisited"]:
        assert set(visit) == {"person", "reason", "detail"}
    assert {"distance_km", "vehicle_hours", "visits_made"} <= set(report["kpis"])


@pytest.mark.django_db(transaction=True)
def test_plan_prints_a_table_as_the_first_coordinator_by_default() -> None:
    make_user("viewer", username="viewer")
    coordinator = make_user("coordinator", username="coord")
    text = _plan()
    assert "served (priority weighted)" in text and "life-saving served" in text
    assert "checker violations: 0" in text
    assert PlanRun.objects.get().created_by == coordinator


@pytest.mark.django_db(transaction=True)
def test_a_failed_run_exits_non_zero_with_its_reason() -> None:
    make_user("coordinator")
    fake_problem.FAIL_WITH = "no road reaches Khankendi"
    with pytest.raises(CommandError, match="no road reaches Khankendi"):
        _plan()
    assert PlanRun.objects.get().status == PlanStatus.FAILED


@pytest.mark.django_db(transaction=True)
def test_bad_parameters_are_refused_with_the_field() -> None:
    make_user("coordinator")
    with pytest.raises(CommandError, match="seconds"):
        call_command("plan", "--seconds", "0", "--no-progress", stdout=StringIO())
    with pytest.raises(CommandError, match="--date"):
        call_command("plan", "--date", "tomorrow", "--no-progress", stdout=StringIO())
    assert not PlanRun.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_commit_without_the_commit_service_fails_clearly(monkeypatch: Any) -> None:
    from reliefops.dayplans.management.commands import plan

    def missing(name: str) -> Any:
        raise ModuleNotFoundError(name=name)

    monkeypatch.setattr(plan, "import_module", missing)
    make_user("coordinator")
    with pytest.raises(CommandError, match="--commit"):
        _plan("--commit")
    assert PlanRun.objects.get().status == PlanStatus.DRAFT
