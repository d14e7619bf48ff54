"""Test data of the coordination domain (4W activities, written directly: the services
are tested on their own)."""

from __future__ import annotations

import itertools
from typing import Any

from reliefops.coordination.models import Activity

_numbers = itertools.count(1)


def make_activity(**values: Any) -> Activity:
    """An activity with the next test 4W ID (``T-nnnnn``) unless ``reference`` is given."""
    values.setdefault("reference", f"T-{next(_numbers):05d}")
    values.setdefault("sector", "health")
    return Activity.objects.create(**values)
