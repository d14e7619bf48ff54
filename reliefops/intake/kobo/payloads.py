"""One submission body, whatever sent it, read into one flat shape and its metadata.

Three bodies are understood:

* **KoboToolbox REST services** (JSON export type): one object whose keys are the answers'
  full group paths (``"visit/services": "consultation food_parcel"``) plus Kobo's metadata
  — ``meta/instanceID``, ``meta/deprecatedID`` (on an edit: the instance it replaces),
  ``_uuid``, ``_submission_time`` (UTC, no offset), ``_submitted_by``, ``_xform_id_string``,
  ``__version__``, ``formhub/uuid``, ``_attachments`` (``download_url``, ``filename``,
  ``mimetype`` …) and ``_geolocation`` (``[lat, lon]``).
* **ODK Central** (its OData JSON of one submission): groups are nested objects
  (``{"visit": {"services": …}}``), ``meta: {"instanceID", "deprecatedID"}``, ``__id``
  (the id of the submission's FIRST version — Central keeps it across edits) and
  ``__system`` (``submissionDate``, ``submitterName``, ``attachmentsExpected``,
  ``formVersion`` …); geopoints are GeoJSON points (longitude first).
* **OpenRosa multipart** (what ODK Collect and Enketo post): the part
  ``xml_submission_file`` holds the instance XML (root element attributes ``id`` and
  ``version`` name the form), every other file part is an attachment.

:func:`flatten` turns nested groups into slash paths, so ``visit/services`` names the same
answer in all three; lists (repeats, Kobo's metadata lists) and GeoJSON geometries stay
values. Everything malformed is an :class:`~reliefops.core.errors.InvalidInput` naming
what is wrong (the API answers 400), before anything is written.
"""

from __future__ import annotations

import datetime as dt
import json
import posixpath
import re
import uuid
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from reliefops.core.errors import InvalidInput

#: Groups nested deeper than this are refused (no form needs it; a hostile body might).
MAX_DEPTH = 32
MAX_ID_CHARS = 255
GEOMETRY_TYPES = frozenset({"Point", "LineString", "Polygon", "MultiPoint"})
_WKT_POINT = re.compile(r"^\s*POINT\s*Z?\s*\(\s*([-+0-9.eE]+)\s+([-+0-9.eE]+)", re.IGNORECASE)
_XML_FORBIDDEN = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)


class PayloadInvalid(InvalidInput):
    code = "payload_invalid"
    default_message = _("The submission body cannot be read.")


class InstanceIdMissing(InvalidInput):
    code = "instance_id_missing"
    default_message = _(
        "The submission has no instance id (meta/instanceID, _uuid or __id); "
        "it cannot be received safely."
    )


@dataclass(frozen=True)
class Attachment:
    """One file of a submission: as Kobo describes it, or as it was uploaded."""

    name: str
    mimetype: str = ""
    size: int | None = None
    url: str = ""
    question: str = ""
    sniffed: bool = False  # the type was read from the file's bytes

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mimetype": self.mimetype,
            "size": self.size,
            "url": self.url,
            "question": self.question,
        }


@dataclass
class Received:
    """A submission body read: the flat answers and what the sender says about them."""

    answers: dict[str, Any]
    instance_id: str
    deprecated_id: str = ""
    #: The first version's id when the sender knows it (ODK Central's ``__id``).
    first_id: str = ""
    submitted_by: str = ""
    submitted_at: dt.datetime | None = None
    form_id: str = ""
    form_version: str = ""
    attachments: list[Attachment] = field(default_factory=list)
    #: How many files the sender says belong to the submission (ODK ``attachmentsExpected``).
    attachments_expected: int | None = None
    geolocation: tuple[float, float] | None = None
    shape: str = "kobo"  # kobo | odk | openrosa


# --------------------------------------------------------------------------- bodies


