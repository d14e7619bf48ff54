"""Offline phone pages: which pages a phone keeps, the service worker's configuration, and
what a page gives its offline script.

A few field pages (the team round page, the driver's road page) keep working without a
network (docs/offline.md). Each domain app that has one registers it in its own
``offline`` module with :func:`offline_page` — its URL name, the names of its URL
arguments and the static files it uses beyond the layout's; :func:`offline_discover`
imports ``<app>.offline`` for every app in ``settings.DOMAIN_APPS`` (by name: ``core``
names no domain app), the way the exchange registry finds ``<app>.exchange``.

The service worker (``/sw.js``, :func:`reliefops.core.views.service_worker`) receives
:func:`worker_config`: the static files to keep (the app shell), the pattern of each
registered page's address, and cache names tied to the static files' version (a hash of
their contents), so a release that changes a file replaces the phone's copy. It keeps the
registered pages (network first, the copy when there is no network) and nothing else:
no API answer and no other page.

A registered page includes ``core/partials/offline.html`` with ``offline`` in its context
(:func:`offline_context`): the submissions API's addresses, the user, the server's time
zone offset and the translated strings the script shows (the project has no JavaScript
catalogue; every text reaches the script already translated).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

#: The static files of the layout (``base.html``) and of the offline script itself.
SHELL_ASSETS: tuple[str, ...] = (
    "reliefops/app.css",
    "reliefops/forms.css",
    "reliefops/shell.js",
    "reliefops/favicon.svg",
    "vendor/htmx/htmx.min.js",
    "core/offline/offline.css",
    "core/offline/queue.js",
    "core/offline/logout.js",
)
#: The service worker's own source (served by a view, so that its scope can be "/").
WORKER_SOURCE = Path(__file__).resolve().parent / "static" / "core" / "offline" / "sw.js"
#: Where phones send what they recorded (the contract of ``reliefops.intake``).
SUBMISSIONS_PATH = "/api/v1/submissions/"
SUBMISSIONS_BATCH_PATH = "/api/v1/submissions/batch/"
#: Every cache the worker makes starts with this, so logout can find and drop them all.
CACHE_PREFIX = "reliefops-"
#: The IndexedDB database and store of records waiting to be sent (docs/offline.md).
QUEUE_DATABASE = "reliefops-offline"
QUEUE_STORE = "submissions"
#: How often a page tries to send what waits (seconds), besides on load and when the
#: browser says it is back online.
SEND_EVERY_SECONDS = 30


@dataclass(frozen=True)
class OfflinePage:
    """A page a phone keeps: ``url_name`` with the URL arguments ``args`` (any value)."""

    url_name: str
    args: tuple[str, ...] = ()
    assets: tuple[str, ...] = ()

    def pattern(self) -> str:
        """A regular expression of the page's path (each argument: one path segment)."""
        marker = "ZZOFFLINEARGZZ"
        path = reverse(self.url_name, kwargs=dict.fromkeys(self.args, marker))
        return "^" + re.escape(path).replace(marker, "[^/]+") + "$"


_REGISTRY: dict[str, OfflinePage] = {}
_discovered = False


def offline_page(
    url_name: str, *, args: tuple[str, ...] = (), assets: tuple[str, ...] = ()
) -> None:
    """Register a page that works offline (called from ``<app>/offline.py``)."""
    _REGISTRY[url_name] = OfflinePage(url_name, tuple(args), tuple(assets))


def offline_discover() -> None:
    """Import ``<app>.offline`` of every domain app so their registrations run."""
    global _discovered
    if _discovered:
        return
    for dotted in settings.DOMAIN_APPS:
        name = f"{dotted}.offline"
        if find_spec(name) is not None:
            import_module(name)
    _discovered = True


def offline_pages() -> list[OfflinePage]:
    offline_discover()
    return [_REGISTRY[name] for name in sorted(_REGISTRY)]


def shell_assets() -> list[str]:
    """The static names the worker keeps: the layout's, then each page's, each once."""
    names = list(SHELL_ASSETS)
    for page in offline_pages():
        names.extend(a for a in page.assets if a not in names)
    return names


