"""Names in several languages: pick the user's, never declare one "wrong".

Fallback order: the active (or given) language, then English, Russian, Azerbaijani,
Armenian, then any name held, in key order.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils import translation

FALLBACK_ORDER = ("en", "ru", "az", "hy")


def language_order(lang: str | None = None) -> list[str]:
    """Languages to try, best first, for ``lang`` (default: the active language)."""
    first = (lang or translation.get_language() or "en").split("-")[0].lower()
    return [first, *[code for code in FALLBACK_ORDER if code != first]]


def localized(names: Mapping[str, str] | None, lang: str | None = None) -> str:
    """The name in the user's language with the documented fallback; '' if none."""
    if not names:
        return ""
    for code in language_order(lang):
        value = names.get(code)
        if value:
            return value
    for value in names.values():
        if value:
            return value
    return ""
