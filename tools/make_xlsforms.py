"""Write the example XLSForms of ``forms/``: a home visit and a crossing-point count.

    .venv/bin/python tools/make_xlsforms.py [--output forms]

The forms are declared below as data (one row per survey line, XLSForm's column names),
written with openpyxl as ``forms/home_visit.xlsx`` and ``forms/crossing_count.xlsx``
(sheets ``survey``, ``choices``, ``settings``). Upload them to KoboToolbox or ODK Central
as they are; their mappings to ReliefOps records are ``forms/*.mapping.json`` (see
docs/kobo.md). ``tests/intake/test_kobo_forms.py`` checks that the committed files are what
this script writes and that every source path of the mappings is a question of the form.
"""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font

EN, RU = "English (en)", "Russian (ru)"
SURVEY_COLUMNS = [
    "type",
    "name",
    f"label::{EN}",
    f"label::{RU}",
    f"hint::{EN}",
    f"hint::{RU}",
    "required",
    f"required_message::{EN}",
    f"required_message::{RU}",
    "constraint",
    f"constraint_message::{EN}",
    f"constraint_message::{RU}",
    "relevant",
    "appearance",
    "parameters",
    "default",
]
CHOICE_COLUMNS = ["list_name", "name", f"label::{EN}", f"label::{RU}"]
SETTINGS_COLUMNS = ["form_title", "form_id", "version", "default_language", "instance_name"]
#: Fixed workbook timestamps, so two runs write the same workbook properties.
STAMP = dt.datetime(2023, 9, 25, 8, 0, 0)

REQUIRED = {
    "required": "yes",
    f"required_message::{EN}": "This answer is required.",
    f"required_message::{RU}": "Это обязательный ответ.",
}
METADATA = [
    {"type": "start", "name": "start"},
    {"type": "end", "name": "end"},
    {"type": "today", "name": "today"},
    {"type": "deviceid", "name": "deviceid"},
    {"type": "username", "name": "username"},
]


def q(kind: str, name: str, en: str, ru: str, **more: str) -> dict[str, str]:
    """One survey row (``hint_en``/``hint_ru`` … are spelled as XLSForm columns)."""
    row = {"type": kind, "name": name, f"label::{EN}": en, f"label::{RU}": ru}
    for key, value in more.items():
        column = key.replace("_en", f"::{EN}").replace("_ru", f"::{RU}")
        row[column] = value
    return row


def group(name: str, en: str, ru: str, rows: list[dict[str, str]]) -> list[dict[str, str]]:
    begin = q("begin_group", name, en, ru, appearance="field-list")
    return [begin, *rows, {"type": "end_group", "name": name}]


def choices(list_name: str, items: list[tuple[str, str, str]]) -> list[dict[str, str]]:
    return [
        {"list_name": list_name, "name": name, f"label::{EN}": en, f"label::{RU}": ru}
        for name, en, ru in items
    ]


# --------------------------------------------------------------------------- home visit

