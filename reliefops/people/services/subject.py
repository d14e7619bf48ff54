"""What other apps hold about a person, for a subject access request and for erasure.

The people app sits below the apps whose records refer to a person (visits, referrals);
those apps register a :class:`SubjectData` here (from their ``AppConfig.ready``), and
the data-protection officer's subject access export and erasure walk the registry, so
a new kind of record about people is never forgotten.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from reliefops.people.models import Person


@dataclass(frozen=True)
class SubjectData:
    """One kind of record about a person held by another app.

    ``rows(person)`` returns the records as plain dicts (pseudonymous: the person is their
    reference); ``erase(person)``, when given, removes or anonymises what must not
    survive an erasure (history rows with free details) and returns how many rows it
    changed.
    """

    label: Any
    rows: Callable[[Person], list[dict[str, Any]]]
    erase: Callable[[Person], int] | None = None


_SUBJECT_DATA: dict[str, SubjectData] = {}


def subject_data_register(name: str, data: SubjectData) -> None:
    _SUBJECT_DATA[name] = data


def subject_data_sources() -> dict[str, SubjectData]:
    return dict(_SUBJECT_DATA)
