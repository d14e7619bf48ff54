"""Server-side images of the situation report (matplotlib, Agg): a chart per report chart
and a map of the user's areas (area outlines from the places app's geometry, no tiles),
with open requests by priority, crossing points and facilities short of heating fuel."""

from __future__ import annotations

import datetime as dt
import io
import threading
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")

from django.utils.translation import gettext as _
from matplotlib import font_manager
from matplotlib.figure import Figure as MplFigure
from matplotlib.ticker import MaxNLocator

from reliefops.core.report_sections import Chart
from reliefops.crossings.selectors import crossing_points
from reliefops.needs.choices import Priority
from reliefops.needs.selectors import heating_cover_list
from reliefops.reports.layers import (
    PRIORITY_COLOURS,
    admin_area_geojson,
    open_request_geojson,
)
from reliefops.reports.report_sections import COVER_KINDS

FONT_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "fonts"
FAMILY = "DejaVu Sans"
RED = "#c53030"
PALETTE = ["#2b6cb0", "#dd6b20", "#2f855a", "#6b46c1", "#c53030"]
_lock = threading.Lock()


def _fonts() -> None:
    """DejaVu Sans (vendored: Latin with Azerbaijani letters, Cyrillic, Armenian)."""
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"):
        path = FONT_DIR / name
        if path.is_file():
            font_manager.fontManager.addfont(str(path))


def _png(fig: MplFigure) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=150, bbox_inches="tight", facecolor="white")
    return buffer.getvalue()


def _figure(width: float, height: float) -> MplFigure:
    _fonts()
    fig = MplFigure(figsize=(width, height))
    fig.set_facecolor("white")
    return fig


