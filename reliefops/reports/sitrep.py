"""The dashboard's and the situation report's content: the report sections of one day for
one user (``core/report_sections.py``), with the key figures of the week before.

Both the dashboard and the sitrep call :func:`report_build`, so their figures are the same
for the same day and user. Rendering: Markdown and HTML here, images in
``sitrep_images``, PDF in ``sitrep_pdf``.
"""

from __future__ import annotations

import base64
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from reliefops.core.report_sections import Figure, SectionData, report_sections_build
from reliefops.reports.sitrep_images import chart_png, map_png

#: "Changes since the previous report": the figures of the day a week before.
PREVIOUS_DAYS = 7
FORMATS = ("md", "html", "pdf")
CONTENT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
}


@dataclass
class Change:
    figure: Figure
    previous: float | int | None

    @property
    def delta(self) -> float | int | None:
        now = self.figure.shown_value
        if now is None or self.previous is None:
            return None
        return now - self.previous

    @property
    def delta_text(self) -> str:
        delta = self.delta
        if delta is None:
            return "–"
        if isinstance(delta, float) and delta in (float("inf"), float("-inf")):
            return "–"
        sign = "+" if delta > 0 else ""
        if isinstance(delta, float):
            return sign + formats.number_format(delta, decimal_pos=1, force_grouping=True)
        return sign + formats.number_format(delta, force_grouping=True)

    @property
    def previous_text(self) -> str:
        return Figure(self.figure.key, "", self.previous).text


@dataclass
class Report:
    """The sections of ``day`` for one user; ``changes`` against ``previous_day``."""

    day: dt.date
    sections: list[SectionData]
    generated_at: dt.datetime
    user: str
    previous_day: dt.date | None = None
    changes: list[Change] = field(default_factory=list)

    @property
    def figures(self) -> list[Figure]:
        return [f for s in self.sections for f in s.figures]


def report_build(*, actor: Any, day: dt.date, where: str, compare: bool = False) -> Report:
    """The report of ``day`` as ``actor`` sees it; ``compare``: with the key figures of
    ``day`` − 7 days (the previous weekly report)."""
    sections = report_sections_build(actor, day, where=where)
    report = Report(
        day=day,
        sections=sections,
        generated_at=timezone.now(),
        user=getattr(actor, "username", ""),
    )
    if compare:
        report.previous_day = day - dt.timedelta(days=PREVIOUS_DAYS)
        before = {
            f.key: f.shown_value
            for s in report_sections_build(actor, report.previous_day, where=where)
            for f in s.figures
        }
        report.changes = [Change(f, before.get(f.key)) for f in report.figures]
    return report


def report_figures(report: Report) -> dict[str, float | int | None]:
    """The key figures by key as every output shows them (suppressed counts are None)."""
    return {f.key: f.shown_value for f in report.figures}


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return formats.number_format(value, decimal_pos=1, force_grouping=True)
    if isinstance(value, int):
        return formats.number_format(value, force_grouping=True)
    return str(value).replace("|", "\\|")


def _md_table(headers: list[Any], rows: list[list[Any]]) -> list[str]:
    lines = ["| " + " | ".join(_cell(h) for h in headers) + " |"]
    lines.append("|" + "---|" * len(headers))
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _day(day: dt.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def sitrep_markdown(report: Report) -> str:
    """The report as Markdown (text only; images are in the HTML and PDF)."""
    out = [f"# {_('Situation report')} — {_day(report.day)}", ""]
    out.append(
        _("Generated %(when)s for %(user)s; figures within this user's access.")
        % {
            "when": formats.date_format(timezone.localtime(report.generated_at), "DATETIME_FORMAT"),
            "user": report.user,
        }
    )
    out += ["", f"## {_('Key figures')}", ""]
    rows = [[f.label, f.text, s.source, _day(s.as_of)] for s in report.sections for f in s.figures]
    out += _md_table([_("Figure"), _("Value"), _("Source"), _("As of")], rows)
    if report.changes:
        out += [
            "",
            f"## {_('Changes since the previous report')} ({_day(report.previous_day)})",
            "",
        ]
        out += _md_table(
            [_("Figure"), _day(report.previous_day), _day(report.day), _("Change")],
            [
                [c.figure.label, c.previous_text, c.figure.text, c.delta_text]
                for c in report.changes
            ],
        )
    for section in report.sections:
        out += ["", f"## {section.title}", ""]
        if section.source:
            out += [f"*{_('Source')}: {section.source}*", ""]
        if section.is_empty:
            out.append(str(section.empty or _("None recorded.")))
        for chart in section.charts:
            out += [f"### {chart.title}", "", *_md_table(chart.table.headers, chart.table.rows), ""]
        for table in section.tables:
            out += [f"### {table.caption}", "", *_md_table(table.headers, table.rows), ""]
        out += [f"_{note}_" for note in section.notes]
    return "\n".join(out).rstrip() + "\n"


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def sitrep_html(report: Report, *, actor: Any, standalone: bool = True) -> str:
    """The report as HTML with the map and the charts as embedded PNG images."""
    charts = {c.key: _data_uri(chart_png(c)) for s in report.sections for c in s.charts}
    return render_to_string(
        "reports/sitrep_document.html",
        {
            "report": report,
            "map_image": _data_uri(map_png(actor=actor, day=report.day)),
            "chart_images": charts,
            "standalone": standalone,
        },
    )


def sitrep_filename(day: dt.date, fmt: str, language: str) -> str:
    return f"sitrep-{day.isoformat()}-{language}.{fmt}"
