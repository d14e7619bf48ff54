"""Copy the pinned front-end libraries from node_modules into reliefops/static/vendor.

The versions are pinned in package.json / package-lock.json (installed with ``npm ci``);
nothing is hand-copied into the repository. Run by ``make assets``.

A copied script or style sheet that names a source map (``sourceMappingURL=…``) gets that map
copied beside it from the same package: the production static storage (whitenoise's manifest
storage) rewrites the reference to the hashed name, and ``collectstatic`` stops when the map
is missing.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NODE = ROOT / "node_modules"
VENDOR = ROOT / "reliefops" / "static" / "vendor"

FILES = {
    "leaflet/dist/leaflet.js": "leaflet/leaflet.js",
    "leaflet/dist/leaflet.css": "leaflet/leaflet.css",
    "leaflet/dist/images": "leaflet/images",
    "leaflet/LICENSE": "leaflet/LICENSE",
    "htmx.org/dist/htmx.min.js": "htmx/htmx.min.js",
    "htmx.org/LICENSE": "htmx/LICENSE",
    "chart.js/dist/chart.umd.js": "chartjs/chart.umd.js",
    "chart.js/LICENSE.md": "chartjs/LICENSE.md",
    "topojson-client/dist/topojson-client.min.js": "topojson/topojson-client.min.js",
    "topojson-client/LICENSE": "topojson/LICENSE",
    "world-atlas/countries-50m.json": "world-atlas/countries-50m.json",
    "world-atlas/LICENSE": "world-atlas/LICENSE",
    "leaflet.markercluster/dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
    "leaflet.markercluster/dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
    "leaflet.markercluster/dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
    "leaflet.markercluster/MIT-LICENCE.txt": "markercluster/MIT-LICENCE.txt",
    # The waybill PDF's fonts (reliefops.logistics.waybill): TrueType, Latin, Cyrillic and
    # Armenian in one face, which ReportLab embeds.
    "dejavu-fonts-ttf/ttf/DejaVuSans.ttf": "fonts/DejaVuSans.ttf",
    "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf": "fonts/DejaVuSans-Bold.ttf",
    "dejavu-fonts-ttf/ttf/DejaVuSansCondensed.ttf": "fonts/DejaVuSansCondensed.ttf",
    "dejavu-fonts-ttf/ttf/DejaVuSansCondensed-Bold.ttf": "fonts/DejaVuSansCondensed-Bold.ttf",
    "dejavu-fonts-ttf/LICENSE": "fonts/LICENSE-DejaVu",
}

SOURCE_MAP = re.compile(rb"[#@]\s*sourceMappingURL=([^\s*'\"]+)")


def source_maps(source: Path) -> list[str]:
    """The local source maps a script or style sheet refers to (``data:`` URLs excluded)."""
    if source.suffix not in {".js", ".css"}:
        return []
    names = [m.decode() for m in SOURCE_MAP.findall(source.read_bytes())]
    return [name for name in names if "://" not in name and not name.startswith("data:")]


def main() -> int:
    missing = [src for src in FILES if not (NODE / src).exists()]
    if missing:
        print("missing in node_modules (run `npm ci`): " + ", ".join(missing), file=sys.stderr)
        return 1
    copied_maps = 0
    for src, dst in FILES.items():
        source, target = NODE / src, VENDOR / dst
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target, dirs_exist_ok=True)
            continue
        shutil.copy2(source, target)
        for name in source_maps(source):
            map_source = source.parent / name
            if not map_source.is_file():
                print(f"{src} names a source map that is missing: {name}", file=sys.stderr)
                return 1
            shutil.copy2(map_source, target.parent / name)
            copied_maps += 1
    print(
        f"copied {len(FILES)} front-end assets and {copied_maps} source maps"
        f" to {VENDOR.relative_to(ROOT)}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
