"""Estimator parameters, climate stations and season drafts of heating-fuel requests."""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.audit import audit_record
from reliefops.core.errors import InvalidInput
from reliefops.core.permissions import UNSCOPED, Actor, actor_user, require_write
from reliefops.needs.choices import (
    Priority,
    RequesterKind,
    RequestSource,
)
from reliefops.needs.estimators import ESTIMATORS, METHOD_LABELS, ParameterError
from reliefops.needs.models import (
    ClimateStation,
    EstimatorSetting,
    Request,
)
from reliefops.needs.services.requests import (
    LineInput,
    PossibleDuplicate,
    RequestInput,
    S,
    request_submit,
)
from reliefops.stock.choices import unit_label

# --------------------------------------------------------------------------- estimators


def estimator_parameters_set(
    *, actor: Actor, key: str, parameters: Mapping[str, Any]
) -> EstimatorSetting:
    """Save a coordinator's parameters of estimator ``key``.

    ``parameters`` (nested, as the estimator's defaults, or dotted names such as
    ``occupancy.school``) are the values over the defaults: a parameter not given is its
    default. The estimator's own :meth:`~reliefops.needs.estimators.Estimator.validate`
    checks them; an unknown or out-of-range parameter is an ``InvalidInput`` whose
    details name each one. Only the values that differ from the defaults are stored;
    saving what is already stored writes nothing (no audit entry either).
    """
    require_write(actor, Action.ESTIMATOR_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    estimator = ESTIMATORS.get(key)
    if estimator is None:
        raise InvalidInput(field="key")
    try:
        clean = estimator.validate(parameters)
    except ParameterError as exc:
        error = InvalidInput(
            _("These parameters are not valid: %(names)s")
            % {"names": ", ".join(sorted(exc.errors))},
            code="invalid_parameters",
        )
        error.details = exc.errors
        raise error from exc
    overrides = estimator.overrides(clean)
    with transaction.atomic():
        setting = EstimatorSetting.objects.select_for_update().filter(key=key).first()
        before = setting.parameters if setting is not None else {}
        if before == overrides:  # nothing to store (the defaults stay implicit)
            return setting or EstimatorSetting(key=key, parameters=before)
        if setting is None:
            setting = EstimatorSetting(key=key)
        setting.parameters = overrides
        setting.updated_by = actor_user(actor)
        setting.save()
        audit_record(
            actor=actor, action="estimator.edit", obj=setting, before=before, after=overrides
        )
    return setting


#: Plausible monthly mean temperatures (°C) of a climate table.
MONTHLY_MEAN_RANGE = (-60.0, 45.0)


def climate_months_check(monthly_mean_c: Sequence[Any]) -> list[float]:
    """12 monthly means (°C, January first) as numbers in range; ``InvalidInput`` naming
    each bad month (``details``: ``{"monthly_mean_c": {"1": [...], ...}}``, 1 = January)."""
    if isinstance(monthly_mean_c, (str, bytes)) or len(monthly_mean_c) != 12:
        raise InvalidInput(_("Give 12 monthly mean temperatures."), field="monthly_mean_c")
    low, high = MONTHLY_MEAN_RANGE
    values: list[float] = []
    errors: dict[str, list[str]] = {}
    for month, raw in enumerate(monthly_mean_c, start=1):
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value) or not low <= value <= high:
            errors[str(month)] = [
                gettext("A temperature from %(low)s to %(high)s °C is needed.")
                % {"low": f"{low:g}", "high": f"{high:g}"}
            ]
        values.append(value)
    if errors:
        error = InvalidInput(
            _("Months with a value that is not valid: %(months)s") % {"months": ", ".join(errors)},
            code="invalid_months",
        )
        error.details = {"monthly_mean_c": errors}
        raise error
    return values


def climate_station_save(
    *,
    actor: Actor,
    code: str,
    name: str,
    latitude: float,
    longitude: float,
    monthly_mean_c: Sequence[float],
    source: str = "",
    elevation_m: float | None = None,
) -> ClimateStation:
    require_write(actor, Action.ESTIMATOR_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    values = climate_months_check(monthly_mean_c)
    with transaction.atomic():
        station, _created = ClimateStation.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "latitude": latitude,
                "longitude": longitude,
                "elevation_m": elevation_m,
                "monthly_mean_c": values,
                "source": source,
                "updated_by": actor_user(actor),
            },
        )
        audit_record(
            actor=actor,
            action="estimator.climate",
            obj=station,
            after={"monthly_mean_c": station.monthly_mean_c},
        )
    return station


