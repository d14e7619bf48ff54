"""The convoy waybill: one PDF with a waybill (one or more A4 pages) per vehicle.

Each vehicle's waybill carries its consignment tracking number in large type and as a QR
code (the QR code encodes exactly the tracking number), the convoy, the vehicle and its
driver (the driver's phone: personal data, so only the convoy's own logistics staff get a
waybill, see :func:`convoy_waybill`), the cargo lines with lots, expiry dates, weights
and volumes, the route with its crossing points and warnings, and signature blocks for
dispatch, each crossing point and the receipt at each stop.

Texts are in the requested language (labels through gettext, place and facility names
through their localized ``.name``). The font is DejaVu Sans, TrueType, embedded: it
covers Latin (English, Azerbaijani), Cyrillic and Armenian. It comes from the npm package
``dejavu-fonts-ttf`` and is copied to ``reliefops/static/vendor/fonts`` by
``tools/copy_assets.py`` (``make assets``).
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)

from reliefops.core.errors import Conflict, Forbidden, NotFound
from reliefops.core.permissions import Actor
from reliefops.logistics.models import ConsignmentLine, Convoy, ConvoyVehicle
from reliefops.logistics.selectors import RouteView, convoy_full_view, convoy_get, convoy_route
from reliefops.logistics.waybill_layout import (
    BODY_WIDTH,
    FOOTER_HEIGHT,
    HEADING_ROOM,
    INK,
    MARGIN,
    PAGE_HEIGHT,
    RULE,
    SHADE,
    STOP_BACK,
    WARN,
    WARN_BACK,
    _CarrierMark,
    _date,
    _footer,
    _grid,
    _number,
    _p,
    _PagedCanvas,
    _qr,
    _stop_name,
    _styles,
    _tracking_style,
    register_fonts,
)
from reliefops.places.choices import RoadStatus
from reliefops.stock.choices import unit_label

ZERO = Decimal("0")
# --------------------------------------------------------------------------- entry points


def waybill_carriers(convoy: Convoy, registration: str | None = None) -> list[ConvoyVehicle]:
    """The convoy's vehicles in tracking-number order, or the one with ``registration``."""
    carriers = list(
        ConvoyVehicle.objects.filter(convoy=convoy)
        .select_related("vehicle__organisation", "driver")
        .order_by("tracking_number")
    )
    if registration:
        wanted = registration.strip().upper()
        carriers = [c for c in carriers if c.vehicle.registration.upper() == wanted]
        if not carriers:
            raise NotFound(
                _("Vehicle %(registration)s is not in convoy %(code)s.")
                % {"registration": registration, "code": convoy.code},
                field="vehicle",
                registration=registration,
            )
    return carriers


def waybill_filename(convoy: Convoy, carriers: Sequence[ConvoyVehicle] | None = None) -> str:
    """``waybill-<code>.pdf``, or ``waybill-<code>-<registration>.pdf`` for one vehicle."""
    parts = [convoy.code]
    if carriers is not None and len(carriers) == 1:
        parts.append(carriers[0].vehicle.registration)
    name = "-".join(re.sub(r"[\s/\\]+", "-", part.strip()) for part in parts)
    return f"waybill-{name}.pdf"


def convoy_waybill(
    *, actor: Actor | None, code: str, registration: str | None = None, language: str = "en"
) -> tuple[str, bytes]:
    """The waybill PDF of convoy ``code`` (or of one of its vehicles) and its file name.

    Only users who see the whole convoy (its logistics staff, cross-organisation roles)
    get it: a waybill carries the drivers' phones. A convoy the actor may not see at all
    is a ``NotFound``; one it sees only for its own cargo is ``Forbidden``.
    """
    convoy = convoy_get(actor=actor, code=code)
    if not convoy_full_view(actor, convoy):
        raise Forbidden(
            _(
                "Only the logistics staff of convoy %(code)s may print its waybill:"
                " it holds the drivers' contacts."
            )
            % {"code": convoy.code},
            convoy=convoy.code,
        )
    carriers = waybill_carriers(convoy, registration)
    pdf = waybill_pdf(convoy, carriers=carriers, language=language)
    return waybill_filename(convoy, carriers if registration else None), pdf


