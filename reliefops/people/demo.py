"""Demo scenario data of the people domain (idempotent): about 200 synthetic people.

Every record is made up (``synthetic=True``): names are common given names and
surnames drawn at random and combined, written in Azerbaijani Latin, in Cyrillic (as
Russian-language lists spell them) and in Armenian script; phones are in the fictional
``+994 50 555 2xxx`` range; addresses are house numbers. They live in the remote villages
of the scenario (most in the Khojaly district the demo field worker covers, the others
in Shusha, Khojavend and Tartar districts); many are over 70 and live alone, with chronic
conditions, some need surgery. A few did not consent to home visits or to referral.
Four people are registered twice, in two scripts with a year of birth off by one, so
the duplicates page has work.

The people are registered through the registry's services by the demo field worker
(their districts) and the coordinator (the rest). Nothing is loaded when synthetic
people exist already.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any, TextIO

from reliefops.accounts.models import User
from reliefops.core.demo import scenario_date
from reliefops.organisations.models import Organisation
from reliefops.people.duplicates import name_tokens, script_of
from reliefops.people.models import Person
from reliefops.people.services import ConsentInput, PersonInput, person_register
from reliefops.places.models import Place

PEOPLE = 200
#: Village P-codes → weight (the field worker's Khojaly district first).
VILLAGES = {
    **dict.fromkeys(("AZ-S0002", "AZ-S0003", "AZ-S0004", "AZ-S0005", "AZ-S0006"), 4),
    **dict.fromkeys(("AZ-S0007", "AZ-S0008", "AZ-S0009", "AZ-S0034"), 3),
    **dict.fromkeys(("AZ-S0010", "AZ-S0011", "AZ-S0012", "AZ-S0013"), 2),
    **dict.fromkeys(("AZ-S0019", "AZ-S0020", "AZ-S0021", "AZ-S0022", "AZ-S0023"), 2),
    **dict.fromkeys(("AZ-S0025", "AZ-S0026", "AZ-S0027", "AZ-S0028"), 1),
}
#: The districts the demo field worker (accounts/demo.py) registers in.
FIELD_AREAS = {"AZ-XA", "AZ-XCI"}

# script → (male given names, female given names, surnames (male form), feminine suffix)
NAMES: dict[str, tuple[list[str], list[str], list[str], str]] = {
    "latin": (
        [
            "Rəşid",
            "Tofiq",
            "Vüqar",
            "Elçin",
            "Kamran",
            "Fərid",
            "Əli",
            "Hüseyn",
            "Rauf",
            "Nazim",
            "Zakir",
            "Yaqub",
            "İlham",
            "Şahin",
            "Vaqif",
        ],
        [
            "Xədicə",
            "Sevinc",
            "Gülnarə",
            "Zeynəb",
            "Rəna",
            "Nigar",
            "Aygün",
            "Səbinə",
            "Firuzə",
            "Məleykə",
            "Gülşən",
            "Zərifə",
            "Tamilla",
            "Sürəyya",
        ],
        [
            "Məmmədov",
            "Əliyev",
            "Hüseynov",
            "Həsənov",
            "Quliyev",
            "Kərimov",
            "Nəsirov",
            "Abbasov",
            "Rzayev",
            "Bağırov",
            "İsmayılov",
            "Cəfərov",
            "Orucov",
            "Novruzov",
            "Sadıqov",
        ],
        "a",
    ),
    "cyrillic": (
        [
            "Рашид",
            "Тофик",
            "Вугар",
            "Эльчин",
            "Камран",
            "Фарид",
            "Али",
            "Гусейн",
            "Рауф",
            "Назим",
            "Закир",
            "Якуб",
            "Ильхам",
            "Шахин",
            "Вагиф",
        ],
        [
            "Хадиджа",
            "Севиндж",
            "Гюльнара",
            "Зейнаб",
            "Рена",
            "Нигяр",
            "Айгюн",
            "Сабина",
            "Фируза",
            "Малейка",
            "Гюльшан",
            "Зарифа",
            "Тамилла",
            "Сурая",
        ],
        [
            "Мамедов",
            "Алиев",
            "Гусейнов",
            "Гасанов",
            "Кулиев",
            "Керимов",
            "Насиров",
            "Аббасов",
            "Рзаев",
            "Багиров",
            "Исмаилов",
            "Джафаров",
            "Оруджев",
            "Новрузов",
            "Садыхов",
        ],
        "а",
    ),
    "armenian": (
        [
            "Արմեն",
            "Աշոտ",
            "Կարեն",
            "Սամվել",
            "Տիգրան",
            "Վարդան",
            "Գագիկ",
            "Հրանտ",
            "Արտակ",
            "Սերգեյ",
            "Լևոն",
            "Ռաֆիկ",
        ],
        [
            "Անահիտ",
            "Գոհար",
            "Լուսինե",
            "Մարիամ",
            "Աննա",
            "Սիրանուշ",
            "Հասմիկ",
            "Նունե",
            "Ռուզաննա",
            "Արմինե",
            "Սոնա",
            "Շողիկ",
        ],
        [
            "Հովհաննիսյան",
            "Ավետիսյան",
            "Մկրտչյան",
            "Սարգսյան",
            "Հարությունյան",
            "Գրիգորյան",
            "Պետրոսյան",
            "Խաչատրյան",
            "Կարապետյան",
            "Բաղդասարյան",
            "Ղազարյան",
            "Միրզոյան",
        ],
        "",
    ),
}
LANGUAGES = {"latin": ["az"], "cyrillic": ["ru", "az"], "armenian": ["hy", "ru"]}
SCRIPT_WEIGHTS = {"latin": 5, "cyrillic": 2, "armenian": 3}

# (village, name, year, sex, script) twice: one person registered twice
DUPLICATES = [
    ("AZ-S0002", ("Məmmədov Rəşid", 1946), ("Рашид Мамедов", 1947), "male"),
    ("AZ-S0004", ("Anahit Hovhannisyan", 1941), ("Անահիտ Հովհաննիսյան", 1940), "female"),
    ("AZ-S0005", ("Tofiq Nəsirov", 1949), ("Тофик Насиров", 1950), "male"),
    ("AZ-S0003", ("Գոհար Ավետիսյան", 1944), ("Gohar Avetisyan", 1945), "female"),
]
CHRONIC = ["diabetes", "hypertension", "cardiac", "renal", "respiratory", "mental_health"]


def _name(rng: random.Random, script: str, sex: str) -> str:
    male, female, surnames, suffix = NAMES[script]
    given = rng.choice(male if sex == "male" else female)
    surname = rng.choice(surnames) + (suffix if sex == "female" else "")
    return f"{given} {surname}" if script == "armenian" else f"{surname} {given}"


def _person(rng: random.Random, i: int) -> dict[str, Any]:
    old = rng.random() < 0.65
    year = rng.randint(1933, 1953) if old else rng.randint(1955, 2000)
    vulnerabilities = set(rng.sample(CHRONIC, k=rng.choice([0, 1, 1, 2, 2, 3])))
    if vulnerabilities and rng.random() < 0.7:
        vulnerabilities.add("chronic_medication")
    if rng.random() < 0.12:
        vulnerabilities.add("needs_surgery")
    if rng.random() < 0.1:
        vulnerabilities.add("disability")
    if rng.random() < 0.06:
        vulnerabilities.add("cancer")
    return {
        "year_of_birth": year,
        "sex": rng.choice(["female", "female", "male"]),
        "lives_alone": rng.random() < (0.7 if old else 0.2),
        "mobility": rng.choice(
            ["independent", "limited", "limited", "wheelchair", "bedridden"]
            if old
            else ["independent"] * 4 + ["limited"]
        ),
        "vulnerabilities": sorted(vulnerabilities),
        "phone": f"+994 50 555 {2000 + i:04d}" if rng.random() < 0.6 else None,
        "address": f"House {rng.randint(1, 120)}",
    }


def _consents(rng: random.Random, day: dt.date, i: int) -> list[ConsentInput]:
    refused = {"visits"} if i % 37 == 5 else {"referral"} if i % 31 == 7 else set()
    given_by = "caregiver" if rng.random() < 0.15 else "self"
    return [
        ConsentInput(purpose, purpose not in refused, day, given_by)
        for purpose in ("registration", "visits", "referral", "contact")
    ]


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    if Person.objects.filter(synthetic=True).exists():
        return
    places = {p.code: p for p in Place.objects.filter(code__in=VILLAGES).select_related("admin1")}
    if not places:
        return
    field = User.objects.get(username="field")
    coordinator = User.objects.get(username="coordinator")
    health = Organisation.objects.get(acronym="HEALTH")
    chq = Organisation.objects.get(acronym="CHQ")
    rng = random.Random(20231002)
    codes = [c for c in VILLAGES if c in places]
    weights = [VILLAGES[c] for c in codes]
    scripts, script_weights = zip(*SCRIPT_WEIGHTS.items(), strict=True)
    used: set[tuple[str, ...]] = set()
    rows: list[tuple[str, str, dict[str, Any]]] = []
    for village, *records, sex in DUPLICATES:
        for name, year in records:
            details = {**_person(rng, len(rows)), "year_of_birth": year, "sex": sex}
            details["languages"] = LANGUAGES.get(script_of(name), ["az"])
            rows.append((village, name, details))
        used.add(name_tokens(records[0][0]))
    while len(rows) < PEOPLE:
        details = _person(rng, len(rows))
        script = rng.choices(scripts, script_weights)[0]
        name = _name(rng, script, details["sex"])
        if name_tokens(name) in used:
            continue
        used.add(name_tokens(name))
        details["languages"] = LANGUAGES[script]
        rows.append((rng.choices(codes, weights)[0], name, details))
    for i, (code, name, details) in enumerate(rows):
        place = places.get(code)
        if place is None:
            continue
        in_field = place.admin1 is not None and place.admin1.code in FIELD_AREAS
        day = scenario_date(dt.date(2023, 9, 1) + dt.timedelta(days=i % 28))
        person_register(
            actor=field if in_field else coordinator,
            data=PersonInput(
                place=place,
                organisation=health if in_field else chq,
                consents=_consents(rng, day, i),
                full_name=name,
                registered_on=day,
                synthetic=True,
                languages=details.pop("languages", ["az"]),
                **details,
            ),
        )
    stdout.write(f"  people: {len(rows)} synthetic people registered\n")
