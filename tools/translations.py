"""State of the translation catalogues (``reliefops/locale/<lang>/LC_MESSAGES/django.po``).

The ``.po`` files are the only source of translations. This module says, per language, how
many entries there are and which are empty (any plural form counts), fuzzy, or whose
placeholders (``%(name)s``, ``%s``, ``{name}``) differ from the msgid's.
``tests/core/test_translations.py`` fails on any of them; ``make messages`` prints this
report after updating the catalogues from the code.

Run: ``.venv/bin/python tools/translations.py [-v]`` (``-v`` lists the msgids to translate).
Exit status 1 when something is left to do.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "reliefops" / "locale"
LANGUAGES = ("az", "ru", "hy")

# printf-style (named or positional, with flags/width/precision) and str.format fields.
_PERCENT = re.compile(
    r"%(?:\((?P<name>[^)]+)\))?[#0+\-]*\d*(?:\.\d+)?(?P<conv>[diouxXeEfFgGcrsa%])"
)
_BRACE = re.compile(
    r"(?<!\{)\{(?P<field>[A-Za-z_][A-Za-z0-9_]*|\d*)(?:![rsa])?(?::[^{}]*)?\}(?!\})"
)


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / "django.po"


def placeholders(text: str) -> Counter[str]:
    """The format placeholders of ``text``, counted (``%%`` is a literal, not one)."""
    found: Counter[str] = Counter()
    for m in _PERCENT.finditer(text):
        if m.group("conv") != "%":
            found[m.group(0)] += 1
    for m in _BRACE.finditer(text):
        found["{" + m.group("field") + "}"] += 1
    return found


def label(entry: polib.POEntry) -> str:
    return f"{entry.msgctxt}|{entry.msgid}" if entry.msgctxt else entry.msgid


def nplurals(po: polib.POFile) -> int:
    m = re.search(r"nplurals\s*=\s*(\d+)", po.metadata.get("Plural-Forms", ""))
    return int(m.group(1)) if m else 2


@dataclass
class CatalogueState:
    lang: str
    total: int = 0
    empty: list[str] = field(default_factory=list)
    fuzzy: list[str] = field(default_factory=list)
    placeholders: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not (self.empty or self.fuzzy or self.placeholders)


def catalogue_state(lang: str, path: Path | None = None) -> CatalogueState:
    """Count and list what is not translated, or not safely, in one catalogue."""
    po = polib.pofile(str(path or po_path(lang)))
    state = CatalogueState(lang)
    forms = nplurals(po)
    for entry in po:
        if entry.obsolete:
            continue
        state.total += 1
        name = label(entry)
        if "fuzzy" in entry.flags:
            state.fuzzy.append(name)
        if entry.msgid_plural:
            strings = [entry.msgstr_plural.get(i, "") for i in range(forms)]
            pairs = [(entry.msgid_plural, s) for s in strings]
        else:
            strings = [entry.msgstr]
            pairs = [(entry.msgid, entry.msgstr)]
        if not all(strings):
            state.empty.append(name)
            continue
        if entry.msgid_plural and placeholders(entry.msgid) != placeholders(entry.msgid_plural):
            state.placeholders.append(f"{name} (msgid and msgid_plural differ)")
        for source, translated in pairs:
            if placeholders(source) != placeholders(translated):
                state.placeholders.append(f"{name} → {translated}")
                break
    return state


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    ok = True
    print(f"{'lang':<5} {'entries':>7} {'empty':>6} {'fuzzy':>6} {'placeholders':>13}")
    for lang in LANGUAGES:
        state = catalogue_state(lang)
        ok = ok and state.ok
        print(
            f"{lang:<5} {state.total:>7} {len(state.empty):>6} {len(state.fuzzy):>6} "
            f"{len(state.placeholders):>13}"
        )
        if verbose:
            for kind, names in (
                ("empty", state.empty),
                ("fuzzy", state.fuzzy),
                ("placeholders", state.placeholders),
            ):
                for name in names:
                    print(f"    {kind}: {name!r}")
    if not ok:
        print("translate the entries above in the .po files (-v lists them), then `make messages`")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
