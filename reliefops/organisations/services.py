"""Writes of the organisations domain."""

from __future__ import annotations

from django.db import transaction

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import Conflict, InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.organisations.choices import OrganisationKind
from reliefops.organisations.models import Organisation


def organisation_create(
    *, actor: Actor, acronym: str, kind: str, names: dict[str, str]
) -> Organisation:
    require_write(actor, Action.ORGANISATION_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    if kind not in OrganisationKind.values:
        raise InvalidInput(field="kind", value=kind)
    acronym = acronym.strip()
    if not acronym:
        raise InvalidInput(field="acronym", value=acronym)
    with transaction.atomic():
        if Organisation.objects.filter(acronym__iexact=acronym).exists():
            raise Conflict(code="duplicate", field="acronym", value=acronym)
        organisation = Organisation.objects.create(
            acronym=acronym, kind=kind, names=names, created_by=actor_user(actor)
        )
        audit_record(
            actor=actor,
            action="organisation.create",
            obj=organisation,
            after={"acronym": acronym, "kind": kind, "names": names},
        )
    return organisation
