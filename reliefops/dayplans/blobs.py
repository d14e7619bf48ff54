"""Signed, compressed pickles of the planning core's objects (sub-problems and results).

A run's sub-problems (``RoutingTask``), their results (``TaskResult``) and the prepared
remainder of a day travel between the web process and the Celery workers through the
database as pickles. Unpickling runs code, so every blob carries an HMAC-SHA256 over the
compressed bytes, keyed by ``SECRET_KEY`` (or one of ``SECRET_KEY_FALLBACKS`` while keys
are rotated), and is verified before anything is unpickled: a row changed by anything
but this module is refused, never loaded.
"""

from __future__ import annotations

import hashlib
import hmac
import pickle  # nosec B403
import zlib
from typing import Any

from django.conf import settings

_SALT = b"reliefops.dayplans.blob/1"
_MAC_SIZE = hashlib.sha256().digest_size


class BlobTampered(ValueError):
    """A stored blob's signature does not match: it was not written by this installation."""


def _key(secret: str) -> bytes:
    return hashlib.sha256(_SALT + secret.encode()).digest()


def _mac(secret: str, body: bytes) -> bytes:
    return hmac.new(_key(secret), body, hashlib.sha256).digest()


def blob_pack(obj: Any) -> bytes:
    """``obj`` pickled, compressed and signed (the signature first)."""
    body = zlib.compress(pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL), 6)
    return _mac(settings.SECRET_KEY, body) + body


def blob_unpack(data: bytes | memoryview) -> Any:
    """The object of a blob from :func:`blob_pack`; :class:`BlobTampered` when unsigned."""
    raw = bytes(data)
    mac, body = raw[:_MAC_SIZE], raw[_MAC_SIZE:]
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if hmac.compare_digest(mac, _mac(secret, body)):
            # the signature is verified above (bandit B301 reviewed)
            return pickle.loads(zlib.decompress(body))  # noqa: S301  # nosec B301
    raise BlobTampered("stored sub-problem data failed its signature check")
