"""Possible duplicate records: the same person registered twice, in any script.

How two names are compared (:func:`name_tokens`, :func:`name_similarity`):

1. Unicode NFKC, lower case, apostrophes dropped; Azerbaijani Latin letters are written
   the way Russian and English sources spell them (ə→a, ı→i, ş→sh, ç→ch, c→j, x→kh,
   q→g …), then Unidecode transliterates Cyrillic and Armenian to Latin.
2. Spellings sources use interchangeably are folded (kh/x/gh/g/h/k, sh/s, ch/j/dzh/zh,
   a/e, y/i, w/v, rh/r, doubled letters), a gendered surname ending is folded to one form
   (Aliyeva → aliev, Mammadova → mamadov), and patronymics are dropped (a word ending in
   -ovich/-evich/-ovna/-evna/-ichna, and "… oğlu" / "… qızı" with the father's name).
3. The words are compared as a set: each word of the shorter name is paired with its
   closest word of the other (``rapidfuzz.fuzz.ratio``); the similarity is the
   token-sorted ratio, held down by the weakest pair, so "Rashid Aliyev" and "Rasim
   Aliyev" (siblings) stay apart while "Məmmədov Rəşid" and "Рашид Мамедов" meet.

Candidates: two active records at the same place, with years of birth at most
:data:`YEAR_TOLERANCE` apart (or one unknown), not of recorded different sexes, whose
names score at least :data:`CANDIDATE_SCORE`. Blocking by place and year keeps it linear
in practice: names are decrypted only for records that share a block with another, in
chunks. Pairs dismissed (:class:`~reliefops.people.models.DuplicateDismissal`) or
already merged are left out. Evidence holds scores, scripts, years apart and the place
code, never a name.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from rapidfuzz import fuzz
from unidecode import unidecode

#: Similarity (0–100) from which a pair is suggested as a possible duplicate.
CANDIDATE_SCORE = 86.0
#: Years of birth at most this far apart may be the same person.
YEAR_TOLERANCE = 1
#: Records whose names are decrypted per query.
_CHUNK = 2000

_LETTERS: dict[str, str] = {
    "ə": "a",
    "ǝ": "a",
    "ә": "a",
    "ı": "i",
    "ş": "sh",
    "ç": "ch",
    "ch": "ch",  # Latin "ch" (Mkrtchyan) is not Azerbaijani c
    "c": "j",
    "ğ": "gh",
    "ö": "o",
    "ü": "u",
    "x": "kh",
    "q": "g",
    "ё": "e",
}
_LETTER_PATTERN = re.compile(
    "|".join(re.escape(k) for k in sorted(_LETTERS, key=len, reverse=True))
)
_APOSTROPHES = re.compile("['’ʻʼ`´ʹ\u02bb\u02bc\u055a]")
_WORD = re.compile(r"[^a-z0-9]+")
_FOLDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern), repl)
    for pattern, repl in (
        (r"ow|ou|oo|uu", "u"),
        (r"dzh|dzj|dj|dz|zh|tch|ch|j", "j"),
        (r"kh|x", "g"),
        (r"sh|sz|s", "s"),
        (r"ph", "f"),
        (r"rh", "r"),
        (r"gh|h|g|k", "g"),
        (r"ts|tz|c", "z"),
        (r"w", "v"),
        (r"y", "i"),
        (r"(.)\1+", r"\1"),
        (r"ia", "a"),
        (r"ie", "e"),
        (r"iu", "u"),
        (r"io", "o"),
        (r"e", "a"),
    )
]
#: Gendered surname endings, folded to one form (after the folds above).
_ENDINGS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"(ov|av|in)a$"), r"\1"),
    (re.compile(r"(sk|zk)aa?$"), r"\1i"),
]
_PATRONYMIC = re.compile(r"(ovij|evij|ovna|evna|ijna)$")
_PATRONYMIC_MARKERS = frozenset({"ogli", "ogl", "oglu", "ogu", "kizi", "gizi", "kiz", "giz"})


def _fold(word: str) -> str:
    for pattern, repl in _FOLDS:
        word = pattern.sub(repl, word)
    for pattern, repl in _ENDINGS:
        word = pattern.sub(repl, word)
    return word


def name_tokens(text: str | None) -> tuple[str, ...]:
    """The comparison words of a name, sorted (see the module docstring)."""
    if not text:
        return ()
    value = unicodedata.normalize("NFKC", text).lower()
    value = _APOSTROPHES.sub("", value)
    value = _LETTER_PATTERN.sub(lambda m: _LETTERS[m.group(0)], value)
    value = _APOSTROPHES.sub("", unidecode(value).lower())
    words = [w for w in _WORD.split(value) if w]
    kept: list[str] = []
    for word in words:
        folded = _fold(word)
        if folded in _PATRONYMIC_MARKERS or word in _PATRONYMIC_MARKERS:
            if kept:
                kept.pop()  # the father's name before "oğlu" / "qızı"
            continue
        if len(words) > 2 and _PATRONYMIC.search(folded):
            continue
        kept.append(folded)
    return tuple(sorted(kept or [_fold(w) for w in words]))


def script_of(text: str | None) -> str:
    """The main script of a name: ``latin``, ``cyrillic``, ``armenian`` or ``other``."""
    counts: dict[str, int] = defaultdict(int)
    for char in text or "":
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        for script in ("LATIN", "CYRILLIC", "ARMENIAN"):
            if name.startswith(script):
                counts[script.lower()] += 1
                break
        else:
            counts["other"] += 1
    return max(counts, key=lambda k: counts[k]) if counts else ""


def name_similarity(first: Sequence[str], second: Sequence[str]) -> float:
    """Similarity 0–100 of two token lists (:func:`name_tokens`)."""
    if not first or not second:
        return 0.0
    short, long = (first, second) if len(first) <= len(second) else (second, first)
    free = list(long)
    weakest = 100.0
    paired: list[str] = []
    for word in short:
        best = max(free, key=lambda other: fuzz.ratio(word, other))
        weakest = min(weakest, fuzz.ratio(word, best))
        free.remove(best)
        paired.append(best)
    overall = fuzz.ratio(" ".join(short), " ".join(sorted(paired)))
    missing = 4.0 * len(free)  # a word only one record has (a second given name)
    return round(max(0.0, min(overall, weakest + 4.0) - missing), 1)


@dataclass(frozen=True)
class Record:
    """What matching needs of one person (the name only while a block is compared)."""

    pk: Any
    reference: str
    place_id: Any
    place_code: str
    year_of_birth: int | None
    sex: str
    name: str | None = None


@dataclass(frozen=True)
class DuplicateCandidate:
    """A pair that may be one person; ``evidence`` holds no name."""

    first: Any
    second: Any
    score: float
    evidence: dict[str, Any] = field(default_factory=dict)


def _sex_differs(a: Record, b: Record) -> bool:
    recorded = {"female", "male"}
    return a.sex in recorded and b.sex in recorded and a.sex != b.sex


def _years_apart(a: Record, b: Record) -> int | None:
    if a.year_of_birth is None or b.year_of_birth is None:
        return None
    return abs(a.year_of_birth - b.year_of_birth)


def pair_evidence(a: Record, b: Record) -> dict[str, Any] | None:
    """The evidence that ``a`` and ``b`` are one person, or None when they cannot be."""
    if a.place_id != b.place_id or _sex_differs(a, b):
        return None
    apart = _years_apart(a, b)
    if apart is not None and apart > YEAR_TOLERANCE:
        return None
    score = name_similarity(name_tokens(a.name), name_tokens(b.name))
    if score < CANDIDATE_SCORE:
        return None
    return {
        "name_similarity": score,
        "scripts": [script_of(a.name), script_of(b.name)],
        "year_difference": apart,
        "same_place": True,
        "place": a.place_code,
    }


def _blocks(records: Iterable[Record]) -> list[list[Record]]:
    """Records grouped by place, only groups where two may be within the year tolerance."""
    by_place: dict[Any, list[Record]] = defaultdict(list)
    for record in records:
        by_place[record.place_id].append(record)
    blocks = []
    for group in by_place.values():
        if len(group) < 2:
            continue
        known = sorted(r.year_of_birth for r in group if r.year_of_birth is not None)
        unknown = len(group) - len(known)
        close = any(b - a <= YEAR_TOLERANCE for a, b in itertools.pairwise(known))
        if close or unknown:
            blocks.append(group)
    return blocks


def block_pairs(block: Sequence[Record]) -> Iterable[tuple[Record, Record]]:
    """Pairs of a place's records within the year tolerance (sorted by year)."""
    ordered = sorted(block, key=lambda r: (r.year_of_birth is None, r.year_of_birth or 0))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1 :]:
            apart = _years_apart(a, b)
            if apart is not None and apart > YEAR_TOLERANCE:
                break
            yield a, b