def climate_station_months_set(
    *,
    actor: Actor,
    station: ClimateStation,
    monthly_mean_c: Sequence[Any],
    source: str | None = None,
) -> ClimateStation:
    """Replace the 12 monthly means (°C) of ``station`` (one row of the climate table);
    ``source`` replaces the table's source when given. Unchanged values write nothing."""
    require_write(actor, Action.ESTIMATOR_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    values = climate_months_check(monthly_mean_c)
    with transaction.atomic():
        station = ClimateStation.objects.select_for_update().get(pk=station.pk)
        before = {"monthly_mean_c": station.monthly_mean_c, "source": station.source}
        new_source = station.source if source is None else source.strip()[:300]
        if [float(v) for v in station.monthly_mean_c] == values and new_source == station.source:
            return station
        station.monthly_mean_c = values
        station.source = new_source
        station.updated_by = actor_user(actor)
        station.save(update_fields=["monthly_mean_c", "source", "updated_by", "updated_at"])
        audit_record(
            actor=actor,
            action="estimator.climate",
            obj=station,
            before=before,
            after={"monthly_mean_c": values, "source": new_source},
        )
    return station


def heating_requests_generate(
    *,
    actor: Actor,
    facilities: Sequence[Any],
    season_start: tuple[int, int],
    organisation: Any,
    item_by_fuel: Mapping[str, Any],
    on_error: list[tuple[Any, str]] | None = None,
) -> list[Request]:
    """Draft fuel requests for a heating season, one per facility (season total less the
    stock held at the facility), marked source = estimator, status = draft.

    The requesting organisation is ``organisation``, else the facility's operator.
    Facilities the estimator cannot handle (no area nor boiler rating, unknown fuel) are
    skipped and listed in ``on_error`` when given. Needs ``estimator.edit``; each draft is
    a :func:`request_submit`, checked in its facility's area and for its organisation.
    """
    from reliefops.needs.estimators import EstimatorError
    from reliefops.needs.selectors import heating_fuel_for_facility

    require_write(actor, Action.ESTIMATOR_EDIT, area=UNSCOPED, organisation=UNSCOPED)
    created = []
    with transaction.atomic():
        for facility in facilities:
            try:
                assessment = heating_fuel_for_facility(
                    facility=facility, season_start=season_start, actor=actor
                )
            except EstimatorError as exc:
                if on_error is not None:
                    on_error.append((facility, str(exc)))
                continue
            if (organisation or facility.operator) is None:
                if on_error is not None:
                    on_error.append((facility, "no operator to request for"))
                continue
            estimate = assessment.estimate
            item = item_by_fuel.get(estimate.fuel)
            if item is None or not estimate.months:
                continue
            quantity = Decimal(str(round(max(estimate.total - assessment.stock, 0))))
            if quantity <= 0:
                continue
            first, last = estimate.months[0], estimate.months[-1]
            breakdown = ", ".join(
                f"{m.year}-{m.month:02d}: {m.fuel_quantity:.0f}" for m in estimate.months
            )
            data = RequestInput(
                requester_kind=RequesterKind.FACILITY,
                organisation=organisation or facility.operator,
                facility=facility,
                lines=[LineInput(quantity=quantity, item=item)],
                needed_from=dt.date(first.year, first.month, 1),
                needed_by=dt.date(last.year, last.month, last.days),
                priority=Priority.URGENT
                if facility.kind
                in {"ambulance_station", "fire_station", "hospital", "field_hospital"}
                else Priority.ROUTINE,
                justification=gettext(
                    "Heating fuel estimate (method: %(method)s, efficiency %(efficiency)s): "
                    "%(total)s %(unit)s for the season (%(months)s); stock at facility "
                    "%(stock)s %(unit)s; climate: %(station)s."
                )
                % {
                    "method": METHOD_LABELS.get(estimate.method, estimate.method),
                    "efficiency": f"{estimate.efficiency:.2f}",
                    "total": f"{estimate.total:.0f}",
                    "unit": unit_label(estimate.unit),
                    "months": breakdown,
                    "stock": f"{assessment.stock:.0f}",
                    "station": assessment.station_name,
                },
                source=RequestSource.ESTIMATOR,
                status=S.DRAFT,
            )
            try:
                created.append(request_submit(actor=actor, data=data, confirm_fuel=True))
            except PossibleDuplicate:
                continue  # an open fuel request for this facility and season exists
    return created
