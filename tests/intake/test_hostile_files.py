"""Hostile files are refused before they cost time or memory, on pages, API and CLI alike.

Issue 9, "files in": the upload limit (checked from Content-Length and while the body is
read), the XLSX archive check, encodings, oversize and control-character cells. Every
refusal is a 4xx naming the problem and writes nothing (counted on the database).
Timings and memory are measured by ``bench/imports/hostile.py``, not here.
"""

from __future__ import annotations

import codecs
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import Client
from rest_framework.test import APIClient

from reliefops.core import exchange as ex
from reliefops.core.models import AuditEvent
from reliefops.stock.models import Item
from tests.accounts.factories import UserFactory
from tests.intake.hostile_files import (
    ITEM_HEADER,
    csv_of_size,
    post_file,
    xlsx_bomb,
    xlsx_broken,
    xlsx_small,
    zip_without_workbook,
)

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
UPLOAD = "/intake/upload/"
API = "/api/v1/imports/items/"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The big hostile files, generated once per module."""
    tmp = tmp_path_factory.mktemp("hostile")
    return {
        "csv60": csv_of_size(tmp / "items-60mb.csv", 60 * 2**20),
        "bomb": xlsx_bomb(tmp / "bomb.xlsx"),
        "ratio": xlsx_bomb(tmp / "ratio.xlsx", inflated=20 * 2**20, padding=0),
    }


@pytest.fixture
def admin():
    return UserFactory(username="ops", is_superuser=True)


@pytest.fixture
def page(admin) -> Client:
    client = Client()
    client.force_login(admin)
    return client


@pytest.fixture
def api(admin) -> APIClient:
    client = APIClient()
    client.force_authenticate(admin)
    return client


def written() -> tuple[int, int]:
    return Item.objects.count(), AuditEvent.objects.count()


def text_file(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def page_post(page: Client, path: Path, tmp_path: Path):
    return post_file(page, UPLOAD, path, {"kind": "items"}, tmp_path)


def api_post(api: APIClient, path: Path, tmp_path: Path):
    return post_file(api, API, path, {}, tmp_path)


def cli(path: Path) -> tuple[str, str]:
    out = io.StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import", "items", str(path), "--user", "ops", stdout=out)
    return out.getvalue(), str(raised.value)


def assert_refused_everywhere(
    page: Client, api: APIClient, path: Path, tmp_path: Path, code: str, words: str
) -> None:
    """Page and API answer 4xx naming the problem, the CLI fails with it; nothing written."""
    before = written()
    response = page_post(page, path, tmp_path)
    assert 400 <= response.status_code < 500
    assert words in response.content.decode()
    response = api_post(api, path, tmp_path)
    assert 400 <= response.status_code < 500
    error = response.json()["error"]
    assert error["code"] == code
    assert words in error["message"] or words in json.dumps(error["details"], ensure_ascii=False)
    out, message = cli(path)
    assert words in message or words in out
    assert written() == before


# ------------------------------------------------------------------------ upload limit


def test_a_60_mb_csv_is_refused_before_parsing(page, api, files, tmp_path: Path) -> None:
    big = files["csv60"]
    assert big.stat().st_size >= 60 * 2**20
    before = written()
    response = page_post(page, big, tmp_path)
    assert response.status_code == 413
    assert "25.0 MB" in response.content.decode()
    response = api_post(api, big, tmp_path)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "file_too_large"
    assert "25.0 MB" in response.json()["error"]["message"]
    _out, message = cli(big)
    assert "The file is 60." in message and "25.0 MB" in message
    with pytest.raises(ex.FileTooLarge):
        ex.import_file(kind="items", path=big, actor=UserFactory(is_superuser=True))
    assert written() == before


def test_the_limit_is_counted_while_the_body_is_read(page, api, settings, tmp_path) -> None:
    """A body whose Content-Length passes is still cut as soon as the file passes the limit."""
    settings.IMPORT_MAX_UPLOAD_BYTES = 100 * 1024
    over = csv_of_size(tmp_path / "over.csv", 110 * 1024)
    under = csv_of_size(tmp_path / "under.csv", 94 * 1024)
    assert over.stat().st_size < settings.IMPORT_MAX_UPLOAD_BYTES + 64 * 1024
    assert under.stat().st_size <= settings.IMPORT_MAX_UPLOAD_BYTES
    before = written()
    for client, url in ((page, UPLOAD), (api, API)):
        response = post_file(client, url, over, {"kind": "items"}, tmp_path)
        assert response.status_code == 413
        assert "100.0 KB" in response.content.decode()
    assert written() == before
    response = api_post(api, under, tmp_path)
    assert response.status_code == 200, response.content
    assert Item.objects.count() == response.json()["written"] > 1000


# ------------------------------------------------------------------------ XLSX archive


def test_an_xlsx_bomb_is_refused_from_its_central_directory(page, api, files, tmp_path) -> None:
    bomb = files["bomb"]
    assert bomb.stat().st_size < 1.2 * 2**20
    with zipfile.ZipFile(bomb) as archive:
        assert archive.getinfo("xl/sharedStrings.xml").file_size >= 300 * 2**20
    assert_refused_everywhere(page, api, bomb, tmp_path, "xlsx_too_large", "100.0 MB")


def test_an_xlsx_compressed_beyond_the_ratio_is_refused(page, api, files, tmp_path) -> None:
    ratio = files["ratio"]
    with zipfile.ZipFile(ratio) as archive:
        assert sum(m.file_size for m in archive.infolist()) < 100 * 2**20
    assert_refused_everywhere(
        page, api, ratio, tmp_path, "xlsx_compression_ratio", "xl/sharedStrings.xml"
    )


@pytest.mark.parametrize("make", ["csv_renamed", "zip_without_workbook", "broken_workbook"])
def test_a_file_that_is_not_an_xlsx_is_refused(page, api, tmp_path: Path, make: str) -> None:
    path = tmp_path / "items.xlsx"
    if make == "csv_renamed":
        path.write_text(ITEM_HEADER + "FLR,food,kg,Flour,Мука\n", encoding="utf-8")
    elif make == "zip_without_workbook":
        zip_without_workbook(path)
    else:
        xlsx_broken(path)
    assert_refused_everywhere(page, api, path, tmp_path, "not_xlsx", "not an XLSX file")


def test_a_genuine_xlsx_still_imports(api, tmp_path: Path) -> None:
    path = xlsx_small(
        tmp_path / "items.xlsx",
        [["code", "category", "unit", "name_ru"], ["FLR", "food", "kg", "Мука"]],
    )
    response = api_post(api, path, tmp_path)
    assert response.status_code == 200, response.content
    assert Item.objects.get().names["ru"] == "Мука"


# ------------------------------------------------------------------------ encodings

ROWS = ITEM_HEADER + "FLR,food,kg,Wheat flour,Мука\nDSL,fuel,litre,Diesel,Дизель\n"


@pytest.mark.parametrize(
    "data",
    [
        ROWS.encode("utf-8"),
        codecs.BOM_UTF8 + ROWS.encode("utf-8"),
        codecs.BOM_UTF16_LE + ROWS.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ROWS.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16-le", "utf-16-be"],
)
def test_utf8_and_utf16_by_its_bom_are_accepted(api, tmp_path: Path, data: bytes) -> None:
    response = api_post(api, text_file(tmp_path, "items.csv", data), tmp_path)
    assert response.status_code == 200, response.content
    assert dict(Item.objects.values_list("code", "names__ru")) == {
        "FLR": "Мука",
        "DSL": "Дизель",
    }


def test_latin1_is_refused_naming_its_row(page, api, tmp_path: Path) -> None:
    latin1 = (ITEM_HEADER + "FLR,food,kg,Flour,x\nCAF,food,kg,Café,x\n").encode("latin-1")
    path = text_file(tmp_path, "items.csv", latin1)
    assert_refused_everywhere(page, api, path, tmp_path, "import_rejected", "Line 3")
    report = ex.import_file(kind="items", path=path, actor=UserFactory(is_superuser=True))
    assert [(e.row, e.value) for e in report.errors] == [(3, "E9")]
    assert "not UTF-8" in report.errors[0].message


def test_the_row_of_a_bad_byte_counts_cells_over_several_lines(tmp_path: Path, admin) -> None:
    data = (ITEM_HEADER + 'FLR,food,kg,"Wheat\nflour",x\nCAF,food,kg,Café,x\n').encode("latin-1")
    report = ex.import_file(kind="items", path=text_file(tmp_path, "items.csv", data), actor=admin)
    assert [e.row for e in report.errors] == [3]
    assert "Line 4" in report.errors[0].message


def test_utf32_and_latin1_geojson_are_refused(admin, tmp_path: Path) -> None:
    utf32 = text_file(tmp_path, "items.csv", ROWS.encode("utf-32"))
    report = ex.import_file(kind="items", path=utf32, actor=admin)
    assert [(e.row, e.value) for e in report.errors] == [(1, "UTF-32")]
    geojson = text_file(
        tmp_path,
        "places.geojson",
        '{"type":"FeatureCollection","features":[\n{"type":"Feature","properties":'
        '{"code":"X","name_en":"Caf\xe9"},"geometry":null}]}'.encode("latin-1"),
    )
    report = ex.import_file(kind="places", path=geojson, actor=admin)
    assert [e.row for e in report.errors] == [2] and "Line 2" in report.errors[0].message


# ------------------------------------------------------------------------ oversize cells


def test_a_cell_over_the_limit_is_a_row_error(page, api, tmp_path: Path) -> None:
    long = "x" * 10_001
    data = (ITEM_HEADER + f"FLR,food,kg,Flour,Мука\nDSL,fuel,litre,{long},x\n").encode()
    path = text_file(tmp_path, "items.csv", data)
    assert_refused_everywhere(page, api, path, tmp_path, "import_rejected", "10,000")
    report = ex.import_file(kind="items", path=path, actor=UserFactory(is_superuser=True))
    assert [(e.row, e.column) for e in report.errors] == [(3, "name_en")]


@pytest.mark.parametrize("hxl", [False, True], ids=["header", "hashtags-only"])
def test_a_200_kb_field_over_csvs_own_limit_names_row_and_column(
    page, api, tmp_path: Path, hxl: bool
) -> None:
    head = "#item+code,#item+type,#item+unit,#item+name+i_en,#item+name+i_ru\n" if hxl else ""
    header = head or ITEM_HEADER
    long = '"' + ("a,b" * 70_000) + '"'
    data = (header + f"FLR,food,kg,Flour,Мука\nDSL,fuel,litre,Diesel,{long}\n").encode()
    path = text_file(tmp_path, "items.csv", data)
    assert_refused_everywhere(page, api, path, tmp_path, "import_rejected", "131,072")
    report = ex.import_file(kind="items", path=path, actor=UserFactory(is_superuser=True))
    assert [(e.row, e.column) for e in report.errors] == [(3, "name_ru")]


def test_nul_and_control_characters_are_row_errors(api, tmp_path: Path) -> None:
    data = (ITEM_HEADER + "FLR,food,kg,Fl\x00our,x\nDSL,fuel,litre,Die\x07sel,x\n").encode()
    response = api_post(api, text_file(tmp_path, "items.csv", data), tmp_path)
    assert response.status_code == 400
    errors = response.json()["error"]["details"]["errors"]
    assert [(e["row"], e["column"]) for e in errors] == [(2, "name_en"), (3, "name_en")]
    assert "U+0000" in errors[0]["message"] and "U+0007" in errors[1]["message"]
    assert not Item.objects.exists()


# ------------------------------------------------------------------------ the real CLI


@pytest.mark.django_db(transaction=True)
def test_the_reliefops_command_reports_and_exits_non_zero_without_traceback(
    tmp_path: Path,
) -> None:
    """``reliefops import`` in its own process: the limits come from the environment."""
    UserFactory(username="ops", is_superuser=True)
    latin1 = (ITEM_HEADER + "CAF,food,kg,Café,x\n").encode("latin-1")
    small = text_file(tmp_path, "small.csv", ROWS.encode() * 30)
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        if connection.vendor == "postgresql"
        else f"sqlite:///{db['NAME']}"
    )
    env = {k: v for k, v in os.environ.items() if k != "RELIEFOPS_TEST_RUN"}
    env["DATABASE_URL"] = url
    # A refusal of the whole file and a row report; the other hostile files take the same
    # two paths (``call_command`` above raises CommandError for each, never anything else).
    cases = [
        (small, {"IMPORT_MAX_UPLOAD_MB": "0.001"}, "upload limit is 1.0 KB"),
        (text_file(tmp_path, "latin1.csv", latin1), {}, "row       2"),
    ]
    for path, extra, words in cases:
        result = subprocess.run(
            [sys.executable, "-m", "reliefops", "import", "items", str(path), "--user", "ops"],
            env={**env, **extra},
            capture_output=True,
            text=True,
            cwd=ROOT,
            timeout=300,
        )
        output = result.stdout + result.stderr
        assert result.returncode != 0, output
        assert "Traceback" not in output, output
        assert words in output, output
    assert not Item.objects.exists()
