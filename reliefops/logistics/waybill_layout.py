"""Page layout of the waybill: fonts, page furniture (footer, page numbers), styles and
table helpers. Used by :mod:`reliefops.logistics.waybill`."""

from __future__ import annotations

import datetime as dt
import threading
from collections import Counter
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.core.exceptions import ImproperlyConfigured
from django.utils import formats
from django.utils.translation import gettext
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Paragraph,
    Table,
    TableStyle,
)

from reliefops.logistics.models import Convoy, ConvoyStop

ZERO = Decimal("0")

#: Where ``tools/copy_assets.py`` puts the fonts (relative to the package, not the system).
FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"
FONTS = {
    "WaybillSans": "DejaVuSans.ttf",
    "WaybillSans-Bold": "DejaVuSans-Bold.ttf",
    "WaybillSansCondensed": "DejaVuSansCondensed.ttf",
    "WaybillSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
}
SANS, SANS_BOLD = "WaybillSans", "WaybillSans-Bold"
COND, COND_BOLD = "WaybillSansCondensed", "WaybillSansCondensed-Bold"

_fonts_lock = threading.Lock()
_fonts_registered = False

PAGE_WIDTH, PAGE_HEIGHT = A4
MARGIN = 14 * mm
BODY_WIDTH = PAGE_WIDTH - 2 * MARGIN
FOOTER_HEIGHT = 10 * mm
#: A section heading starts a new page when less than this is left below it.
HEADING_ROOM = 30 * mm

INK = colors.HexColor("#1a202c")
MUTED = colors.HexColor("#4a5568")
RULE = colors.HexColor("#a0aec0")
SHADE = colors.HexColor("#edf2f7")
STOP_BACK = colors.HexColor("#f7fafc")
WARN = colors.HexColor("#9c4221")
WARN_BACK = colors.HexColor("#fffaf0")


def register_fonts() -> None:
    """Register the waybill's TrueType fonts with ReportLab once per process."""
    global _fonts_registered
    with _fonts_lock:
        if _fonts_registered:
            return
        missing = [name for name in FONTS.values() if not (FONT_DIR / name).is_file()]
        if missing:
            raise ImproperlyConfigured(
                f"Waybill fonts missing in {FONT_DIR}: {', '.join(missing)} (run `make assets`)."
            )
        for face, filename in FONTS.items():
            pdfmetrics.registerFont(TTFont(face, str(FONT_DIR / filename)))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
        )
        pdfmetrics.registerFontFamily(
            COND, normal=COND, bold=COND_BOLD, italic=COND, boldItalic=COND_BOLD
        )
        _fonts_registered = True


# --------------------------------------------------------------------------- page furniture