def _asset_bytes(name: str) -> bytes:
    found = finders.find(name)
    if found:
        return Path(str(found)).read_bytes()
    with staticfiles_storage.open(name) as handle:  # collected only (production)
        data: bytes = handle.read()
        return data


def _version() -> str:
    digest = hashlib.sha256()
    for name in shell_assets():
        digest.update(name.encode() + b"\0" + static(name).encode() + b"\0")
        digest.update(hashlib.sha256(_asset_bytes(name)).digest())
    digest.update(WORKER_SOURCE.read_bytes())
    return digest.hexdigest()[:12]


_cached_version = lru_cache(maxsize=1)(_version)


def static_version() -> str:
    """A short hash of the shell's static files (and of the worker): it names the caches.

    Computed once per process; with DEBUG on, on every call, so an edited file is seen.
    """
    return _version() if settings.DEBUG else _cached_version()


def worker_config() -> dict[str, Any]:
    """What ``/sw.js`` is given: its caches' names, the shell's URLs, the pages' paths."""
    version = static_version()
    return {
        "version": version,
        "prefix": CACHE_PREFIX,
        "shell": f"{CACHE_PREFIX}shell-{version}",
        "pages": f"{CACHE_PREFIX}pages-{version}",
        "assets": [static(name) for name in shell_assets()],
        "patterns": [page.pattern() for page in offline_pages()],
    }


def _utc_offset() -> str:
    """The server's current UTC offset as ``+04:00`` (dates and times a page sends)."""
    offset = timezone.localtime().utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def offline_strings() -> dict[str, str]:
    """The texts of the waiting panel and of its records' states, translated."""
    return {
        "title": _("Waiting to send"),
        "empty": _("Nothing waits to be sent."),
        "online": _("Online"),
        "offline": _("Offline: what you record is kept on this phone and sent later."),
        "saved_at": _("Page saved at %(time)s."),
        "send_now": _("Send now"),
        "sending": _("Sending…"),
        "discard": _("Discard"),
        "discard_confirm": _("Discard this record? It has not reached the server."),
        "queued": _("Waiting to send"),
        "retry": _("Not sent yet (%(reason)s); it will be tried again."),
        "network": _("no network"),
        "server": _("the server did not answer"),
        "accepted": _("Sent, waiting on the server"),
        "refused": _("Refused by the server"),
        "conflict": _("The server already holds another record with this id (a fault: report it)."),
        "login": _("Your session has ended: log in again to send."),
        "login_link": _("Log in"),
        "other_user": _("Recorded by %(user)s: log in as %(user)s to send it."),
        "recorded_at": _("recorded %(time)s"),
        "sent": _("Sent."),
        "no_storage": _("This browser cannot keep records offline; they are sent at once."),
        "needs_network": _("This needs the network: try again when you are online."),
    }


def offline_context(
    request: HttpRequest, *, labels: dict[str, str], strings: dict[str, str] | None = None
) -> dict[str, Any]:
    """What a registered page passes to ``core/partials/offline.html`` as ``offline``.

    ``labels`` names each kind the page sends ("visits": "Visit"); ``strings`` adds the
    page's own translated texts.
    """
    user: Any = request.user
    login = reverse("login")
    return {
        "csrf": get_token(request),
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
        "api": SUBMISSIONS_PATH,
        "batch": SUBMISSIONS_BATCH_PATH,
        "worker": reverse("service_worker"),
        "database": QUEUE_DATABASE,
        "store": QUEUE_STORE,
        "every": SEND_EVERY_SECONDS,
        "user": str(user.pk) if user.is_authenticated else "",
        "username": user.get_username() if user.is_authenticated else "",
        "login": f"{login}?{urlencode({'next': request.path})}",
        "page": request.path,
        "rendered_at": timezone.localtime().isoformat(timespec="seconds"),
        "utc_offset": _utc_offset(),
        "labels": labels,
        "strings": {**offline_strings(), **(strings or {})},
    }