def chart_png(chart: Chart) -> bytes:
    """``chart`` as a PNG image (bars, horizontal bars or lines; a legend when several)."""
    with _lock, matplotlib.rc_context({"font.family": FAMILY, "font.size": 8}):
        rows = max(len(chart.labels), 1)
        height = 2.6 if chart.kind != "hbar" else min(1.0 + 0.28 * rows, 6.0)
        fig = _figure(6.5, height)
        ax = fig.add_subplot()
        positions = list(range(len(chart.labels)))
        n = max(len(chart.series), 1)
        for i, (name, values) in enumerate(chart.series.items()):
            colour = PALETTE[i % len(PALETTE)]
            if chart.kind == "line":
                ax.plot(positions, values, marker="o", markersize=3, label=name, color=colour)
            elif chart.kind == "hbar":
                width = 0.8 / n
                marked = chart.table.alerts
                colours = [RED if a else colour for a in marked] if marked else colour
                ax.barh([p + i * width for p in positions], values, height=width, color=colours)
            else:
                width = 0.8 / n
                ax.bar(
                    [p + i * width for p in positions],
                    values,
                    width=width,
                    label=name,
                    color=colour,
                )
        integral = all(float(v).is_integer() for values in chart.series.values() for v in values)
        value_axis = ax.xaxis if chart.kind == "hbar" else ax.yaxis
        if integral:
            value_axis.set_major_locator(MaxNLocator(integer=True))
        values_all = [float(v) for values in chart.series.values() for v in values]
        if chart.kind != "line" and all(v >= 0 for v in values_all):
            # counts: the axis starts at 0, and an all-zero chart is not drawn around 0
            top = max(values_all, default=0.0)
            limits = (0.0, top * 1.05 if top > 0 else 1.0)
            (ax.set_xlim if chart.kind == "hbar" else ax.set_ylim)(*limits)
        if chart.kind == "hbar":
            ax.set_yticks(positions, chart.labels)
            ax.invert_yaxis()
        else:
            step = max(1, len(positions) // 8)
            ax.set_xticks(positions[::step], chart.labels[::step])
        ax.set_title(str(chart.title), fontsize=9, loc="left")
        ax.spines[["top", "right"]].set_visible(False)
        if not chart.labels:
            ax.text(0.5, 0.5, _("No data"), ha="center", va="center", transform=ax.transAxes)
        if len(chart.series) > 1:
            ax.legend(frameon=False)
        return _png(fig)


def _rings(geometry: dict[str, Any]) -> list[list[list[float]]]:
    kind = geometry.get("type")
    coords = geometry.get("coordinates") or []
    if kind == "Polygon":
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def map_png(*, actor: Any, day: dt.date) -> bytes:
    """The map of the report: outlines of the areas (the user's areas shaded), open
    requests by priority, crossing points, facilities below 7 days of heating fuel."""
    areas = admin_area_geojson(actor=actor)["features"]
    top = min((f["properties"]["level"] for f in areas), default=0)
    with _lock, matplotlib.rc_context({"font.family": FAMILY, "font.size": 7}):
        fig = _figure(6.5, 5.0)
        ax = fig.add_subplot()
        for feature in areas:
            level = feature["properties"]["level"]
            if level > top + 1:
                continue
            for ring in _rings(feature["geometry"] or {}):
                xs, ys = [p[0] for p in ring], [p[1] for p in ring]
                in_scope = feature["properties"]["in_scope"] and level > top
                if in_scope:
                    ax.fill(xs, ys, color="#ebf8ff", zorder=1)
                ax.plot(
                    xs,
                    ys,
                    color="#4a5568" if level == top else "#a0aec0",
                    linewidth=0.9 if level == top else 0.5,
                    zorder=2,
                )
        requests = open_request_geojson(actor=actor, day=day)["features"]
        for priority, colour in PRIORITY_COLOURS.items():
            points = [
                f["geometry"]["coordinates"]
                for f in requests
                if f["properties"]["priority"] == priority
            ]
            if points:
                ax.scatter(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    s=14,
                    color=colour,
                    zorder=4,
                    label=str(Priority(priority).label),
                )
        crossings = [p for p in crossing_points(actor=actor) if p.latitude and p.longitude]
        if crossings:
            ax.scatter(
                [p.longitude for p in crossings],
                [p.latitude for p in crossings],
                marker="D",
                s=22,
                color="#1a202c",
                zorder=5,
                label=_("Crossing points"),
            )
        low = [
            r.facility
            for r in heating_cover_list(actor=actor, day=day, kinds=COVER_KINDS)
            if r.low and r.facility.latitude is not None
        ]
        if low:
            ax.scatter(
                [f.longitude for f in low],
                [f.latitude for f in low],
                marker="^",
                s=26,
                color="#c53030",
                edgecolor="white",
                zorder=6,
                label=_("Below 7 days of heating fuel"),
            )
        ax.margins(0.08)
        points = [
            *((f["geometry"]["coordinates"][0], f["geometry"]["coordinates"][1]) for f in requests),
            *((p.longitude, p.latitude) for p in crossings),
            *((f.longitude, f.latitude) for f in low),
        ]
        if points:
            # the operation, not the whole country: the points' extent with some context
            xs, ys = [float(p[0]) for p in points], [float(p[1]) for p in points]
            pad = max(0.6, 0.25 * max(max(xs) - min(xs), max(ys) - min(ys)))
            ax.set_xlim(min(xs) - pad, max(xs) + pad)
            ax.set_ylim(min(ys) - pad, max(ys) + pad)
        # fixed limits keep their extent and the box takes the aspect (else the limits give)
        ax.set_aspect(1.25, adjustable="box" if points else "datalim")
        ax.set_xlabel("°E")
        ax.set_ylabel("°N")
        ax.spines[["top", "right"]].set_visible(False)
        if not areas and not crossings:
            ax.text(
                0.5,
                0.5,
                _("No area outline held"),
                ha="center",
                va="center",
                transform=ax.transAxes,
            )
        if ax.get_legend_handles_labels()[0]:
            ax.legend(
                loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=3, fontsize=6, frameon=False
            )
        ax.set_title(_("Operational map"), fontsize=9, loc="left")
        return _png(fig)