class _PagedCanvas(Canvas):
    """A canvas that holds its pages back until the end, to write "page 2 of 3" of each
    vehicle's waybill in the footer (the vehicle is marked by :class:`_CarrierMark`)."""

    def __init__(
        self, *args: Any, footer: Callable[[Canvas, str, int, int], None], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self._waybill_footer = footer
        self._waybill_pages: list[dict[str, Any]] = []
        self.waybill_carrier = ""

    def showPage(self) -> None:
        self._waybill_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        totals = Counter(page["waybill_carrier"] for page in self._waybill_pages)
        seen: Counter[str] = Counter()
        for state in self._waybill_pages:
            self.__dict__.update(state)
            seen[self.waybill_carrier] += 1
            self._waybill_footer(
                self, self.waybill_carrier, seen[self.waybill_carrier], totals[self.waybill_carrier]
            )
            super().showPage()
        super().save()


class _CarrierMark(Flowable):
    """Invisible: tells the canvas which vehicle's waybill the page belongs to."""

    def __init__(self, tracking_number: str) -> None:
        super().__init__()
        self.tracking_number = tracking_number

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.canv.waybill_carrier = self.tracking_number  # type: ignore[attr-defined]


def _footer(convoy: Convoy, printed: dt.datetime) -> Callable[[Canvas, str, int, int], None]:
    left = gettext("Convoy %(code)s") % {"code": convoy.code}
    printed_text = gettext("Printed %(when)s") % {
        "when": formats.date_format(printed, "SHORT_DATETIME_FORMAT")
    }

    def draw(canvas: Canvas, tracking: str, page: int, pages: int) -> None:
        canvas.saveState()
        top = MARGIN + 7 * mm
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
        canvas.setFillColor(MUTED)
        canvas.setFont(SANS, 7.5)
        canvas.drawString(MARGIN, top - 3.5 * mm, f"{left} · {tracking}")
        canvas.drawRightString(
            PAGE_WIDTH - MARGIN,
            top - 3.5 * mm,
            gettext("Page %(page)s of %(pages)s") % {"page": page, "pages": pages},
        )
        canvas.setFont(SANS, 6.5)
        canvas.drawString(MARGIN, top - 6.5 * mm, printed_text)
        canvas.restoreState()

    return draw


# --------------------------------------------------------------------------- styles, helpers


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=SANS, fontSize=8.5, leading=11, textColor=INK)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=20, leading=24),
        "subtitle": ParagraphStyle("subtitle", parent=base, fontSize=10, leading=13),
        "label": ParagraphStyle("label", parent=base, fontSize=7, leading=9, textColor=MUTED),
        "tracking": ParagraphStyle(
            "tracking", parent=base, fontName=SANS_BOLD, fontSize=22, leading=26
        ),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=SANS_BOLD, fontSize=11, leading=14, spaceBefore=4
        ),
        "cell": ParagraphStyle("cell", parent=base, fontName=COND, fontSize=7.5, leading=9.2),
        "cell_small": ParagraphStyle(
            "cell_small", parent=base, fontName=COND, fontSize=6.5, leading=8, textColor=MUTED
        ),
        "cell_right": ParagraphStyle(
            "cell_right", parent=base, fontName=COND, fontSize=7.5, leading=9.2, alignment=TA_RIGHT
        ),
        "head": ParagraphStyle(
            "head", parent=base, fontName=COND_BOLD, fontSize=7.5, leading=9.2, textColor=INK
        ),
        "head_right": ParagraphStyle(
            "head_right",
            parent=base,
            fontName=COND_BOLD,
            fontSize=7.5,
            leading=9.2,
            alignment=TA_RIGHT,
        ),
        "warning": ParagraphStyle("warning", parent=base, textColor=WARN),
        "sign_title": ParagraphStyle(
            "sign_title", parent=base, fontName=SANS_BOLD, fontSize=8, leading=10
        ),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _number(value: Decimal | float, places: int | None = None) -> str:
    """``value`` in the active language's number format; ``places`` None: as many
    decimals as it needs (500.000 → "500", 12.500 → "12.5")."""
    value = Decimal(str(value))
    if places is None:
        value = value.normalize()
        exponent = int(value.as_tuple().exponent)
        places = max(0, -exponent)
    return formats.number_format(value, decimal_pos=places, force_grouping=True)


def _date(value: dt.date | None, fmt: str = "SHORT_DATE_FORMAT") -> str:
    return formats.date_format(value, fmt) if value else "—"


def _stop_name(stop: ConvoyStop) -> str:
    if stop.facility is not None:
        return f"{stop.facility.name}, {stop.place.name}"
    return stop.place.name


def _grid(data: list[list[Any]], widths: list[float], *, head_rows: int = 1) -> Table:
    table = Table(data, colWidths=widths, repeatRows=head_rows)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.4, RULE),
                ("BACKGROUND", (0, 0), (-1, head_rows - 1), SHADE),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
            ]
        )
    )
    return table


def _tracking_style(number: str, style: ParagraphStyle) -> ParagraphStyle:
    """The large type of the tracking number, smaller for a long one so it keeps to a line
    or two beside the QR code."""
    if len(number) <= 18:
        return style
    size = max(12.0, style.fontSize * 18 / len(number))
    return ParagraphStyle("tracking_long", parent=style, fontSize=size, leading=size * 1.2)


def _qr(value: str, size: float) -> Drawing:
    """A QR code of exactly ``value``, ``size`` points square (quiet zone included)."""
    widget = QrCodeWidget(value, barLevel="M")
    x1, y1, x2, y2 = widget.getBounds()
    drawing = Drawing(size, size, transform=[size / (x2 - x1), 0, 0, size / (y2 - y1), 0, 0])
    drawing.add(widget)
    return drawing