HOME_VISIT: dict[str, Any] = {
    "file": "home_visit.xlsx",
    "survey": [
        *METADATA,
        *group(
            "visit",
            "Visit",
            "Визит",
            [
                q(
                    "text",
                    "person_ref",
                    "Person reference",
                    "Код человека",
                    hint_en="The pseudonymous reference on the round sheet, e.g. P-7K2Q9M.",
                    hint_ru="Псевдонимный код из листа обхода, например P-7K2Q9M.",
                    constraint="regex(., '^P-[A-Za-z0-9-]+$')",
                    constraint_message_en="A reference starts with P- (never a name).",
                    constraint_message_ru="Код начинается с P- (никогда не имя).",
                    **REQUIRED,
                ),
                q("text", "team_code", "Team code", "Код бригады", **REQUIRED),
                q(
                    "text",
                    "round_ref",
                    "Round reference (if on a planned round)",
                    "Код маршрута (если визит в плановом обходе)",
                ),
                q(
                    "integer",
                    "stop",
                    "Stop number on the round",
                    "Номер остановки в маршруте",
                    relevant="${round_ref} != ''",
                    constraint=". >= 1",
                    constraint_message_en="Stops are numbered from 1.",
                    constraint_message_ru="Остановки нумеруются с 1.",
                ),
                q(
                    "select_one outcome",
                    "outcome",
                    "Visit outcome",
                    "Результат визита",
                    **REQUIRED,
                ),
                q(
                    "dateTime",
                    "visited_at",
                    "Time of the visit",
                    "Время визита",
                    hint_en="Leave empty for the time the form is finished.",
                    hint_ru="Оставьте пустым: будет время завершения формы.",
                ),
            ],
        ),
        *group(
            "services",
            "Services",
            "Услуги",
            [
                q(
                    "select_multiple services",
                    "given",
                    "Services given",
                    "Оказанные услуги",
                    relevant="${outcome} = 'visited'",
                    appearance="minimal",
                ),
            ],
        ),
        *group(
            "follow_up",
            "Follow-up",
            "Повторный визит",
            [
                q(
                    "date",
                    "due",
                    "Follow-up due on",
                    "Повторный визит до",
                    constraint=". >= today()",
                    constraint_message_en="The follow-up date cannot be in the past.",
                    constraint_message_ru="Дата повторного визита не может быть в прошлом.",
                ),
            ],
        ),
        q(
            "geopoint",
            "location",
            "Where the visit took place",
            "Где состоялся визит",
            hint_en="Optional; helps to tell apart villages with the same name.",
            hint_ru="Необязательно; помогает различить сёла с одинаковым названием.",
        ),
        q(
            "image",
            "photo",
            "Photo (optional; never of a person's face)",
            "Фото (необязательно; никогда не лицо человека)",
            parameters="max-pixels=1024",
        ),
    ],
    "choices": [
        *choices(
            "outcome",
            [
                ("visited", "Visited", "Визит состоялся"),
                ("absent", "Not at home", "Нет дома"),
                ("declined", "Declined the visit", "Отказался от визита"),
                ("unreachable", "Could not be reached", "Не удалось добраться"),
            ],
        ),
        *choices(
            "services",
            [
                ("consultation", "Consultation", "Консультация"),
                ("medication_refill", "Medication refill", "Выдача лекарств"),
                ("food_parcel", "Food parcel", "Продуктовый набор"),
                ("hot_meal", "Hot meal", "Горячее питание"),
                ("water", "Water", "Вода"),
                ("referral", "Referral", "Направление"),
            ],
        ),
    ],
    "settings": {
        "form_title": "ReliefOps home visit",
        "form_id": "reliefops_home_visit",
        "version": "2023092501",
        "default_language": EN,
        "instance_name": "concat(${person_ref}, ' ', ${team_code})",
    },
}

# --------------------------------------------------------------------------- crossing count

SEXES = [
    ("female", "Women and girls", "Женщины и девочки"),
    ("male", "Men and boys", "Мужчины и мальчики"),
]
BANDS = [
    ("0_4", "0–4 years", "0–4 лет"),
    ("5_17", "5–17 years", "5–17 лет"),
    ("18_59", "18–59 years", "18–59 лет"),
    ("60_69", "60–69 years", "60–69 лет"),
    ("70_plus", "70 and over", "70 лет и старше"),
]
NOT_NEGATIVE = {
    "constraint": ". >= 0",
    "constraint_message_en": "A count cannot be negative.",
    "constraint_message_ru": "Число не может быть отрицательным.",
}


def _persons() -> list[dict[str, str]]:
    rows = []
    for sex, sex_en, sex_ru in SEXES:
        for band, band_en, band_ru in BANDS:
            rows.append(
                q(
                    "integer",
                    f"{sex}_{band}",
                    f"{sex_en}, {band_en}",
                    f"{sex_ru}, {band_ru}",
                    **NOT_NEGATIVE,
                )
            )
    return rows