def waybill_pdf(
    convoy: Convoy, *, carriers: Iterable[ConvoyVehicle] | None = None, language: str = "en"
) -> bytes:
    """The waybills of ``carriers`` (default: every vehicle of the convoy) as one PDF,
    each vehicle starting on a new page, in ``language``. No permission check: callers
    decide who may have it (see :func:`convoy_waybill`)."""
    register_fonts()
    with translation.override(language):
        if carriers is None:
            chosen = waybill_carriers(convoy)
        else:
            ids = [c.pk for c in carriers]
            by_id = {
                c.pk: c
                for c in ConvoyVehicle.objects.filter(pk__in=ids, convoy=convoy).select_related(
                    "vehicle__organisation", "driver"
                )
            }
            chosen = [by_id[pk] for pk in ids if pk in by_id]
        if not chosen:
            raise Conflict(
                gettext("Convoy %(code)s has no vehicles: there is no waybill to print.")
                % {"code": convoy.code},
                convoy=convoy.code,
            )
        convoy = (
            Convoy.objects.select_related("origin__facility__place", "organisation")
            .prefetch_related("stops__place", "stops__facility")
            .get(pk=convoy.pk)
        )
        route = convoy_route(convoy)
        styles = _styles()
        story: list[Flowable] = []
        for index, carrier in enumerate(chosen):
            if index:
                story.append(PageBreak())
            story.extend(_carrier_story(convoy, carrier, route, styles))
        buffer = io.BytesIO()
        title = gettext("Waybill %(code)s") % {"code": convoy.code}
        doc = BaseDocTemplate(
            buffer,
            pagesize=A4,
            leftMargin=MARGIN,
            rightMargin=MARGIN,
            topMargin=MARGIN,
            bottomMargin=MARGIN + FOOTER_HEIGHT,
            title=title,
            author=convoy.organisation.name if convoy.organisation_id else "",
            subject=gettext("Convoy waybill"),
            creator="ReliefOps",
            lang=language,
        )
        frame = Frame(
            MARGIN,
            MARGIN + FOOTER_HEIGHT,
            BODY_WIDTH,
            PAGE_HEIGHT - 2 * MARGIN - FOOTER_HEIGHT,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        doc.addPageTemplates([PageTemplate(id="waybill", frames=[frame])])
        footer = _footer(convoy, timezone.localtime())
        doc.build(story, canvasmaker=lambda *a, **kw: _PagedCanvas(*a, footer=footer, **kw))
        return buffer.getvalue()


# --------------------------------------------------------------------------- one vehicle


def _carrier_story(
    convoy: Convoy, carrier: ConvoyVehicle, route: RouteView, s: dict[str, ParagraphStyle]
) -> list[Flowable]:
    lines = list(
        ConsignmentLine.objects.filter(carrier=carrier)
        .select_related("stop__place", "stop__facility", "item", "lot", "request_line__request")
        .order_by("stop__sequence", "item__code", "created_at")
    )
    story: list[Flowable] = [_CarrierMark(carrier.tracking_number)]
    story.append(_header(convoy, carrier, s))
    story.append(Spacer(1, 3 * mm))
    story.append(_details(convoy, carrier, s))
    story.append(Spacer(1, 4 * mm))
    story.append(CondPageBreak(HEADING_ROOM))
    story.append(_p(gettext("Cargo"), s["h2"]))
    story.append(Spacer(1, 1.5 * mm))
    story.append(_cargo(lines, s))
    story.append(Spacer(1, 4 * mm))
    story.extend(_route(route, s))
    story.append(Spacer(1, 4 * mm))
    story.extend(_signatures(convoy, carrier, lines, route, s))
    return story


def _header(convoy: Convoy, carrier: ConvoyVehicle, s: dict[str, ParagraphStyle]) -> Table:
    qr_size = 36 * mm
    origin = convoy.origin.facility
    left = [
        _p(gettext("Waybill"), s["title"]),
        _p(
            gettext("Convoy %(code)s, departing %(date)s")
            % {"code": convoy.code, "date": _date(convoy.departure_date, "DATE_FORMAT")},
            s["subtitle"],
        ),
        _p(
            gettext("From %(warehouse)s") % {"warehouse": f"{origin.name}, {origin.place.name}"},
            s["subtitle"],
        ),
        Spacer(1, 3 * mm),
        _p(gettext("Consignment tracking number"), s["label"]),
        _p(carrier.tracking_number, _tracking_style(carrier.tracking_number, s["tracking"])),
    ]
    table = Table([[left, _qr(carrier.tracking_number, qr_size)]], colWidths=[None, qr_size])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
                ("LINEBELOW", (0, 0), (-1, 0), 1, INK),
            ]
        )
    )
    return table


