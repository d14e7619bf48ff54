"""The texts of notices: a message key → a translatable template, rendered at read time.

A notice stores its message key and JSON parameters; :func:`notice_text` renders them in
the reader's language. A parameter value is shown as it is, except:

* ``{"names": {"en": "Lachin", "az": "Laçın", …}}`` — a place or facility name in every
  language held, shown in the reader's language (the places' fallback order);
* ``{"msgid": "Verify"}`` — a text of the interface (a step, a status), translated for the
  reader (the msgid must be one the catalogues hold: a label of a choice or step).

A missing parameter is shown as "…", never an error: an old notice outlives its template.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reliefops.core.i18n import localized
from reliefops.notices.choices import NoticeKind

K = NoticeKind


@dataclass(frozen=True)
class Message:
    """The subject line (e-mail) and the text (app and e-mail body) of one message key."""

    subject: str | Promise
    text: str | Promise


MESSAGES: dict[str, Message] = {
    K.ACTION_ITEM_ASSIGNED: Message(
        _("Action item assigned to you"),
        _("The action item “%(title)s” is assigned to you (due %(due)s)."),
    ),
    K.ACTION_ITEM_OVERDUE: Message(
        _("Action item overdue"),
        _("The action item “%(title)s” was due on %(due)s and is not done yet."),
    ),
    K.REQUEST_AWAITING_STEP: Message(
        _("Request %(reference)s awaits your step"),
        _("Request %(reference)s (%(place)s) is %(status)s and awaits your step: %(step)s."),
    ),
    K.REQUEST_OVERDUE: Message(
        _("Request %(reference)s is past its needed-by date"),
        _("Request %(reference)s (%(place)s) was needed by %(needed_by)s and is still %(status)s."),
    ),
    K.CONVOY_TURNED_BACK: Message(
        _("Convoy %(convoy)s turned back"),
        _("Convoy %(convoy)s was turned back at %(point)s on %(time)s."),
    ),
    K.PLAN_READY: Message(
        _("Day plan %(reference)s is ready for review"),
        _(
            "The day plan %(reference)s for %(date)s is ready for review: %(served)s %% "
            "of the demand served."
        ),
    ),
}


def msgid(text: str | Promise) -> dict[str, str]:
    """The parameter value of an interface text (a lazy label), translated at read time:
    its msgid, whatever language is active now."""
    with translation.override(None):
        return {"msgid": str(text)}


def message_register(key: str, message: Message) -> None:
    """Add the message of a new key (a higher app's own kind of notice)."""
    if key in MESSAGES and MESSAGES[key] != message:
        raise ValueError(f"notice message {key!r} registered twice")
    MESSAGES[key] = message


class _Params(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "…"


def _value(value: Any, lang: str) -> Any:
    if isinstance(value, Mapping):
        if "names" in value:
            return localized(value["names"], lang) or "…"
        if "msgid" in value:
            return gettext(str(value["msgid"]))
    return value


def _render(template: str | Promise, params: Mapping[str, Any], lang: str) -> str:
    with translation.override(lang):
        values = _Params({k: _value(v, lang) for k, v in (params or {}).items()})
        text = str(template)
        try:
            return text % values
        except (TypeError, ValueError):  # a translation with broken placeholders
            return text


def _message(key: str, kind: str) -> Message:
    if key in MESSAGES:
        return MESSAGES[key]
    label = str(NoticeKind(kind).label) if kind in NoticeKind.values else kind
    return Message(label, label)


def notice_text(notice: Any, lang: str | None = None) -> str:
    """The notice's text in ``lang`` (default: the active language)."""
    lang = lang or translation.get_language() or "en"
    return _render(_message(notice.message, notice.kind).text, notice.params, lang)


def notice_subject(notice: Any, lang: str | None = None) -> str:
    lang = lang or translation.get_language() or "en"
    return _render(_message(notice.message, notice.kind).subject, notice.params, lang)
