"""Write paths of the organisations domain for the write-scope property test."""

from __future__ import annotations

from reliefops.organisations import services
from tests.core.writescope import Attempt, service


@service("reliefops.organisations.services.organisation_create")
def _organisation(t: Attempt) -> None:
    services.organisation_create(actor=t.actor, acronym="NEWORG", kind="local_ngo", names={})