def _details(convoy: Convoy, carrier: ConvoyVehicle, s: dict[str, ParagraphStyle]) -> Table:
    vehicle = carrier.vehicle
    driver = carrier.driver
    blank = "—"
    convoy_rows = [
        (gettext("Convoy"), convoy.code),
        (gettext("Departure date"), _date(convoy.departure_date, "DATE_FORMAT")),
        (
            gettext("Origin warehouse"),
            f"{convoy.origin.facility.name} ({convoy.origin.facility.code})",
        ),
        (gettext("Run by"), convoy.organisation.name),
        (gettext("Convoy leader"), convoy.leader or blank),
        (gettext("Escort"), convoy.escort or blank),
    ]
    vehicle_rows = [
        (gettext("Registration"), vehicle.registration),
        (gettext("Vehicle kind"), vehicle.get_kind_display()),
        (gettext("Owner"), vehicle.organisation.name),
        (gettext("Driver"), driver.name if driver else blank),
        (gettext("Driver's phone"), (driver.phone if driver else "") or blank),
        (gettext("Carriage"), carrier.get_carriage_display()),
    ]
    label_w, value_w = 27 * mm, BODY_WIDTH / 2 - 27 * mm - 2 * mm
    data: list[list[Any]] = [
        [
            _p(gettext("Convoy"), s["sign_title"]),
            "",
            _p(gettext("Vehicle and driver"), s["sign_title"]),
            "",
        ]
    ]
    for (l1, v1), (l2, v2) in zip(convoy_rows, vehicle_rows, strict=True):
        data.append([_p(l1, s["label"]), _p(v1, s["base"]), _p(l2, s["label"]), _p(v2, s["base"])])
    table = Table(data, colWidths=[label_w, value_w + 4 * mm, label_w, value_w])
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("SPAN", (0, 0), (1, 0)),
                ("SPAN", (2, 0), (3, 0)),
                ("LINEBELOW", (0, 0), (1, 0), 0.6, RULE),
                ("LINEBELOW", (2, 0), (3, 0), 0.6, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("RIGHTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                ("TOPPADDING", (0, 1), (-1, 1), 3),
            ]
        )
    )
    return table


