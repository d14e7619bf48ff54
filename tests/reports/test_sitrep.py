"""The situation report: its figures equal the dashboard's for the same day and user; the
PDF renders with its map and charts (pages turned into images: not blank); the command
writes the file; counts of people suppressed below 5; the decisions and action items
sections say "none recorded" until the coordination app registers them."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pypdfium2 as pdfium
import pytest
from django.core.management import call_command
from django.test import Client

from reliefops.core import report_sections
from reliefops.core.report_sections import SectionData, report_section
from reliefops.reports.selectors import (
    dashboard_report,
    report_build,
    report_figures,
    sitrep_render,
)
from tests.reports.scene import report_world

pytestmark = pytest.mark.django_db

PAGE_IMAGE = Path("/tmp/reliefops-sitrep/page.png")


@pytest.fixture
def world() -> Any:
    return report_world()


def test_sitrep_figures_equal_the_dashboards(world: Any) -> None:
    for actor in (world.coordinator, world.field_a, world.field_b):
        dashboard = dashboard_report(actor=actor, day=world.day)
        sitrep = report_build(actor=actor, day=world.day, where="sitrep", compare=True)
        assert report_figures(sitrep) == report_figures(dashboard)
        markdown = sitrep_render(actor, world.day, "md", "en").decode()
        html = sitrep_render(actor, world.day, "html", "en").decode()
        for figure in dashboard.figures:
            assert f"| {figure.label} | {figure.text} |" in markdown
            assert f'data-figure="{figure.key}"' in html
            assert f"<td>{figure.label}</td><td>{figure.text}</td>" in html.replace("&lt;", "<")
    # Field A sees 2 people due: suppressed in every output.
    markdown = sitrep_render(world.field_a, world.day, "md", "en").decode()
    assert "| People due for a visit | <5 |" in markdown
    markdown = sitrep_render(world.field_b, world.day, "md", "en").decode()
    assert "| People due for a visit | 6 |" in markdown


def test_changes_since_the_week_before_and_placeholders(world: Any) -> None:
    markdown = sitrep_render(world.coordinator, world.day, "md", "en").decode()
    assert "## Changes since the previous report" in markdown
    # Outbound at the crossing point: 40 counted 10 days ago, 240 in the 14 days to today.
    assert "| Persons counted (Outbound), last 14 days | 40 | 240 | +200 |" in markdown
    assert "## Decisions\n\nNone recorded." in markdown
    assert "## Overdue action items\n\nNone recorded." in markdown


def test_a_registered_section_replaces_its_placeholder(world: Any) -> None:
    def decisions(actor: Any, day: Any) -> SectionData:
        return SectionData(key="decisions", title="Decisions", empty="Two decisions (test)")

    report_section("decisions", order=80)(decisions)
    try:
        markdown = sitrep_render(world.coordinator, world.day, "md", "en").decode()
        assert "Two decisions (test)" in markdown
    finally:
        report_sections._REGISTRY["decisions"] = [
            e for e in report_sections._REGISTRY["decisions"] if e.builder is not decisions
        ]


def _ink(image: Any) -> float:
    """Share of pixels of a page image that are not white."""
    grey = image.convert("L")
    histogram = grey.histogram()
    return 1 - sum(histogram[245:]) / sum(histogram)


def test_pdf_renders_with_its_map_and_charts(world: Any) -> None:
    pdf = sitrep_render(world.coordinator, world.day, "pdf", "hy")
    PAGE_IMAGE.parent.mkdir(exist_ok=True)
    assert pdf.startswith(b"%PDF")
    document = pdfium.PdfDocument(io.BytesIO(pdf))
    assert len(document) >= 2
    images = 0
    for index in range(len(document)):
        page = document[index]
        images += sum(1 for _ in page.get_objects(filter=[pdfium.raw.FPDF_PAGEOBJ_IMAGE]))
        bitmap = page.render(scale=1).to_pil()
        assert _ink(bitmap) > 0.01, f"page {index + 1} is blank"
        if index < 3:  # for a person to look at
            page.render(scale=1.5).to_pil().save(
                PAGE_IMAGE.with_name(f"sitrep-page{index + 1}.png")
            )
    # The map and at least one chart per section with a chart (requests, heating, …).
    assert images >= 6
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    assert "Ստեփանակերտ" in text  # Armenian names print (the vendored DejaVu Sans)


def test_command_writes_the_pdf_of_a_day(world: Any, tmp_path: Path) -> None:
    output = tmp_path / "sitrep.pdf"
    call_command("sitrep", "--date", "2023-09-30", "--format", "pdf", "--output", str(output))
    assert output.read_bytes().startswith(b"%PDF")
    assert len(pdfium.PdfDocument(str(output))) >= 1
    md = tmp_path / "sitrep.md"
    call_command(
        "sitrep",
        "--date",
        "2023-09-30",
        "--format",
        "md",
        "--output",
        str(md),
        "--user",
        world.field_a.username,
        "--language",
        "ru",
    )
    assert md.read_text(encoding="utf-8").startswith("# ")


def test_page_previews_and_downloads(world: Any) -> None:
    client = Client()
    client.force_login(world.field_b)
    response = client.get(f"/reports/sitrep/?date={world.day.isoformat()}&language=en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="sitrep-map" src="data:image/png;base64,' in html
    assert 'href="?date=' in html and "format=pdf" in html
    download = client.get(f"/reports/sitrep/?date={world.day.isoformat()}&format=md")
    assert download["Content-Disposition"].startswith('attachment; filename="sitrep-')
    assert b"People due for a visit | 6 |" in download.content
    assert client.get("/reports/sitrep/?format=doc").status_code == 400
