"""The shipped example forms and their mappings: valid XLSForm structure, the committed
workbooks are what ``tools/make_xlsforms.py`` writes, every source path of a mapping is a
question of its form, and the mapping fits its kind's columns."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from reliefops.core import exchange as ex
from reliefops.intake.kobo.mapping import FormMapping
from tests.intake.kobo_world import FORMS, ROOT

MAPPINGS = sorted(FORMS.glob("*.mapping.json"))
METADATA_QUESTIONS = {"start", "end", "today", "deviceid", "username"}


def _tool() -> Any:
    spec = importlib.util.spec_from_file_location(
        "make_xlsforms", ROOT / "tools" / "make_xlsforms.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    book = load_workbook(path, read_only=True)
    rows = list(book[name].iter_rows(values_only=True))
    head = [str(h) for h in rows[0]]
    return [dict(zip(head, r, strict=False)) for r in rows[1:] if any(v is not None for v in r)]


def question_paths(path: Path) -> dict[str, str]:
    """Slash path → question type, following begin_group/end_group."""
    groups: list[str] = []
    paths = {}
    for row in sheet_rows(path, "survey"):
        kind, name = str(row["type"]), str(row["name"] or "")
        if kind == "begin_group":
            groups.append(name)
        elif kind == "end_group":
            assert groups and groups[-1] == name, (
                f"{path.name}: end_group {name} does not close {groups}"
            )
            groups.pop()
        else:
            paths["/".join([*groups, name])] = kind
    assert not groups, f"{path.name}: groups left open: {groups}"
    return paths


def test_two_forms_and_two_mappings_ship() -> None:
    assert [p.name for p in MAPPINGS] == ["crossing_count.mapping.json", "home_visit.mapping.json"]
    for mapping in MAPPINGS:
        assert (FORMS / json.loads(mapping.read_text())["form"]).exists()


@pytest.mark.parametrize("mapping", MAPPINGS, ids=lambda p: p.stem)
def test_xlsform_structure(mapping: Path) -> None:
    spec = json.loads(mapping.read_text())
    path = FORMS / spec["form"]
    book = load_workbook(path, read_only=True)
    assert {"survey", "choices", "settings"} <= set(book.sheetnames)
    survey = sheet_rows(path, "survey")
    head = list(survey[0])
    assert {"type", "name", "label::English (en)", "label::Russian (ru)"} <= set(head)
    names = [r["name"] for r in survey if r["type"] != "end_group"]
    assert len(names) == len(set(names)), "question names are unique"
    for row in survey:
        if row["type"] not in ("end_group", *METADATA_QUESTIONS):
            assert row["label::English (en)"] and row["label::Russian (ru)"], row["name"]
    lists = {r["list_name"] for r in sheet_rows(path, "choices")}
    for row in survey:
        kind = str(row["type"])
        if kind.startswith(("select_one ", "select_multiple ")):
            assert kind.split()[1] in lists, f"{row['name']}: no choices {kind}"
    settings = sheet_rows(path, "settings")[0]
    assert settings["form_id"] == spec["form_id"]
    assert settings["default_language"] == "English (en)"


@pytest.mark.parametrize("mapping", MAPPINGS, ids=lambda p: p.stem)
def test_every_source_is_a_question_and_every_target_a_column(mapping: Path) -> None:
    spec = json.loads(mapping.read_text())
    questions = question_paths(FORMS / spec["form"])
    rules = spec["mapping"]["fields"]
    for target, rule in rules.items():
        sources = rule.get("source", []) if isinstance(rule, dict) else rule
        for source in [sources] if isinstance(sources, str) else sources:
            if not source.startswith("$"):
                assert source in questions, f"{target}: {source} is no question of the form"
    assert spec["mapping"]["geopoint"] in questions
    entry = (
        ex.registry_get(spec["kind"])
        if spec["kind"] in {e.kind for e in ex.registry_kinds()}
        else None
    )
    if entry is None:
        pytest.skip(f"kind {spec['kind']} not registered on this branch")
    assert entry.importer is not None and entry.importer.submissions
    FormMapping.parse(spec["mapping"], columns=[c.name for c in entry.importer.columns])
    # choice maps cover every choice of the question's list
    choices: dict[str, set[str]] = {}
    for row in sheet_rows(FORMS / spec["form"], "choices"):
        choices.setdefault(str(row["list_name"]), set()).add(str(row["name"]))
    for target, rule in rules.items():
        if isinstance(rule, dict) and rule.get("values") and rule.get("transform") == "choice":
            list_name = questions[rule["source"]].split()[1]
            assert set(rule["values"]) == choices[list_name], target


def test_the_committed_workbooks_are_what_the_tool_writes(tmp_path: Path) -> None:
    tool = _tool()
    assert tool.main(["--output", str(tmp_path)]) == 0
    for form in tool.FORMS:
        for sheet in ("survey", "choices", "settings"):
            assert sheet_rows(tmp_path / form["file"], sheet) == sheet_rows(
                FORMS / form["file"], sheet
            )
