"""Place-name matcher: any spelling, any script → one gazetteer place, or an honest "no".

How a spelling is compared (:func:`name_key`):

1. Unicode NFKC, lower case; apostrophes and modifier letters (', ’, ʻ, `) dropped.
2. The normalisation table :data:`LETTER_TABLE` maps Azerbaijani Latin letters to the
   spelling English-language sources use (ə→e, ı→i, ş→sh, ç→ch, ğ→gh, x→kh, q→g ...),
   then Unidecode transliterates Cyrillic, Armenian, Georgian and Greek to Latin.
3. :data:`FOLDS` collapses spellings that sources use interchangeably (kh/x/h, sh/s,
   ch/c/j/dzh/zh, gh/g, y/i, w/v, doubled letters ...) and :data:`GENERIC_WORDS`
   ("rayonu", "district", "город" ...) are removed, so "Xocalı", "Khojaly" and "Ходжалы"
   all become ``xojali``.

Scoring: the query key is compared with every indexed key using ``rapidfuzz.fuzz.ratio``
(0-100; an exact key is 100). A place's score is its best name's score.

* Below :data:`MATCH_THRESHOLD` (80) → no match (``code`` null).
* If a *different* place scores within :data:`AMBIGUITY_MARGIN` (3 points) of the best,
  the answer is *ambiguous*: no place is chosen, the candidates are returned — unless the
  best matched through an *official* name and every rival only through alternate,
  historic or transliterated names ("Jermuk" the town over a village once called
  Jermuk), or the best is more prominent than every rival (:data:`KIND_RANK`: city > town > village >
  settlement > site), e.g. the town of Fuzuli over a village also called Fuzuli; the
  rivals are still listed as candidates. A hint can
  settle it: ``area`` keeps only places inside that admin area (or below it); ``near``
  (lat, lon) picks the nearest candidate if it is at least :data:`PROXIMITY_RATIO` (2×)
  closer than the next.

The index (every name of every place, keyed) is built once per process and reused. It is
dropped when places or names change in this process (signals, see ``apps.py``) and, to
see changes made by other processes, re-validated against a fingerprint of the tables at
most every :data:`INDEX_RECHECK_SECONDS` seconds.
"""

from __future__ import annotations

import math
import re
import threading
import time
import unicodedata
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rapidfuzz import fuzz, process
from unidecode import unidecode

MATCH_THRESHOLD = 80.0
AMBIGUITY_MARGIN = 3.0
PROXIMITY_RATIO = 2.0
INDEX_RECHECK_SECONDS = 2.0
#: Prominence of place kinds: a near-tie between a city and a village named alike goes to
#: the city (reported with the village as a candidate); ties within a rank are ambiguous.
KIND_RANK = {"city": 0, "town": 1, "village": 2, "settlement": 3, "site": 4}
#: Candidates kept from the fuzzy scan before grouping by place.
_SCAN_LIMIT = 25

#: Letters transliterated before Unidecode (Azerbaijani Latin and a few others that
#: Unidecode renders in a way sources never do, e.g. ə → "@").
LETTER_TABLE: dict[str, str] = {
    "ə": "e",
    "ǝ": "e",
    "@": "e",  # ə as some ASCII exports write it (Unidecode's own rendering)
    "ı": "i",
    "i̇": "i",
    "ş": "sh",
    "ç": "ch",
    "ğ": "gh",
    "ö": "o",
    "ü": "u",
    "x": "kh",
    "q": "g",
    "ё": "e",
    "є": "e",
    "ә": "e",
    "ғ": "gh",
    "ҡ": "k",
    "қ": "k",
    "ң": "n",
    "ұ": "u",
    "ү": "u",
    "ҳ": "kh",
    "ҷ": "j",
    "և": "ev",
    "ու": "u",
    "ւ": "v",
}

#: Spellings folded to one form after transliteration, applied in order.
FOLDS: list[tuple[str, str]] = [
    (r"ow|ou|oo|uu", "u"),
    (r"dzh|dzj|dj|dz|zh|tch|ch|c|j", "j"),
    (r"kh|x", "x"),
    (r"sh|sz|s", "s"),
    (r"gh|g", "g"),
    (r"ts|tz", "z"),
    (r"ya|ia", "a"),
    (r"ye|ie", "e"),
    (r"yu|iu", "u"),
    (r"yo|io", "o"),
    (r"y", "i"),
    (r"w", "v"),
    (r"ph", "f"),
    (r"(.)\1+", r"\1"),
]
_FOLDS = [(re.compile(pattern), repl) for pattern, repl in FOLDS]

#: Words that say what a place is rather than which one it is.
GENERIC_WORDS = frozenset(
    {
        "rayon",
        "rayonu",
        "raion",
        "rajon",
        "district",
        "region",
        "city",
        "town",
        "village",
        "sheheri",
        "seheri",
        "kendi",
        "gesebesi",
        "gorod",
        "selo",
        "rayoni",
        "poselok",
        "derevnia",
        "gjugh",
        "giug",
        "kaghak",
        "gagag",
        "shahar",
    }
)

