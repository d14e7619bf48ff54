"""The situation report as PDF (ReportLab): key figures with sources and dates, changes
since the previous report, the map and the charts as PNG images, the tables of each
section. Fonts: the vendored DejaVu Sans, which prints Azerbaijani, Russian and Armenian."""

from __future__ import annotations

import io
import threading
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Image, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from reliefops.core.report_sections import Table as ReportTable
from reliefops.reports.sitrep import Report, _cell, _day
from reliefops.reports.sitrep_images import chart_png, map_png

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"
SANS, SANS_BOLD = "SitrepSans", "SitrepSans-Bold"
RED = colors.HexColor("#c53030")
RED_BACK = colors.HexColor("#fff5f5")
SHADE = colors.HexColor("#edf2f7")
RULE = colors.HexColor("#a0aec0")
WIDTH = A4[0] - 30 * mm
_lock = threading.Lock()
_registered = False


def _register_fonts() -> None:
    global _registered
    with _lock:
        if _registered:
            return
        pdfmetrics.registerFont(TTFont(SANS, str(FONT_DIR / "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont(SANS_BOLD, str(FONT_DIR / "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
        )
        _registered = True


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=SANS, fontSize=8.5, leading=11)
    return {
        "base": base,
        "title": ParagraphStyle("title", parent=base, fontName=SANS_BOLD, fontSize=16, leading=20),
        "h2": ParagraphStyle(
            "h2", parent=base, fontName=SANS_BOLD, fontSize=12, leading=15, spaceBefore=8
        ),
        "h3": ParagraphStyle(
            "h3", parent=base, fontName=SANS_BOLD, fontSize=9.5, leading=12, spaceBefore=4
        ),
        "muted": ParagraphStyle("muted", parent=base, textColor=colors.HexColor("#4a5568")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=7.5, leading=9.5),
        "head": ParagraphStyle("head", parent=base, fontName=SANS_BOLD, fontSize=7.5, leading=9.5),
    }


def _p(text: Any, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _grid(
    headers: list[Any],
    rows: list[list[Any]],
    st: dict[str, ParagraphStyle],
    alerts: list[bool] | None = None,
    shares: list[float] | None = None,
) -> Table:
    data = [[_p(h, st["head"]) for h in headers]]
    data += [[_p(_cell(c), st["cell"]) for c in row] for row in rows]
    shares = shares or [1 / max(len(headers), 1)] * len(headers)
    table = Table(data, repeatRows=1, colWidths=[WIDTH * share for share in shares])
    style = [
        ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("LINEBELOW", (0, 0), (-1, -1), 0.3, RULE),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for i, alert in enumerate(alerts or []):
        if alert:
            style += [
                ("BACKGROUND", (0, i + 1), (-1, i + 1), RED_BACK),
                ("TEXTCOLOR", (0, i + 1), (-1, i + 1), RED),
            ]
    table.setStyle(TableStyle(style))
    return table


def _table(table: ReportTable, st: dict[str, ParagraphStyle]) -> list[Any]:
    return [_p(table.caption, st["h3"]), _grid(table.headers, table.rows, st, table.alerts)]


def _image(png: bytes, width: float) -> Image:
    image = Image(io.BytesIO(png))
    scale = width / image.imageWidth
    image.drawWidth, image.drawHeight = width, image.imageHeight * scale
    return image


def sitrep_pdf(report: Report, *, actor: Any) -> bytes:
    """``report`` as an A4 PDF (the active language's texts)."""
    _register_fonts()
    st = _styles()
    story: list[Any] = [
        _p(f"{_('Situation report')} — {_day(report.day)}", st["title"]),
        _p(
            _("Generated %(when)s for %(user)s; figures within this user's access.")
            % {
                "when": formats.date_format(
                    timezone.localtime(report.generated_at), "DATETIME_FORMAT"
                ),
                "user": report.user,
            },
            st["muted"],
        ),
        _p(_("Key figures"), st["h2"]),
    ]
    figures = [(f, s) for s in report.sections for f in s.figures]
    story.append(
        _grid(
            [_("Figure"), _("Value"), _("Source"), _("As of")],
            [[f.label, f.text, s.source, _day(s.as_of)] for f, s in figures],
            st,
            [f.alert for f, _s in figures],
            [0.36, 0.12, 0.37, 0.15],
        )
    )
    if report.changes:
        story.append(
            _p(f"{_('Changes since the previous report')} ({_day(report.previous_day)})", st["h2"])
        )
        story.append(
            _grid(
                [_("Figure"), _day(report.previous_day), _day(report.day), _("Change")],
                [
                    [c.figure.label, c.previous_text, c.figure.text, c.delta_text]
                    for c in report.changes
                ],
                st,
                shares=[0.46, 0.18, 0.18, 0.18],
            )
        )
    story += [_p(_("Map"), st["h2"]), _image(map_png(actor=actor, day=report.day), WIDTH * 0.85)]
    for section in report.sections:
        story.append(_p(section.title, st["h2"]))
        if section.source:
            story.append(_p(f"{_('Source')}: {section.source}", st["muted"]))
        if section.is_empty:
            story.append(_p(section.empty or _("None recorded."), st["base"]))
        for chart in section.charts:
            story += [Spacer(1, 2 * mm), _image(chart_png(chart), WIDTH * 0.7)]
            story += _table(chart.table, st)
        for table in section.tables:
            story += _table(table, st)
        story += [_p(note, st["muted"]) for note in section.notes]
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"{_('Situation report')} {report.day.isoformat()}",
    )
    doc.build(story)
    return buffer.getvalue()
