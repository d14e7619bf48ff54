"""Translations from one source: the .po files, complete, compiled, and in step with the code.

Also: API errors in the caller's language, units / import kinds / estimator labels / ledger
reasons / area names translated, and date inputs that keep their value in every locale.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import Client, override_settings
from django.utils import timezone, translation
from rest_framework.test import APIClient

from reliefops.core.exchange import registry_kinds
from reliefops.needs.estimators import ESTIMATOR_LABELS, METHOD_LABELS, PARAMETER_LABELS
from reliefops.stock.choices import LedgerReason, Unit, reason_label, unit_label
from tests.accounts.factories import make_user
from tools.translations import LANGUAGES, LOCALE, catalogue_state, placeholders, po_path

PACKAGE = LOCALE.parent


@pytest.fixture(autouse=True)
def _english_afterwards():
    """Requests below activate az/ru/hy on this thread (LocaleMiddleware); do not leak it."""
    yield
    translation.activate("en")


def _key(entry: polib.POEntry | polib.MOEntry) -> tuple[str, str]:
    return (entry.msgctxt or "", entry.msgid)


# --------------------------------------------------------------------------- the checker


def test_placeholders_are_found_and_counted() -> None:
    assert placeholders("%(n)s of %(total)d, 100 %%") == {"%(n)s": 1, "%(total)d": 1}
    assert placeholders("%s and %s") == {"%s": 2}
    assert placeholders("{name} has {count:>3} {{literal}}") == {"{name}": 1, "{count}": 1}
    assert placeholders("no placeholder: 50 % of") == {}


def test_the_checker_catches_empty_fuzzy_plural_and_placeholder_faults(tmp_path: Path) -> None:
    """The catalogue test below can fail: each fault in a sample catalogue is reported."""
    po = polib.POFile()
    po.metadata = {"Plural-Forms": "nplurals=3; plural=(n%10==1 ? 0 : n%10>=2 ? 1 : 2);"}
    po.append(polib.POEntry(msgid="Good %(n)s", msgstr="Хорошо %(n)s"))
    po.append(polib.POEntry(msgid="Empty", msgstr=""))
    po.append(polib.POEntry(msgid="Guess", msgstr="Догадка", flags=["fuzzy"]))
    po.append(polib.POEntry(msgid="Kept %(name)s", msgstr="Потеряно %(nom)s"))
    po.append(polib.POEntry(msgid="Brace {code}", msgstr="Скобка"))
    po.append(
        polib.POEntry(
            msgid="%(counter)s row",
            msgid_plural="%(counter)s rows",
            msgstr_plural={0: "%(counter)s строка", 1: "%(counter)s строки", 2: ""},
        )
    )
    po.append(
        polib.POEntry(
            msgid="%(counter)s file",
            msgid_plural="%(counter)s files",
            msgstr_plural={0: "%(counter)s файл", 1: "файла", 2: "%(counter)s файлов"},
        )
    )
    path = tmp_path / "django.po"
    po.save(str(path))
    state = catalogue_state("xx", path)
    assert state.total == 7
    assert state.empty == ["Empty", "%(counter)s row"]
    assert state.fuzzy == ["Guess"]
    assert [p.split(" → ")[0] for p in state.placeholders] == [
        "Kept %(name)s",
        "Brace {code}",
        "%(counter)s file",
    ]
    assert not state.ok


# --------------------------------------------------------------------------- the catalogues


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_empty_fuzzy_or_mismatched_entry(lang: str) -> None:
    state = catalogue_state(lang)
    assert state.total > 600
    assert state.empty == [], f"{lang}: {len(state.empty)} empty: run `make messages`, translate"
    assert state.fuzzy == [], f"{lang}: {len(state.fuzzy)} fuzzy: check and clear the flag"
    assert state.placeholders == [], f"{lang}: placeholders differ from the msgid"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_header_names_the_language_and_its_plural_forms(lang: str) -> None:
    po = polib.pofile(str(po_path(lang)))
    assert po.metadata["Language"] == lang
    assert "nplurals=" in po.metadata["Plural-Forms"]


@pytest.mark.parametrize("lang", LANGUAGES)
def test_compiled_catalogue_is_the_po_file(lang: str) -> None:
    """The committed .mo holds exactly the .po's translations (`make messages` compiles)."""
    po = polib.pofile(str(po_path(lang)))
    mo = polib.mofile(str(po_path(lang).with_suffix(".mo")))
    expected = {
        _key(e): (e.msgstr, dict(e.msgstr_plural))
        for e in po.translated_entries()
        if "fuzzy" not in e.flags
    }
    compiled = {_key(e): (e.msgstr, dict(e.msgstr_plural)) for e in mo if e.msgid}
    assert compiled.keys() == expected.keys(), "stale .mo: run `make messages`"
    stale = [k for k in expected if compiled[k] != expected[k]]
    assert stale == [], f"stale .mo for {len(stale)} entries: run `make messages`"


