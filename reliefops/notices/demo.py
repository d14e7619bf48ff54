"""Demo scenario of the notices: none of their own. The demo's requests, convoys and plan
notify their users through the same services as in use (the demo accounts have no e-mail
address while the scenario loads, so nothing is sent; the reports demo, last, then gives
the coordinator one, for the weekly situation report)."""

from __future__ import annotations

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    stdout.write("  notices: written by the steps of the apps that follow\n")