def _cargo(lines: list[ConsignmentLine], s: dict[str, ParagraphStyle]) -> Flowable:
    """The vehicle's lines grouped under their stop (in stop order), with the totals."""
    if not lines:
        return _p(gettext("No cargo is loaded on this vehicle."), s["base"])
    widths = [m * mm for m in (24, 58, 27, 18, 23, 16, 16)]
    head = [
        _p(gettext("Request"), s["head"]),
        _p(gettext("Item"), s["head"]),
        _p(gettext("Lot"), s["head"]),
        _p(gettext("Expiry"), s["head"]),
        _p(gettext("Quantity"), s["head_right"]),
        _p(gettext("Weight (kg)"), s["head_right"]),
        _p(gettext("Volume (m³)"), s["head_right"]),
    ]
    data: list[list[Any]] = [head]
    stop_rows: list[int] = []
    weight_total = volume_total = ZERO
    current_stop = None
    for line in lines:
        if line.stop_id != current_stop:
            current_stop = line.stop_id
            stop_rows.append(len(data))
            title = gettext("Stop %(number)s: %(name)s") % {
                "number": line.stop.sequence,
                "name": _stop_name(line.stop),
            }
            data.append([_p(title, s["head"]), "", "", "", "", "", ""])
        item = line.item
        weight = item.weight_kg * line.quantity
        volume = item.volume_m3 * line.quantity
        weight_total += weight
        volume_total += volume
        request = line.request_line.request.reference if line.request_line else "—"
        data.append(
            [
                _p(request, s["cell"]),
                [_p(item.code, s["head"]), _p(item.name, s["cell"])],
                _p(line.lot.code if line.lot and line.lot.code else "—", s["cell"]),
                _p(_date(line.lot.expiry_date if line.lot else None), s["cell"]),
                _p(f"{_number(line.quantity)} {unit_label(item.unit)}", s["cell_right"]),
                _p(_number(weight, 1), s["cell_right"]),
                _p(_number(volume, 3), s["cell_right"]),
            ]
        )
    count = len(lines)
    total = ngettext("Total: %(count)s line", "Total: %(count)s lines", count) % {"count": count}
    data.append(
        [
            _p(total, s["head"]),
            "",
            "",
            "",
            "",
            _p(_number(weight_total, 1), s["head_right"]),
            _p(_number(volume_total, 3), s["head_right"]),
        ]
    )
    table = _grid(data, widths)
    style: list[tuple[Any, ...]] = [
        ("NOSPLIT", (0, -2), (-1, -1)),  # the totals stay with the last line
        ("SPAN", (0, -1), (4, -1)),
        ("BACKGROUND", (0, -1), (-1, -1), SHADE),
        ("LINEABOVE", (0, -1), (-1, -1), 0.9, INK),
    ]
    for row in stop_rows:
        style += [
            ("SPAN", (0, row), (-1, row)),
            ("BACKGROUND", (0, row), (-1, row), STOP_BACK),
            ("NOSPLIT", (0, row), (-1, row + 1)),  # a stop's title stays with its first line
        ]
    table.setStyle(TableStyle(style))
    return table