def test_catalogues_hold_exactly_the_strings_of_the_code(tmp_path: Path, monkeypatch) -> None:
    """`makemessages` on a copy of the code changes no msgid: nothing missing, none stale."""
    if not (shutil.which("xgettext") and shutil.which("msgmerge")):
        pytest.fail("GNU gettext is missing: `make gettext` (Debian package gettext)")
    copy = tmp_path / "reliefops"
    shutil.copytree(
        PACKAGE,
        copy,
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "static", "data"),
    )
    monkeypatch.chdir(copy)
    with override_settings(LOCALE_PATHS=[copy / "locale"]):
        call_command("makemessages", locale=list(LANGUAGES), no_obsolete=True, verbosity=0)
    for lang in LANGUAGES:
        ours = {_key(e) for e in polib.pofile(str(po_path(lang))) if not e.obsolete}
        fresh = {
            _key(e)
            for e in polib.pofile(str(copy / "locale" / lang / "LC_MESSAGES" / "django.po"))
            if not e.obsolete
        }
        missing = sorted(m for _c, m in fresh - ours)
        stale = sorted(m for _c, m in ours - fresh)
        assert missing == [], f"{lang}: strings of the code not in the catalogue: `make messages`"
        assert stale == [], f"{lang}: msgids no longer in the code: `make messages`"