CROSSING_COUNT: dict[str, Any] = {
    "file": "crossing_count.xlsx",
    "survey": [
        *METADATA,
        *group(
            "count",
            "Count",
            "Подсчёт",
            [
                q(
                    "select_one crossing_point",
                    "crossing_point",
                    "Crossing point",
                    "Пункт пропуска",
                    **REQUIRED,
                ),
                q(
                    "date",
                    "date",
                    "Date of the count",
                    "Дата подсчёта",
                    default="today()",
                    **REQUIRED,
                ),
                q(
                    "integer",
                    "hour",
                    "Hour (0–23; empty for the whole day)",
                    "Час (0–23; пусто — за весь день)",
                    constraint=". >= 0 and . <= 23",
                    constraint_message_en="An hour from 0 to 23.",
                    constraint_message_ru="Час от 0 до 23.",
                ),
                q("select_one direction", "direction", "Direction", "Направление", **REQUIRED),
                q(
                    "select_one method",
                    "method",
                    "How the figures were obtained",
                    "Как получены цифры",
                    **REQUIRED,
                ),
            ],
        ),
        *group(
            "persons",
            "Persons by sex and age",
            "Люди по полу и возрасту",
            [
                q(
                    "note",
                    "persons_note",
                    "Count every person once; leave a cell empty when it was not counted.",
                    "Считайте каждого человека один раз; оставьте пустым, если не считали.",
                ),
                *_persons(),
                q(
                    "integer",
                    "total",
                    "Total persons (if not broken down)",
                    "Всего людей (если без разбивки)",
                    **NOT_NEGATIVE,
                ),
            ],
        ),
        q("integer", "vehicles", "Vehicles", "Транспортные средства", **NOT_NEGATIVE),
        q("text", "notes", "Notes", "Примечания", appearance="multiline"),
        q("geopoint", "location", "Where the count was made", "Где проводился подсчёт"),
    ],
    "choices": [
        *choices(
            "crossing_point",
            [
                (
                    "F-LAC-CP",
                    "Lachin crossing point (towards Goris)",
                    "Лачинский пункт пропуска (в сторону Гориса)",
                )
            ],
        ),
        *choices(
            "direction",
            [
                ("out", "Leaving (outbound)", "Выезд (исходящий поток)"),
                ("in", "Arriving (inbound)", "Въезд (входящий поток)"),
            ],
        ),
        *choices(
            "method",
            [
                ("count", "Counted one by one", "Подсчёт поштучно"),
                ("estimate", "Estimated", "Оценка"),
            ],
        ),
    ],
    "settings": {
        "form_title": "ReliefOps crossing-point count",
        "form_id": "reliefops_crossing_count",
        "version": "2023092501",
        "default_language": EN,
        "instance_name": "concat(${crossing_point}, ' ', ${date}, ' ', ${direction})",
    },
}

FORMS = [HOME_VISIT, CROSSING_COUNT]


def _sheet(book: Workbook, title: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    sheet = book.create_sheet(title)
    sheet.append(columns)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        unknown = set(row) - set(columns)
        if unknown:
            raise ValueError(f"{title}: unknown columns {sorted(unknown)}")
        sheet.append([row.get(c, "") or None for c in columns])
    for column in sheet.columns:
        width = max(len(str(c.value or "")) for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def workbook(form: dict[str, Any]) -> Workbook:
    """The XLSForm workbook of one form declaration."""
    book = Workbook()
    book.remove(book.active)
    _sheet(book, "survey", SURVEY_COLUMNS, form["survey"])
    _sheet(book, "choices", CHOICE_COLUMNS, form["choices"])
    _sheet(book, "settings", SETTINGS_COLUMNS, [form["settings"]])
    book.properties.creator = "ReliefOps"
    book.properties.created = STAMP
    book.properties.modified = STAMP
    return book


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--output", type=Path, default=Path(__file__).resolve().parents[1] / "forms"
    )
    args = parser.parse_args(argv)
    args.output.mkdir(parents=True, exist_ok=True)
    for form in FORMS:
        path = args.output / form["file"]
        workbook(form).save(path)
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
