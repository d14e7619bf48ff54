"""Benchmark instances: readers, DIMACS distances, solve, and the independent instance checker."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from reliefops.planning import ProblemError, StopRule, instance_check, instance_read, instance_solve
from reliefops.planning.benchmark import bks_read
from reliefops.planning.cli import main

INSTANCES = Path(__file__).resolve().parents[2] / "bench" / "instances"


def _sol_routes(path: Path) -> list[list[int]]:
    routes = []
    for line in path.read_text().splitlines():
        if line.startswith("Route"):
            routes.append([int(x) for x in line.split(":", 1)[1].split()])
    return routes


@pytest.mark.parametrize("name", ["C101", "R101", "RC101", "R201", "C1_2_1"])
def test_bks_routes_score_the_bks_distance_under_dimacs(name: str) -> None:
    instance = instance_read(INSTANCES / f"{name}.txt")
    bks = bks_read(INSTANCES / "bks.csv")[name]
    result = instance_check(instance, _sol_routes(INSTANCES / f"{name}.sol"))
    assert result.feasible, result.violations
    assert result.distance == pytest.approx(bks.distance, abs=1e-6)
    assert len(_sol_routes(INSTANCES / f"{name}.sol")) == bks.vehicles


def test_solve_is_feasible_and_deterministic_with_an_iteration_limit() -> None:
    instance = instance_read(INSTANCES / "C101.txt")
    a = instance_solve(instance, StopRule(max_iterations=300), seed=5)
    b = instance_solve(instance, StopRule(max_iterations=300), seed=5)
    assert a.routes == b.routes
    checked = instance_check(instance, a.routes)
    assert checked.feasible
    assert checked.distance == pytest.approx(a.distance, abs=1e-6)


def test_checker_rejects_broken_instance_solutions() -> None:
    instance = instance_read(INSTANCES / "C101.txt")
    routes = _sol_routes(INSTANCES / "C101.sol")
    merged = [routes[0] + routes[1], *routes[2:]]  # 2 routes' load in one vehicle and late
    kinds = {v.kind for v in instance_check(instance, merged).violations}
    assert "overload" in kinds
    assert "late" in kinds or "late_return" in kinds
    missing = [routes[0][1:], *routes[1:]]
    assert {v.kind for v in instance_check(instance, missing).violations} == {"not_served"}
    twice = [routes[0], [routes[0][0]], *routes[1:]]
    assert "visited_twice" in {v.kind for v in instance_check(instance, twice).violations}


def test_reading_a_bad_file_names_it(tmp_path: Path) -> None:
    bad = tmp_path / "broken.txt"
    bad.write_text("nothing useful\n")
    with pytest.raises(ProblemError) as error:
        instance_read(bad)
    assert "broken.txt" in error.value.field
    with pytest.raises(ProblemError):
        instance_read(tmp_path / "missing.vrp")


def test_vrplib_cvrp_uses_rounded_distances(tmp_path: Path) -> None:
    vrp = tmp_path / "tiny.vrp"
    vrp.write_text(
        "NAME : tiny\nTYPE : CVRP\nDIMENSION : 4\nEDGE_WEIGHT_TYPE : EUC_2D\nCAPACITY : 10\n"
        "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 7\n4 1 1\n"
        "DEMAND_SECTION\n1 0\n2 5\n3 5\n4 5\nDEPOT_SECTION\n1\n-1\nEOF\n"
    )
    instance = instance_read(vrp)
    assert instance.kind == "cvrp"
    assert instance.distance[0, 3] == 1  # sqrt(2) rounds to 1
    solution = instance_solve(instance, StopRule(max_iterations=100), seed=1)
    assert instance_check(instance, solution.routes).feasible


def test_solve_command_prints_the_design_json(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(
        ["solve", str(INSTANCES / "R101.txt"), "--iterations", "200", "--json", "--no-progress"]
    )
    payload = json.loads(capsys.readouterr().out)
    assert code == 0
    assert set(payload) == {"instance", "vehicles", "distance", "feasible", "seconds", "routes"}
    assert payload["feasible"] is True
    assert sorted(c for r in payload["routes"] for c in r) == list(range(1, 101))


def test_bench_command_reports_gaps(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "one"
    folder.mkdir()
    (folder / "C101.txt").write_bytes((INSTANCES / "C101.txt").read_bytes())
    (folder / "bks.csv").write_text("instance,vehicles,distance\nC101,10,827.3\n")
    out = tmp_path / "report.json"
    code = main(
        [
            "bench",
            "vrp",
            str(folder),
            "--iterations",
            "200",
            "--seconds",
            "5",
            "--out",
            str(out),
            "--no-progress",
        ]
    )
    assert code == 0
    report = json.loads(out.read_text())
    row = report["results"][0]
    assert row["ours"]["feasible"] is True
    assert row["ours"]["gap_percent"] >= 0
    assert "cpu" in report["machine"]
    assert "C101" in capsys.readouterr().out


def test_vrplib_vrptw_uses_truncated_distances_and_windows(tmp_path: Path) -> None:
    vrp = tmp_path / "tinytw.vrp"
    vrp.write_text(
        "NAME : tinytw\nTYPE : VRPTW\nDIMENSION : 4\nVEHICLES : 2\nCAPACITY : 10\n"
        "EDGE_WEIGHT_TYPE : EUC_2D\n"
        "NODE_COORD_SECTION\n1 0 0\n2 3 4\n3 0 7\n4 1 1\n"
        "DEMAND_SECTION\n1 0\n2 5\n3 5\n4 5\n"
        "TIME_WINDOW_SECTION\n1 0 100\n2 0 20\n3 10 60\n4 0 100\n"
        "SERVICE_TIME_SECTION\n1 0\n2 2\n3 2\n4 2\n"
        "DEPOT_SECTION\n1\n-1\nEOF\n"
    )
    instance = instance_read(vrp)
    assert instance.kind == "vrptw"
    assert instance.num_vehicles == 2
    assert instance.distance[0, 3] == 14  # sqrt(2) = 1.414… truncated to 1.4, ×10
    solution = instance_solve(instance, StopRule(max_iterations=100), seed=1)
    checked = instance_check(instance, solution.routes)
    assert checked.feasible
    assert checked.distance == pytest.approx(solution.distance, abs=1e-9)
