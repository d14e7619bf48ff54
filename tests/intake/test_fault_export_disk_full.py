"""Fault (issue 16): the disk fills up while ``reliefops export … --output`` writes.

The export goes to a real full file system: a 64 KiB tmpfs mounted for the test (when the
test may mount: root on Linux), else the same command under a file-size limit
(``RLIMIT_FSIZE``, the kernel refuses the write with EFBIG just as a full disk refuses it
with ENOSPC; ``RELIEFOPS_FAULT_DISK=rlimit`` chooses it). Either way the command exits non-zero saying the disk is full, the export
that was there before is left as it was, and no partial file is left behind.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from reliefops.core import exchange as ex
from tests.accounts.factories import UserFactory
from tests.celery_workers import worker_database_url

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 64 * 1024
ITEMS = 3000  # an items export of this many rows is well over LIMIT
EXPORT = [sys.executable, "-m", "reliefops", "export", "items", "--user", "exporter"]
OLD = b"code,category,unit,name_en\nOLD,food,kg,The export of yesterday\n"


def _mounted(directory: Path) -> bool:
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={LIMIT}", "tmpfs", str(directory)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def full_disk(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """A directory on a file system that fills up after ``LIMIT`` bytes, and how."""
    directory = tmp_path / "full"
    directory.mkdir()
    if os.environ.get("RELIEFOPS_FAULT_DISK") != "rlimit" and _mounted(directory):
        try:
            yield directory, "tmpfs"
        finally:
            subprocess.run(["umount", str(directory)], check=False)
    else:
        yield directory, "rlimit"


def _limited() -> None:  # in the child, before exec: writes past LIMIT fail with EFBIG
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (LIMIT, LIMIT))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_export_to_a_full_disk_fails_clearly_and_leaves_no_partial_file(
    full_disk: tuple[Path, str], tmp_path: Path
) -> None:
    directory, how = full_disk
    UserFactory(username="exporter", is_superuser=True)
    source = tmp_path / "items.csv"
    rows = [f"DF{i:05d},food,kg,Item number {i} for the export" for i in range(ITEMS)]
    source.write_text("code,category,unit,name_en\n" + "\n".join(rows) + "\n", encoding="utf-8")
    admin = UserFactory(username="loader", is_superuser=True)
    assert ex.import_file(kind="items", path=source, actor=admin).written == ITEMS
    target = directory / "items.csv"
    target.write_bytes(OLD)  # the export of yesterday

    env = {**os.environ, "DATABASE_URL": worker_database_url(), "CELERY_BROKER_URL": ""}
    env.pop("RELIEFOPS_TEST_RUN", None)
    done = subprocess.run(
        [*EXPORT, "--output", str(target)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        preexec_fn=_limited if how == "rlimit" else None,
    )
    print(f"[reliefops] disk full ({how}): exit {done.returncode}: {done.stderr.strip()}")
    assert done.returncode != 0
    assert "the disk is full" in done.stderr
    assert "Traceback" not in done.stderr
    assert target.read_bytes() == OLD  # the previous export is intact
    assert sorted(p.name for p in directory.iterdir()) == ["items.csv"]  # no partial file

    # With room again, the same command writes the whole export.
    roomy = tmp_path / "items-again.csv"
    again = subprocess.run(
        [*EXPORT, "--output", str(roomy)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert again.returncode == 0, again.stderr
    assert len(roomy.read_text(encoding="utf-8").splitlines()) == ITEMS + 1
    assert roomy.stat().st_size > LIMIT