# --------------------------------------------------------------------------- API errors


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("lang", "not_found", "invalid"),
    [
        ("ru", "Не найдено.", "Введённые данные некорректны."),
        ("az", "Tapılmadı.", "Daxil edilən məlumat düzgün deyil."),
        ("hy", "Չի գտնվել։", "Մուտքագրված տվյալները վավեր չեն։"),
    ],
)
def test_api_errors_come_back_in_the_accept_language(lang, not_found, invalid) -> None:
    client = APIClient()
    client.force_authenticate(make_user("coordinator"))
    response = client.get("/api/v1/needs/heating-fuel/NOPE/", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 404
    assert response.json()["error"] == {"code": "not_found", "message": not_found, "details": {}}
    response = client.post("/api/v1/requests/", {}, format="json", HTTP_ACCEPT_LANGUAGE=lang)
    assert response.status_code == 400
    assert response.json()["error"]["message"] == invalid
    assert response["Content-Language"] == lang


@pytest.mark.django_db
def test_api_errors_follow_the_language_the_user_chose() -> None:
    """No Accept-Language: the language picked with the switcher (session) applies."""
    client = Client()
    client.force_login(make_user("coordinator"))
    client.post("/language/", {"language": "ru", "next": "/"})
    response = client.get("/api/v1/needs/heating-fuel/NOPE/")
    assert response.status_code == 404
    assert response.json()["error"]["message"] == "Не найдено."


@pytest.mark.django_db
def test_database_refusals_are_translated_too() -> None:
    """The messages the exception handler writes itself go through the catalogue."""
    from django.db import DataError

    from reliefops.core.api import exception_handler

    with translation.override("ru"):
        response = exception_handler(DataError("x"), {})
    assert response is not None and response.status_code == 400
    assert response.data["error"]["message"] == (
        "Данные содержат значение, которое невозможно сохранить."
    )


# --------------------------------------------------------------------------- vocabularies


@pytest.mark.parametrize("lang", LANGUAGES)
def test_units_reasons_kinds_and_estimator_labels_are_translated(lang: str) -> None:
    same_as_english = {"az": {"m3"}}.get(lang, set())  # "m³" is "m³" in Azerbaijani
    with translation.override("en"):
        english_units = {u.value: unit_label(u.value) for u in Unit}
    with translation.override(lang):
        for unit in Unit:
            if unit.value not in same_as_english:
                assert unit_label(unit.value) != english_units[unit.value], unit
        assert unit_label("service") != "service"
        assert unit_label("no-such-unit") == "no-such-unit"
        for reason in LedgerReason:
            assert reason_label(reason.value) != reason.value
        assert reason_label("typed by a person") == "typed by a person"
        ours = [
            e
            for e in registry_kinds()
            if (e.importer or e.exporter).__module__.startswith("reliefops.")  # type: ignore[union-attr]
        ]
        with translation.override("en"):
            english = {e.kind: str(e.label) for e in ours}
        assert len(ours) >= 8
        for entry in ours:
            assert str(entry.label) != english[entry.kind], entry.kind
        for labels in (ESTIMATOR_LABELS, METHOD_LABELS, PARAMETER_LABELS):
            with translation.override("en"):
                english = {k: str(v) for k, v in labels.items()}
            for key, value in labels.items():
                assert str(value) != english[key], key


def test_every_estimator_parameter_has_a_label() -> None:
    from reliefops.needs.estimators import HEATING_DEFAULTS, SPHERE_DEFAULTS

    assert set(HEATING_DEFAULTS) | set(SPHERE_DEFAULTS) == set(PARAMETER_LABELS)


@pytest.mark.django_db
def test_pages_show_units_and_reasons_translated() -> None:
    from decimal import Decimal

    from reliefops.stock.services import stock_receive
    from tests.accounts.factories import UserFactory
    from tests.stock.factories import ItemFactory, WarehouseFactory

    coordinator = UserFactory(is_superuser=True)
    item = ItemFactory(code="DSL", unit="litre", category="fuel")
    warehouse = WarehouseFactory()
    stock_receive(
        actor=coordinator,
        warehouse=warehouse,
        item=item,
        quantity=Decimal(500),
        reason=LedgerReason.OPENING_STOCK,
    )
    client = Client()
    client.force_login(coordinator)
    balances = client.get("/stock/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "500 литр" in balances
    ledger = client.get("/stock/ledger/", HTTP_ACCEPT_LANGUAGE="ru").content.decode()
    assert "Начальный остаток" in ledger
    assert "opening stock" not in ledger


# --------------------------------------------------------------------------- area names


def test_every_admin_area_has_a_name_in_every_language() -> None:
    import csv

    with (PACKAGE / "places" / "data" / "admin_areas.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) > 80
    for lang in ("en", *LANGUAGES):
        assert [r["code"] for r in rows if not r[f"name_{lang}"].strip()] == [], lang
    armenian = re.compile(r"^[\u0531-\u058F\s()\-]+$")
    assert [r["code"] for r in rows if not armenian.match(r["name_hy"])] == []
    cyrillic = re.compile(r"^[\u0400-\u04FF\s()\-]+$")
    assert [r["code"] for r in rows if not cyrillic.match(r["name_ru"])] == []


@pytest.mark.django_db
def test_area_names_are_shown_in_armenian() -> None:
    from reliefops.places.admin_areas import admin_areas_load
    from reliefops.places.models import AdminArea

    admin_areas_load()
    with translation.override("hy"):
        assert AdminArea.objects.get(code="AZ-XA").name == "Ստեփանակերտ"
        assert AdminArea.objects.get(code="AZ-TAR").name == "Թարթառի շրջան"
    client = Client()
    client.force_login(make_user("coordinator"))
    response = client.get("/reports/map/admin-areas.geojson?level=1", HTTP_ACCEPT_LANGUAGE="hy")
    names = {f["properties"]["code"]: f["properties"]["name"] for f in response.json()["features"]}
    assert names["AZ-SUS"] == "Շուշիի շրջան"
    assert names["AM-SU"] == "Սյունիք"


# --------------------------------------------------------------------------- date inputs


@pytest.mark.django_db
@pytest.mark.parametrize("lang", ["az", "ru", "hy", "en"])
def test_request_form_opens_with_today_in_needed_from(lang: str) -> None:
    client = Client()
    client.force_login(make_user("coordinator"))
    html = client.get("/needs/requests/new/", HTTP_ACCEPT_LANGUAGE=lang).content.decode()
    today = timezone.localdate().isoformat()
    tag = re.search(r'<input type="date" name="needed_from"[^>]*>', html)
    assert tag is not None, html[:500]
    assert f'value="{today}"' in tag.group(0)


@pytest.mark.parametrize("lang", ["az", "ru", "hy"])
def test_shared_date_input_renders_iso_and_parses_it(lang: str) -> None:
    from django import forms

    from reliefops.core.forms import DateInput

    class Form(forms.Form):
        day = forms.DateField(widget=DateInput())

    with translation.override(lang):
        html = str(Form(initial={"day": dt.date(2026, 3, 9)})["day"])
        assert 'type="date"' in html and 'value="2026-03-09"' in html
        bound = Form({"day": "2026-03-09"})
        assert bound.is_valid() and bound.cleaned_data["day"] == dt.date(2026, 3, 9)


def test_every_date_input_uses_the_shared_widget() -> None:
    """No form builds its own date widget (which would render the locale's format)."""
    shared = PACKAGE / "core" / "forms.py"
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if path != shared
        and re.search(r"forms\.DateInput\(|[\"']type[\"']: *[\"']date[\"']", path.read_text())
    ]
    templates = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.html")
        if 'type="date"' in path.read_text(encoding="utf-8")
    ]
    assert offenders == [] and templates == []
