"""``reliefops import`` / ``reliefops export``: row report, non-zero exit, stdout export."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reliefops.stock.models import Item
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_import_reports_rows_and_fails_then_succeeds(tmp_path: Path) -> None:
    UserFactory(username="ops", is_superuser=True)
    bad = tmp_path / "items.csv"
    bad.write_text("code,category,unit\nDSL,fuel,litre\nFLR,food,sack\n", encoding="utf-8")
    out = io.StringIO()
    with pytest.raises(CommandError, match="1 errors; nothing was imported"):
        call_command("import", "items", str(bad), "--user", "ops", stdout=out)
    assert "row       3  unit" in out.getvalue()
    assert not Item.objects.exists()
    good = tmp_path / "items.hxl.csv"
    good.write_text("#item+code,#item+type,#item+unit\nDSL,fuel,litre\n", encoding="utf-8")
    out = io.StringIO()
    call_command("import", "items", str(good), "--dry-run", stdout=out)
    assert "valid (dry run, nothing written)" in out.getvalue() and not Item.objects.exists()
    call_command("import", "items", str(good), stdout=io.StringIO())
    assert Item.objects.get().code == "DSL"


def test_export_writes_a_file(tmp_path: Path) -> None:
    UserFactory(username="ops", is_superuser=True)
    Item.objects.create(code="DSL", category="fuel", unit="litre")
    target = tmp_path / "items.xlsx"
    call_command(
        "export", "items", "--format", "xlsx", "--output", str(target), stderr=io.StringIO()
    )
    assert target.read_bytes()[:2] == b"PK"
