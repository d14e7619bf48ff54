"""plan-generate and plan-file through the planning CLI entry point."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from reliefops.planning import GenerateSpec, problem_generate, problem_read, schema_load
from reliefops.planning.cli import main


def test_generate_then_plan_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    problem_path = tmp_path / "day.json"
    plan_path = tmp_path / "plan.json"
    assert (
        main(
            [
                "plan-generate",
                "--places",
                "60",
                "--requests",
                "12",
                "--vehicles",
                "4",
                "--teams",
                "2",
                "--depots",
                "1",
                "--visits",
                "8",
                "--seed",
                "4",
                "--out",
                str(problem_path),
            ]
        )
        == 0
    )
    jsonschema.validate(json.loads(problem_path.read_text()), schema_load("problem"))
    code = main(
        [
            "plan-file",
            str(problem_path),
            "--iterations",
            "100",
            "--workers",
            "1",
            "--out",
            str(plan_path),
            "--no-progress",
        ]
    )
    assert code == 0
    plan = json.loads(plan_path.read_text())
    jsonschema.validate(plan, schema_load("plan"))
    assert plan["violations"] == []
    assert "demand served" in capsys.readouterr().out


def test_generator_is_deterministic() -> None:
    spec = GenerateSpec(places=40, requests=10, vehicles=3, teams=2, depots=1, seed=9)
    a, b = problem_generate(spec), problem_generate(spec)
    assert a.demands == b.demands and a.visits == b.visits and a.lots == b.lots


def test_plan_file_reports_a_bad_problem(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.json"
    assert (
        main(
            [
                "plan-generate",
                "--places",
                "20",
                "--requests",
                "3",
                "--vehicles",
                "1",
                "--teams",
                "0",
                "--depots",
                "1",
                "--no-matrix",
                "--out",
                str(path),
            ]
        )
        == 0
    )
    document = json.loads(path.read_text())
    document["demands"][0]["site"] = "NOWHERE"
    path.write_text(json.dumps(document))
    assert main(["plan-file", str(path), "--iterations", "10", "--no-progress"]) == 2
    assert "demands[0].site" in capsys.readouterr().err
    with pytest.raises(Exception):
        problem_read(tmp_path / "absent.json")