_APOSTROPHES = re.compile(r"['’ʻʼ`´ʹʽ‘\u02bc\u0559\u055a\u055b\u055d\u055e]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_TABLE_PATTERN = re.compile("|".join(sorted(map(re.escape, LETTER_TABLE), key=len, reverse=True)))


def _fold_word(word: str) -> str:
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    return word


def name_key(text: str) -> str:
    """The comparison key of a spelling (see the module docstring); '' for no letters."""
    value = unicodedata.normalize("NFKC", text).lower()
    value = _APOSTROPHES.sub("", value)
    value = _TABLE_PATTERN.sub(lambda m: LETTER_TABLE[m.group(0)], value)
    value = unidecode(value).lower()
    value = _APOSTROPHES.sub("", value)
    words = [w for w in _NON_ALNUM.split(value) if w]
    kept = [w for w in words if w not in GENERIC_WORDS] or words
    return " ".join(_fold_word(w) for w in kept)


@dataclass(frozen=True)
class IndexedPlace:
    """What the matcher knows about a place (no database access after the build)."""

    id: uuid.UUID
    code: str
    kind: str
    names: dict[str, str]
    latitude: float
    longitude: float
    area_ids: frozenset[uuid.UUID]


@dataclass(frozen=True)
class Candidate:
    place: IndexedPlace
    score: float
    matched_name: str
    official: bool = False
    distance_km: float | None = None


@dataclass(frozen=True)
class MatchResult:
    """The answer for one query: ``status`` is ``matched``, ``ambiguous`` or ``no_match``."""

    query: str
    status: str
    place: IndexedPlace | None
    score: float
    candidates: list[Candidate] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.status == MATCHED


MATCHED = "matched"
AMBIGUOUS = "ambiguous"
NO_MATCH = "no_match"


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle (haversine) distance in km."""
    r = 6371.0088
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(min(1.0, math.sqrt(a)))


class PlaceIndex:
    """Keys of every name of every place, ready for exact and fuzzy lookup.

    Build once (milliseconds per thousand names), then :meth:`match` is read-only and
    thread-safe.
    """

    def __init__(
        self,
        places: Iterable[IndexedPlace],
        names: Iterable[tuple[uuid.UUID, str, str]],
    ):
        self.places: dict[uuid.UUID, IndexedPlace] = {p.id: p for p in places}
        by_key: dict[str, dict[uuid.UUID, tuple[str, bool]]] = {}
        for place_id, name, name_type in names:
            if place_id not in self.places:
                continue
            key = name_key(name)
            if not key:
                continue
            entry = by_key.setdefault(key, {})
            official = name_type == "official"
            if place_id not in entry or (official and not entry[place_id][1]):
                entry[place_id] = (name, official)
        for place in self.places.values():
            by_key.setdefault(place.code.lower(), {}).setdefault(place.id, (place.code, True))
        self._by_key = by_key
        self._keys = list(by_key)

    def __len__(self) -> int:
        return len(self._keys)

    def match(
        self,
        query: str,
        *,
        area_ids: set[uuid.UUID] | None = None,
        near: tuple[float, float] | None = None,
    ) -> MatchResult:
        """Resolve ``query``; ``area_ids`` (an area and its descendants) or ``near`` hint."""
        key = name_key(query)
        if not key:
            return MatchResult(query=query, status=NO_MATCH, place=None, score=0.0)
        best: dict[uuid.UUID, Candidate] = {}
        code_hit = self._by_key.get(query.strip().lower())
        scanned: list[tuple[str, float]] = [(key, 100.0)] if key in self._by_key else []
        if code_hit is not None:
            scanned.append((query.strip().lower(), 100.0))
        cutoff = MATCH_THRESHOLD - AMBIGUITY_MARGIN - 10
        for choice, score, _idx in process.extract(
            key, self._keys, scorer=fuzz.ratio, score_cutoff=cutoff, limit=_SCAN_LIMIT
        ):
            scanned.append((choice, float(score)))
        for choice, score in scanned:
            for place_id, (name, official) in self._by_key[choice].items():
                place = self.places[place_id]
                if area_ids is not None and not (place.area_ids & area_ids):
                    continue
                current = best.get(place_id)
                if current is None or (score, official) > (current.score, current.official):
                    best[place_id] = Candidate(place, score, name, official=official)
        ranked = sorted(
            best.values(),
            key=lambda c: (-c.score, not c.official, KIND_RANK.get(c.place.kind, 9), c.place.code),
        )
        if near is not None:
            ranked = [
                Candidate(
                    place=c.place,
                    score=c.score,
                    matched_name=c.matched_name,
                    official=c.official,
                    distance_km=round(
                        distance_km(near[0], near[1], c.place.latitude, c.place.longitude), 1
                    ),
                )
                for c in ranked
            ]
        ranked = [c for c in ranked if c.score >= MATCH_THRESHOLD - AMBIGUITY_MARGIN]
        if not ranked or ranked[0].score < MATCH_THRESHOLD:
            return MatchResult(
                query=query,
                status=NO_MATCH,
                place=None,
                score=ranked[0].score if ranked else 0.0,
                candidates=ranked[:5],
            )
        top = ranked[0]
        rivals = [c for c in ranked[1:] if top.score - c.score < AMBIGUITY_MARGIN]
        if not rivals:
            return MatchResult(query, MATCHED, top.place, top.score, ranked[:5])
        if near is not None:
            close = sorted([top, *rivals], key=lambda c: c.distance_km or 0.0)
            first, second = close[0], close[1]
            if (second.distance_km or 0.0) >= PROXIMITY_RATIO * (first.distance_km or 0.0) + 1:
                return MatchResult(query, MATCHED, first.place, first.score, close[:5])
        if top.official and not any(c.official for c in rivals):
            return MatchResult(query, MATCHED, top.place, top.score, ranked[:5])
        top_rank = KIND_RANK.get(top.place.kind, 9)
        if all(KIND_RANK.get(c.place.kind, 9) > top_rank for c in rivals):
            return MatchResult(query, MATCHED, top.place, top.score, ranked[:5])
        return MatchResult(
            query=query,
            status=AMBIGUOUS,
            place=None,
            score=top.score,
            candidates=[top, *rivals][:5],
        )


# ----------------------------------------------------------------------------------------
# The process-wide index over the database gazetteer.
# ----------------------------------------------------------------------------------------

_lock = threading.Lock()
_state: dict[str, Any] = {"index": None, "fingerprint": None, "checked": 0.0}


def _fingerprint() -> tuple[Any, ...]:
    from django.db.models import Count, Max

    from reliefops.places.models import Place, PlaceName

    places = Place.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    names = PlaceName.objects.aggregate(n=Count("id"), m=Max("updated_at"))
    return (places["n"], places["m"], names["n"], names["m"])


def _build_index() -> PlaceIndex:
    from reliefops.places.models import Place, PlaceName

    places = [
        IndexedPlace(
            id=row["id"],
            code=row["code"],
            kind=row["kind"],
            names=row["names"] or {},
            latitude=row["latitude"],
            longitude=row["longitude"],
            area_ids=frozenset(
                a for a in (row["admin0_id"], row["admin1_id"], row["admin2_id"]) if a
            ),
        )
        for row in Place.objects.values(
            "id",
            "code",
            "kind",
            "names",
            "latitude",
            "longitude",
            "admin0_id",
            "admin1_id",
            "admin2_id",
        ).iterator(chunk_size=5000)
    ]
    names = PlaceName.objects.values_list("place_id", "name", "name_type").iterator(
        chunk_size=10000
    )
    return PlaceIndex(places, names)


def place_index() -> PlaceIndex:
    """The current index, rebuilt when the gazetteer changed (see module docstring)."""
    now = time.monotonic()
    index = _state["index"]
    if index is not None and now - _state["checked"] < INDEX_RECHECK_SECONDS:
        return index  # type: ignore[no-any-return]
    with _lock:
        fingerprint = _fingerprint()
        if _state["index"] is None or fingerprint != _state["fingerprint"]:
            _state["index"] = _build_index()
            _state["fingerprint"] = fingerprint
        _state["checked"] = time.monotonic()
        return _state["index"]  # type: ignore[no-any-return]


def place_index_invalidate(**_: Any) -> None:
    """Drop the cached index (connected to place/name saves and deletes; bulk loaders call it)."""
    with _lock:
        _state["index"] = None
        _state["fingerprint"] = None
        _state["checked"] = 0.0


def place_match(
    query: str,
    *,
    area: Any = None,
    near: tuple[float, float] | None = None,
) -> MatchResult:
    """Resolve one spelling against the whole gazetteer (see the module docstring).

    ``area`` (an AdminArea) keeps places inside it or below it; ``near`` is a
    (latitude, longitude) hint that settles ties by distance.
    """
    area_ids = None
    if area is not None:
        from reliefops.places.selectors import admin_area_descendant_ids

        area_ids = admin_area_descendant_ids([area.pk])
    return place_index().match(query, area_ids=area_ids, near=near)


def match_as_dict(result: MatchResult, lang: str | None = None) -> dict[str, Any]:
    """The output contract of ``reliefops places match --json`` and the API (DESIGN §5):
    ``query, code, name, lat, lon, score`` plus ``status`` and ``candidates``."""
    from reliefops.core.i18n import localized

    place = result.place
    return {
        "query": result.query,
        "code": place.code if place else None,
        "name": (localized(place.names, lang) or place.code) if place else None,
        "lat": place.latitude if place else None,
        "lon": place.longitude if place else None,
        "score": round(result.score, 1),
        "status": result.status,
        "candidates": [
            {
                "code": c.place.code,
                "name": localized(c.place.names, lang) or c.place.code,
                "matched_name": c.matched_name,
                "score": round(c.score, 1),
                **({"distance_km": c.distance_km} if c.distance_km is not None else {}),
            }
            for c in result.candidates
            if result.status != MATCHED or c.place is not place
        ],
    }
