"""Demo scenario data of the stock domain (idempotent).

The catalogue, warehouses in Barda, Yevlakh, Aghdam and Goris with opening stock (diesel,
heating oil, flour, bread, food parcels, hygiene kits, medicines), small fuel stocks held at
two facilities (for days of cover) and pledges in the pipeline. Quantities are synthetic.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TextIO

from django.db import transaction

from reliefops.accounts.models import User
from reliefops.core.demo import scenario_date
from reliefops.organisations.models import Organisation
from reliefops.places.models import Facility
from reliefops.stock import services
from reliefops.stock.choices import LedgerReason
from reliefops.stock.models import Item, Pledge, StockTransaction, Warehouse

OPENING = "DEMO-OPENING"

# code, names, category, unit, kg/unit, m3/unit, perishable, shelf life, hazard, hxl
ITEMS = [
    (
        "DSL",
        {
            "en": "Diesel fuel",
            "az": "Dizel yanacağı",
            "ru": "Дизельное топливо",
            "hy": "Դիզելային վառելիք",
        },
        "fuel",
        "litre",
        "0.84",
        "0.001",
        False,
        None,
        "3",
        "#item+fuel+diesel",
    ),
    (
        "HOIL",
        {
            "en": "Heating oil",
            "az": "Qazan yanacağı",
            "ru": "Печное топливо",
            "hy": "Ջեռուցման վառելանյութ",
        },
        "fuel",
        "litre",
        "0.85",
        "0.001",
        False,
        None,
        "3",
        "#item+fuel+heating_oil",
    ),
    (
        "FLR",
        {"en": "Wheat flour", "az": "Buğda unu", "ru": "Пшеничная мука", "hy": "Ցորենի ալյուր"},
        "food",
        "kg",
        "1",
        "0.0016",
        True,
        180,
        "",
        "#item+food",
    ),
    (
        "RICE",
        {"en": "Rice", "az": "Düyü", "ru": "Рис", "hy": "Բրինձ"},
        "food",
        "kg",
        "1",
        "0.0013",
        True,
        365,
        "",
        "#item+food",
    ),
    (
        "PULS",
        {"en": "Lentils", "az": "Mərci", "ru": "Чечевица", "hy": "Ոսպ"},
        "food",
        "kg",
        "1",
        "0.0013",
        True,
        365,
        "",
        "#item+food",
    ),
    (
        "VOIL",
        {
            "en": "Vegetable oil",
            "az": "Bitki yağı",
            "ru": "Растительное масло",
            "hy": "Բուսական յուղ",
        },
        "food",
        "kg",
        "1",
        "0.0011",
        True,
        365,
        "",
        "#item+food",
    ),
    (
        "SUGR",
        {"en": "Sugar", "az": "Şəkər", "ru": "Сахар", "hy": "Շաքար"},
        "food",
        "kg",
        "1",
        "0.0012",
        False,
        None,
        "",
        "#item+food",
    ),
    (
        "BRD",
        {"en": "Bread", "az": "Çörək", "ru": "Хлеб", "hy": "Հաց"},
        "bread",
        "kg",
        "1",
        "0.004",
        True,
        3,
        "",
        "#item+bread",
    ),
    (
        "WTR",
        {"en": "Drinking water", "az": "İçməli su", "ru": "Питьевая вода", "hy": "Խմելու ջուր"},
        "water",
        "litre",
        "1",
        "0.001",
        False,
        None,
        "",
        "#item+water",
    ),
    (
        "FPARCEL",
        {
            "en": "Family food parcel",
            "az": "Ailə ərzaq bağlaması",
            "ru": "Семейный продуктовый набор",
            "hy": "Ընտանեկան սննդի փաթեթ",
        },
        "food",
        "parcel",
        "17",
        "0.03",
        True,
        180,
        "",
        "#item+food+parcel",
    ),
    (
        "HYG",
        {
            "en": "Family hygiene kit",
            "az": "Ailə gigiyena dəsti",
            "ru": "Семейный гигиенический набор",
            "hy": "Ընտանեկան հիգիենայի հավաքածու",
        },
        "hygiene",
        "kit",
        "4.5",
        "0.015",
        False,
        None,
        "",
        "#item+hygiene+kit",
    ),
    (
        "MEDKIT",
        {
            "en": "Essential medicines kit (1,000 people, 3 months)",
            "az": "Əsas dərmanlar dəsti",
            "ru": "Набор основных лекарств",
            "hy": "Հիմնական դեղերի հավաքածու",
        },
        "medicines",
        "kit",
        "45",
        "0.2",
        True,
        730,
        "",
        "#item+medicines+kit",
    ),
    (
        "FAK",
        {
            "en": "First aid kit",
            "az": "İlk yardım dəsti",
            "ru": "Аптечка первой помощи",
            "hy": "Առաջին օգնության հավաքածու",
        },
        "medical_supplies",
        "kit",
        "1.2",
        "0.004",
        False,
        None,
        "",
        "#item+medical",
    ),
    (
        "BLKT",
        {"en": "Thermal blanket", "az": "İsti yorğan", "ru": "Тёплое одеяло", "hy": "Տաք վերմակ"},
        "non_food",
        "piece",
        "1.5",
        "0.01",
        False,
        None,
        "",
        "#item+nfi",
    ),
]

PARCEL = {"FLR": "10", "RICE": "3", "PULS": "2", "VOIL": "1.5", "SUGR": "0.5"}

# facility code, organisation, [(item, quantity, lot, expiry, donor)]
WAREHOUSES: list[tuple[str, str, list[tuple[str, int, str, str | None, str]]]] = [
    (
        "F-BAR-WH",
        "MES",
        [
            ("DSL", 60000, "", None, ""),
            ("HOIL", 30000, "", None, ""),
            ("FLR", 80000, "FLR-2309-A", "2024-03-01", "MES"),
            ("FLR", 20000, "FLR-2308-B", "2023-12-15", "UNHA"),
            ("FPARCEL", 3000, "FP-2309", "2024-02-28", "UNHA"),
            ("HYG", 2500, "", None, "RCS"),
            ("BLKT", 4000, "", None, "UNHA"),
        ],
    ),
    (
        "F-YEV-WH",
        "MES",
        [
            ("DSL", 40000, "", None, ""),
            ("FLR", 50000, "FLR-2309-C", "2024-03-10", "MES"),
            ("BRD", 6000, "BRD-0927", "2023-09-30", "MES"),
            ("MEDKIT", 40, "MK-23-11", "2025-06-30", "HEALTH"),
            ("FAK", 600, "", None, "RCS"),
            ("WTR", 100000, "", None, "MES"),
        ],
    ),
    (
        "F-AGM-WH",
        "MES",
        [
            ("DSL", 25000, "", None, ""),
            ("BRD", 4000, "BRD-0928", "2023-10-01", "MES"),
            ("FPARCEL", 1500, "FP-2309", "2024-02-28", "UNHA"),
            ("HYG", 800, "", None, "RCS"),
        ],
    ),
    (
        "F-GOR-WH",
        "RCS",  # the Red Crescent's convoys to Khankendi load here (logistics demo)
        [
            ("FPARCEL", 2000, "FP-2309-G", "2024-02-15", "UNHA"),
            ("HYG", 1500, "", None, "UNHA"),
            ("BLKT", 3000, "", None, "UNHA"),
            ("MEDKIT", 20, "MK-23-12", "2025-03-31", "UNHA"),
        ],
    ),
    # Fuel held at facilities (their tanks): drives "days of cover".
    ("F-XA-KG1", "UTIL", [("DSL", 300, "", None, "")]),
    ("F-XA-AMB", "HEALTH", [("DSL", 500, "", None, "")]),
]

PLEDGES = [
    ("UNHA", "FPARCEL", 5000, 7, "F-BAR-WH", "UNHA-PL-2023-017", "in_transit"),
    ("RCS", "HYG", 3000, 10, "F-AGM-WH", "RCS-PL-2023-044", "pledged"),
    ("MES", "DSL", 80000, 5, "F-YEV-WH", "MES-FUEL-2023-09", "pledged"),
]


def _date(text: str | None) -> dt.date | None:
    """A scenario date (expiry) moved onto the demo's calendar (``core.demo``)."""
    return scenario_date(dt.date.fromisoformat(text)) if text else None


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    admin = User.objects.get(username="admin")
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    rows = [
        {
            "code": c,
            "names": n,
            "category": cat,
            "unit": u,
            "weight_kg": Decimal(w),
            "volume_m3": Decimal(v),
            "perishable": p,
            "shelf_life_days": life,
            "cold_chain": False,
            "hazard_class": hz,
            "hxl_tags": hxl,
            "is_active": True,
            "components": PARCEL if c == "FPARCEL" else None,
            "is_kit": c == "FPARCEL",
        }
        for c, n, cat, u, w, v, p, life, hz, hxl in ITEMS
    ]
    services.item_upsert_bulk(actor=admin, rows=rows)
    items = {i.code: i for i in Item.objects.all()}
    facilities = {f.code: f for f in Facility.objects.filter(code__in=[w[0] for w in WAREHOUSES])}
    warehouses = {}
    for code, org, stock in WAREHOUSES:
        facility = facilities.get(code)
        if facility is None:
            continue
        warehouse, _ = Warehouse.objects.get_or_create(
            facility=facility, defaults={"organisation": orgs.get(org), "created_by": admin}
        )
        warehouses[code] = warehouse
        if StockTransaction.objects.filter(warehouse=warehouse, reference=OPENING).exists():
            continue
        for item, quantity, lot, expiry, donor in stock:
            services.stock_receive(
                actor=admin,
                warehouse=warehouse,
                item=items[item],
                quantity=Decimal(quantity),
                lot_code=lot,
                expiry_date=_date(expiry),
                donor=orgs.get(donor),
                reason=LedgerReason.OPENING_STOCK,
                reference=OPENING,
            )
    today = dt.date.today()
    for donor, item, quantity, days, destination, reference, status in PLEDGES:
        if Pledge.objects.filter(donor=orgs[donor], reference=reference).exists():
            continue
        services.pledge_create(
            actor=admin,
            donor=orgs[donor],
            item=items[item],
            quantity=Decimal(quantity),
            expected_date=today + dt.timedelta(days=days),
            warehouse=warehouses.get(destination),
            reference=reference,
            status=status,
        )
    stdout.write(
        f"stock: {len(items)} items, {len(warehouses)} stock points, "
        f"{StockTransaction.objects.count()} ledger lines, "
        f"{Pledge.objects.count()} pledges\n"
    )