def json_body_parse(body: bytes) -> dict[str, Any]:
    """The JSON object of a body; :class:`PayloadInvalid` for anything else."""
    try:
        value = json.loads(body.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise PayloadInvalid(_("The body is not UTF-8 text."), code="not_json") from None
    except (json.JSONDecodeError, RecursionError):
        raise PayloadInvalid(_("The body is not valid JSON."), code="not_json") from None
    if not isinstance(value, dict):
        raise PayloadInvalid(
            _("The body must be one JSON object (one submission), not %(type)s.")
            % {"type": _json_type(value)},
            code="not_an_object",
        )
    return value


def xml_body_parse(body: bytes) -> tuple[dict[str, Any], str, str]:
    """An OpenRosa instance XML → (nested answers, form id, form version).

    A document type or entity declaration is refused before parsing (no instance has one;
    they are how XML bombs and external entities get in).
    """
    if _XML_FORBIDDEN.search(body):
        raise PayloadInvalid(
            _("The submission XML must not declare a document type or entities."),
            code="xml_forbidden",
        )
    try:
        root = ElementTree.fromstring(body)  # noqa: S314 — see the check above
    except ElementTree.ParseError as exc:
        raise PayloadInvalid(
            _("The submission XML cannot be read: %(reason)s.") % {"reason": exc},
            code="not_xml",
        ) from None
    answers = _element_value(root, 0)
    if not isinstance(answers, dict):
        answers = {}
    return answers, root.get("id", "").strip(), root.get("version", "").strip()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _element_value(element: ElementTree.Element, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise PayloadInvalid(_("The submission is nested too deeply."), code="too_deep")
    children = list(element)
    if not children:
        return (element.text or "").strip()
    grouped: dict[str, list[Any]] = {}
    for child in children:
        grouped.setdefault(_local(child.tag), []).append(_element_value(child, depth + 1))
    # Siblings of one name are a repeat (a list); a single one is a group or an answer.
    return {name: values[0] if len(values) == 1 else values for name, values in grouped.items()}


def _json_type(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    return "a text"


# --------------------------------------------------------------------------- flattening


def is_geometry(value: Any) -> bool:
    return (
        isinstance(value, dict)
        and value.get("type") in GEOMETRY_TYPES
        and isinstance(value.get("coordinates"), list)
    )


def flatten(answers: dict[str, Any], prefix: str = "", depth: int = 0) -> dict[str, Any]:
    """Nested groups → slash paths (``{"visit": {"team": x}}`` → ``{"visit/team": x}``).

    Keys that already hold slashes (Kobo's) are kept; lists and GeoJSON geometries are
    values. Refuses nesting deeper than :data:`MAX_DEPTH`.
    """
    if depth > MAX_DEPTH:
        raise PayloadInvalid(_("The submission is nested too deeply."), code="too_deep")
    flat: dict[str, Any] = {}
    for key, value in answers.items():
        path = f"{prefix}/{key}" if prefix else str(key)
        if isinstance(value, dict) and not is_geometry(value):
            flat.update(flatten(value, path, depth + 1))
        else:
            flat[path] = value
    return flat


# --------------------------------------------------------------------------- metadata


def instance_id_normal(value: Any) -> str:
    """An instance id as one text: ``uuid:<lower-case uuid>`` when it is a UUID (Kobo's
    ``_uuid`` has no prefix, ``meta/instanceID`` has), else the text as sent."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    text = str(value).strip()
    bare = text[5:] if text.lower().startswith("uuid:") else text
    try:
        return f"uuid:{uuid.UUID(bare)}"
    except ValueError:
        return text


def _text(value: Any) -> str:
    if value is None or isinstance(value, (dict, list)):
        return ""
    return str(value).strip()


def timestamp_parse(value: Any) -> dt.datetime | None:
    """A server's timestamp (ISO 8601; Kobo's ``_submission_time`` is UTC without an
    offset); None when absent or unreadable (it is information, not an answer)."""
    text = _text(value)
    if not text:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def geopoint_parse(value: Any) -> tuple[float, float] | None:
    """(latitude, longitude) of a geopoint in any of its shapes, None when empty.

    ``"40.1 46.7 1200 5"`` (XForms: latitude first), ``[40.1, 46.7]`` (Kobo
    ``_geolocation``), a GeoJSON point (longitude first) or WKT ``POINT (46.7 40.1)``.
    Raises ``ValueError`` for a value that is none of these or out of range.
    """
    if value in (None, "", []):
        return None
    lat: Any
    lon: Any
    if is_geometry(value):
        if value["type"] != "Point" or len(value["coordinates"]) < 2:
            raise ValueError("not a point")
        lon, lat = value["coordinates"][:2]
    elif isinstance(value, (list, tuple)):
        if len(value) < 2:
            raise ValueError("not a point")
        if value[0] is None and value[1] is None:
            return None
        lat, lon = value[:2]
    elif isinstance(value, str):
        wkt = _WKT_POINT.match(value)
        if wkt:
            lon, lat = wkt.group(1), wkt.group(2)
        else:
            parts = value.split()
            if len(parts) < 2:
                raise ValueError("not a point")
            lat, lon = parts[:2]
    else:
        raise ValueError("not a point")
    try:
        latitude, longitude = float(lat), float(lon)
    except (TypeError, ValueError):
        raise ValueError("not a point") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError("out of range")
    return latitude, longitude


def _attachments(raw: Any) -> list[Attachment]:
    if raw in (None, ""):
        return []
    if not isinstance(raw, list):
        raise PayloadInvalid(_("_attachments must be a list."), field="_attachments")
    found = []
    for entry in raw:
        if not isinstance(entry, dict):
            raise PayloadInvalid(
                _("Each entry of _attachments must be an object."), field="_attachments"
            )
        size = entry.get("bytes", entry.get("size", entry.get("media_file_size")))
        found.append(
            Attachment(
                name=posixpath.basename(
                    _text(entry.get("media_file_basename") or entry.get("filename"))
                ),
                mimetype=_text(entry.get("mimetype")).lower(),
                size=size if isinstance(size, int) and not isinstance(size, bool) else None,
                url=_text(entry.get("download_url")),
                question=_text(entry.get("question_xpath")),
            )
        )
    return found


def _count(value: Any) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return None


def received_read(
    body: dict[str, Any], *, form_id: str = "", form_version: str = "", shape: str = ""
) -> Received:
    """Read a parsed body (JSON object or OpenRosa answers) into :class:`Received`.

    The instance id is ``meta/instanceID`` (Kobo and ODK), else Kobo's ``_uuid``, else
    ODK's ``__id``; :class:`InstanceIdMissing` when there is none. ``first_id`` is ODK
    Central's ``__id`` when it differs (the edit chain's first version).
    """
    answers = flatten(body)
    instance = instance_id_normal(answers.get("meta/instanceID")) or instance_id_normal(
        answers.get("_uuid")
    )
    central_id = instance_id_normal(answers.get("__id"))
    instance = instance or central_id
    if not instance:
        raise InstanceIdMissing(field="meta/instanceID")
    deprecated = instance_id_normal(answers.get("meta/deprecatedID"))
    for name, value in (("meta/instanceID", instance), ("meta/deprecatedID", deprecated)):
        if len(value) > MAX_ID_CHARS:
            raise PayloadInvalid(
                _("%(name)s is longer than %(max)s characters.")
                % {"name": name, "max": MAX_ID_CHARS},
                field=name,
            )
    if deprecated and deprecated == instance:
        raise PayloadInvalid(
            _("meta/deprecatedID names the submission itself."), field="meta/deprecatedID"
        )
    if not shape:
        shape = "odk" if "__system/submissionDate" in answers or "__id" in answers else "kobo"
    geolocation = None
    try:
        geolocation = geopoint_parse(answers.get("_geolocation"))
    except ValueError:
        geolocation = None
    return Received(
        answers=answers,
        instance_id=instance,
        deprecated_id=deprecated,
        first_id=central_id if central_id and central_id != instance else "",
        submitted_by=_text(answers.get("_submitted_by"))
        or _text(answers.get("__system/submitterName")),
        submitted_at=timestamp_parse(answers.get("_submission_time"))
        or timestamp_parse(answers.get("__system/submissionDate")),
        form_id=form_id or _text(answers.get("_xform_id_string")),
        form_version=form_version
        or _text(answers.get("__version__"))
        or _text(answers.get("__system/formVersion")),
        attachments=_attachments(answers.get("_attachments")),
        attachments_expected=_count(answers.get("__system/attachmentsExpected")),
        geolocation=geolocation,
        shape=shape,
    )
