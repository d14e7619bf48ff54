"""Audit the installed Python dependencies for known vulnerabilities (pip-audit against
the PyPI vulnerability data), and say plainly when that data cannot be reached.

    python tools/dependency_audit.py [--strict]

Exit 1 when a dependency has a known vulnerability. When the vulnerability database is
not reachable from this machine (no internet, or a package mirror without PyPI's JSON
API), the audit says so, names how many packages it could not check, and exits 0 — or 1
with ``--strict`` (for a CI that must audit).
"""

from __future__ import annotations

import argparse
import json
import subprocess  # nosec B404
import sys
import urllib.error
import urllib.request
from importlib.metadata import version
from pathlib import Path

#: pip-audit's reasons for a package it could not check (the service was not reachable
#: or did not know the package: a mirror answers every lookup "not found").
UNREACHABLE = ("not found on PyPI", "Connection", "connection", "timed out", "resolve")


#: One lookup pip-audit makes for every package (its own release, which PyPI has).
PROBE = "https://pypi.org/pypi/pip-audit/{version}/json"


def reachable() -> str | None:
    """None when PyPI's vulnerability data answers, else why not (one request, 10 s), so
    that a machine without it does not wait for a timeout per package."""
    url = PROBE.format(version=version("pip-audit"))
    try:
        with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310  # nosec B310
            return None if answer.status == 200 else f"HTTP {answer.status} from {url}"
    except urllib.error.HTTPError as exc:
        return f"HTTP {exc.code} from {url}"
    except (urllib.error.URLError, OSError) as exc:
        return f"{url}: {getattr(exc, 'reason', exc)}"


def audit() -> dict[str, object]:
    why = reachable()
    if why:
        return {"dependencies": [], "stderr": why, "returncode": 2}
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--skip-editable", "--progress-spinner", "off", "-f", "json"]
    # a fixed command without a shell (bandit B603 reviewed)
    done = subprocess.run(  # nosec B603
        command, capture_output=True, text=True, timeout=600, check=False
    )
    try:
        return dict(json.loads(done.stdout or "{}"), stderr=done.stderr, returncode=done.returncode)
    except json.JSONDecodeError:
        return {"dependencies": [], "stderr": done.stderr or done.stdout, "returncode": 2}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--strict", action="store_true", help="fail when it cannot audit")
    args = parser.parse_args(argv)
    result = audit()
    deps = list(result.get("dependencies") or [])  # type: ignore[call-overload]
    vulnerable = [d for d in deps if d.get("vulns")]
    skipped = [d for d in deps if d.get("skip_reason")]
    unreachable = [d for d in skipped if any(w in d["skip_reason"] for w in UNREACHABLE)]
    audited = len(deps) - len(skipped)
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version"
            print(f"VULNERABLE {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
    if vulnerable:
        print(f"dependency audit: {len(vulnerable)} of {len(deps)} packages have known "
              "vulnerabilities")  # fmt: skip
        return 1
    if audited == 0:
        why = (result.get("stderr") or "").strip().splitlines()[-1:]  # type: ignore[union-attr]
        counted = (
            f"{len(unreachable)} of {len(deps)} packages could not be checked"
            if deps
            else "no package could be checked"
        )
        print(
            "dependency audit NOT RUN: the vulnerability database (PyPI's JSON API) is not "
            f"reachable from this machine; {counted}" + (f" ({why[0]})" if why and not deps else "")
        )
        return 1 if args.strict else 0
    print(f"dependency audit: {audited} packages checked, no known vulnerabilities"
          + (f"; {len(skipped)} could not be checked" if skipped else ""))  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