def _route(route: RouteView, s: dict[str, ParagraphStyle]) -> list[Flowable]:
    out: list[Flowable] = [
        CondPageBreak(HEADING_ROOM),
        _p(gettext("Route"), s["h2"]),
        Spacer(1, 1.5 * mm),
    ]
    if not route.roads:
        out.append(_p(gettext("No route is recorded for this convoy."), s["base"]))
    else:
        data: list[list[Any]] = [
            [
                _p("#", s["head"]),
                _p(gettext("Road"), s["head"]),
                _p(gettext("Length (km)"), s["head_right"]),
                _p(gettext("Status"), s["head"]),
            ]
        ]
        for number, road in enumerate(route.roads, start=1):
            status = (
                RoadStatus(road.status).label if road.status in RoadStatus.values else road.status
            )
            data.append(
                [
                    _p(number, s["cell"]),
                    _p(road.name, s["cell"]),
                    _p(_number(road.length_km, 1), s["cell_right"]),
                    _p(status, s["cell"]),
                ]
            )
        data.append(
            [
                "",
                _p(gettext("Total"), s["head"]),
                _p(_number(route.length_km, 1), s["head_right"]),
                "",
            ]
        )
        table = _grid(data, [8 * mm, 112 * mm, 24 * mm, BODY_WIDTH - 144 * mm])
        table.setStyle(TableStyle([("BACKGROUND", (0, -1), (-1, -1), SHADE)]))
        out.append(table)
    out.append(Spacer(1, 3 * mm))
    if route.crossing_points:
        data = [
            [
                _p(gettext("Crossing point"), s["head"]),
                _p(gettext("Open"), s["head"]),
                _p(gettext("Notice (hours)"), s["head_right"]),
                _p(gettext("Notify by"), s["head"]),
                _p(gettext("Notify"), s["head"]),
            ]
        ]
        for crossing in route.crossing_points:
            facility = crossing.facility
            data.append(
                [
                    _p(f"{facility.name}, {facility.place.name}", s["cell"]),
                    _p(
                        gettext("Yes") if crossing.is_open else facility.get_status_display(),
                        s["cell"],
                    ),
                    _p(crossing.notice_hours if crossing.notice_hours else "—", s["cell_right"]),
                    _p(
                        formats.date_format(crossing.notify_by, "SHORT_DATETIME_FORMAT")
                        if crossing.notify_by
                        else "—",
                        s["cell"],
                    ),
                    _p(facility.notice_to or "—", s["cell"]),
                ]
            )
        out.append(_grid(data, [58 * mm, 20 * mm, 20 * mm, 30 * mm, BODY_WIDTH - 128 * mm]))
    else:
        out.append(_p(gettext("No crossing point on the route."), s["base"]))
    if route.warnings:
        out.append(Spacer(1, 3 * mm))
        rows = [[_p("⚠ " + str(w), s["warning"])] for w in route.warnings]
        box = Table(rows, colWidths=[BODY_WIDTH])
        box.setStyle(
            TableStyle(
                [
                    ("BACKGROUND", (0, 0), (-1, -1), WARN_BACK),
                    ("BOX", (0, 0), (-1, -1), 0.8, WARN),
                    ("LEFTPADDING", (0, 0), (-1, -1), 5),
                    ("TOPPADDING", (0, 0), (-1, -1), 2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ]
            )
        )
        out.append(box)
    return out


def _signature_block(
    title: str, s: dict[str, ParagraphStyle], width: float, *, remarks: bool = False
) -> Table:
    """A titled box with room to write a name and role and to sign and stamp."""
    half = width / 2
    data: list[list[Any]] = [
        [_p(title, s["sign_title"]), ""],
        [_p(gettext("Full name"), s["label"]), _p(gettext("Role"), s["label"])],
        [_p(gettext("Signature and stamp"), s["label"]), _p(gettext("Date and time"), s["label"])],
    ]
    heights: list[float | None] = [None, 10 * mm, 16 * mm]
    if remarks:
        data.append([_p(gettext("Remarks (shortages, damage)"), s["label"]), ""])
        heights.append(11 * mm)
    table = Table(data, colWidths=[half, half], rowHeights=heights)
    style: list[tuple[Any, ...]] = [
        ("SPAN", (0, 0), (-1, 0)),
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("BOX", (0, 0), (-1, -1), 0.7, INK),
        ("INNERGRID", (0, 1), (-1, -1), 0.4, RULE),
        ("LINEBELOW", (0, 0), (-1, 0), 0.7, INK),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    if remarks:
        style.append(("SPAN", (0, 3), (-1, 3)))
    table.setStyle(TableStyle(style))
    return table


def _signatures(
    convoy: Convoy,
    carrier: ConvoyVehicle,
    lines: list[ConsignmentLine],
    route: RouteView,
    s: dict[str, ParagraphStyle],
) -> list[Flowable]:
    """Dispatch, the driver's taking over, each crossing point, the receipt at each stop
    of this vehicle (every stop of the convoy when it carries nothing): two per row."""
    gap = 5 * mm
    width = (BODY_WIDTH - gap) / 2
    origin = convoy.origin.facility
    blocks: list[Table] = [
        _signature_block(
            gettext("Dispatched from %(warehouse)s") % {"warehouse": origin.name},
            s,
            width,
        ),
        _signature_block(
            gettext("Taken over for carriage by the driver %(driver)s")
            % {"driver": carrier.driver.name if carrier.driver else ""},
            s,
            width,
        ),
    ]
    for crossing in route.crossing_points:
        blocks.append(
            _signature_block(
                gettext("Crossing point: %(name)s") % {"name": crossing.facility.name},
                s,
                width,
            )
        )
    stops = {line.stop.pk: line.stop for line in lines}
    stop_list = sorted(stops.values(), key=lambda st: st.sequence) or list(convoy.stops.all())
    for stop in stop_list:
        blocks.append(
            _signature_block(
                gettext("Received at stop %(number)s: %(name)s")
                % {"number": stop.sequence, "name": _stop_name(stop)},
                s,
                width,
                remarks=True,
            )
        )
    rows: list[Flowable] = []
    for i in range(0, len(blocks), 2):
        pair: list[Any] = blocks[i : i + 2]
        if len(pair) == 1:
            pair.append("")
        row = Table([pair], colWidths=[width + gap, width])
        row.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (0, 0), gap),
                    ("RIGHTPADDING", (1, 0), (1, 0), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 3 * mm),
                ]
            )
        )
        rows.append(row)
    # The heading stays with the first row (no KeepTogether inside another: ReportLab
    # then sees an endless height and breaks the page).
    return [
        KeepTogether([_p(gettext("Signatures"), s["h2"]), Spacer(1, 1.5 * mm), rows[0]]),
        *rows[1:],
    ]