def records_of(people: QuerySet[Any], *, names: bool = False) -> list[Record]:
    """Matching records of a queryset of people; names decrypted only when asked."""
    fields = ["pk", "reference", "place_id", "place__code", "year_of_birth", "sex"]
    rows = people.values_list(*fields, *(["full_name"] if names else []))
    return [
        Record(row[0], row[1], row[2], row[3], row[4], row[5], row[6] if names else None)
        for row in rows.iterator(chunk_size=_CHUNK)
    ]


def with_names(people: QuerySet[Any], records: Sequence[Record]) -> list[Record]:
    """``records`` with their names, decrypted in chunks."""
    result: list[Record] = []
    for start in range(0, len(records), _CHUNK):
        chunk = records[start : start + _CHUNK]
        names = dict(people.filter(pk__in=[r.pk for r in chunk]).values_list("pk", "full_name"))
        result.extend(
            Record(
                r.pk, r.reference, r.place_id, r.place_code, r.year_of_birth, r.sex, names.get(r.pk)
            )
            for r in chunk
        )
    return result


def candidates_among(
    people: QuerySet[Any], *, excluded: set[frozenset[Any]], limit: int | None = None
) -> list[tuple[Record, Record, dict[str, Any]]]:
    """Every candidate pair among ``people`` (best first), leaving out ``excluded`` pairs
    (sets of two primary keys)."""
    found: list[tuple[Record, Record, dict[str, Any]]] = []
    for block in _blocks(records_of(people)):
        named = with_names(people, block)
        for a, b in block_pairs(named):
            if frozenset((a.pk, b.pk)) in excluded:
                continue
            evidence = pair_evidence(a, b)
            if evidence is not None:
                found.append((a, b, evidence))
    found.sort(key=lambda item: (-item[2]["name_similarity"], item[0].reference))
    return found[:limit] if limit is not None else found


def candidates_for(record: Record, others: Iterable[Record]) -> list[tuple[Record, dict[str, Any]]]:
    """The records of ``others`` that may be ``record`` (best first)."""
    found = []
    for other in others:
        if other.pk is not None and other.pk == record.pk:
            continue
        evidence = pair_evidence(record, other)
        if evidence is not None:
            found.append((other, evidence))
    found.sort(key=lambda item: -item[1]["name_similarity"])
    return found
