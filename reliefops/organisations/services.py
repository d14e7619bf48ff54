"""Writes of the organisations domain."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import require
from reliefops.organisations.choices import OrganisationKind
from reliefops.organisations.models import Organisation


def _user_or_none(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def organisation_create(
    *, actor: Any, acronym: str, kind: str, names: dict[str, str]
) -> Organisation:
    require(actor, "organisation.edit")
    if kind not in OrganisationKind.values:
        raise InvalidInput(field="kind", value=kind)
    acronym = acronym.strip()
    if not acronym:
        raise InvalidInput(field="acronym", value=acronym)
    with transaction.atomic():
        if Organisation.objects.filter(acronym__iexact=acronym).exists():
            raise Conflict(code="duplicate", field="acronym", value=acronym)
        organisation = Organisation.objects.create(
            acronym=acronym, kind=kind, names=names, created_by=_user_or_none(actor)
        )
        audit_record(
            actor=actor,
            action="organisation.create",
            obj=organisation,
            after={"acronym": acronym, "kind": kind, "names": names},
        )
    return organisation
