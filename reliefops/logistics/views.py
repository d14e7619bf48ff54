"""Pages of the logistics domain: the convoy list, planning a convoy from approved
requests, the convoy page with its workflow steps, and the road page a driver or convoy
leader uses on a phone (departure, passages, deliveries)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from reliefops.core.actions import Action
from reliefops.core.errors import NotFound
from reliefops.core.htmx import render
from reliefops.core.lists import list_page
from reliefops.core.offline import offline_context
from reliefops.core.pages import form_page
from reliefops.core.permissions import require, user_can
from reliefops.logistics import services
from reliefops.logistics.choices import ConvoyStatus, PassageOutcome
from reliefops.logistics.filtersets import ConvoyFilterSet
from reliefops.logistics.forms import ConvoyPlanForm, DeliveryForm, PassageForm, StepForm
from reliefops.logistics.selectors import (
    convoy_aborted_at,
    convoy_deliveries,
    convoy_full_view,
    convoy_get,
    convoy_lines_visible,
    convoy_list_choices,
    convoy_list_rows,
    convoy_passages,
    convoy_plan_choices,
    convoy_reconcile,
    convoy_route,
    convoy_timeline,
    crossing_point_choices,
)

#: Steps taken with a form of their own on the road page (the table's ``needs``).
ROAD_STEPS = ("passage", "deliver")
#: The road page's big buttons: steps with nothing to fill in.
ROAD_BUTTONS = ("load", "depart", "arrive")
STYLE_ORDER = {"primary": 0, "secondary": 1, "danger": 2}


@login_required
def convoy_list_view(request: HttpRequest) -> HttpResponse:
    """The convoys the user may see: filtered, searched, sorted and paged (core.lists)."""
    lst = list_page(
        request,
        ConvoyFilterSet,
        convoy_list_rows(actor=request.user),
        target="#convoy-list",
        export_kind="convoys",
        form_id="convoy-filters",
    )
    return render(
        request,
        "logistics/convoy_list.html",
        {
            "lst": lst,
            "values": lst.values,
            "statuses": ConvoyStatus.choices,
            "choices": convoy_list_choices(actor=request.user),
            "can_plan": user_can(request.user, Action.CONVOY_PLAN),
        },
        partial="logistics/partials/convoy_rows.html",
    )


@login_required
def convoy_create_view(request: HttpRequest) -> HttpResponse:
    """Plan a convoy from approved requests: the service picks stops, lines and vehicles;
    a refused plan shows each message next to the field it is about."""
    require(request.user, Action.CONVOY_PLAN)
    choices = convoy_plan_choices(actor=request.user)
    form = ConvoyPlanForm(request.POST or None, choices=choices)
    page = form_page(request, "logistics/convoy_form.html", {"form": form}, form=form)
    if request.method == "POST":
        if not form.is_valid():
            return page.render(request, status=400)
        data = form.cleaned_data
        convoy = services.convoy_from_requests(
            actor=request.user,
            requests=list(data["requests"]),
            origin=data["origin"],
            organisation=data["organisation"],
            departure_date=data["departure_date"],
            carriers=[services.CarrierInput(v) for v in data["vehicles"]],
            escort=data["escort"],
            leader=data["leader"],
            notes=data["notes"],
        )
        messages.success(request, _("Convoy %(code)s planned.") % {"code": convoy.code})
        return redirect("logistics:convoy_detail", code=convoy.code)
    return page.render(request)


# --------------------------------------------------------------------------- the convoy


def _carriers(convoy: Any, lines: list[Any], full: bool) -> list[dict[str, Any]]:
    """Each vehicle with the lines of it the user may see (a vehicle carrying none of the
    user's lines is left out of a requester's view)."""
    by_carrier: dict[Any, list[Any]] = {c.pk: [] for c in convoy.vehicles.all()}
    for line in lines:
        by_carrier.setdefault(line.carrier_id, []).append(line)
    carriers = {c.pk: c for c in convoy.vehicles.all()}
    return [
        {"carrier": carriers[pk], "lines": rows}
        for pk, rows in by_carrier.items()
        if pk in carriers and (full or rows)
    ]


def _geometry(convoy: Any, route: Any) -> dict[str, Any]:
    """The route as GeoJSON for the map: its line, the origin, the stops, the crossing
    points (each point with its kind and label)."""
    features: list[dict[str, Any]] = []
    line = route.line()
    if len(line) > 1:
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "LineString", "coordinates": line},
                "properties": {"kind": "route"},
            }
        )

    def point(obj: Any, kind: str, label: str) -> None:
        if obj is None or obj.latitude is None or obj.longitude is None:
            return
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [obj.longitude, obj.latitude]},
                "properties": {"kind": kind, "label": label},
            }
        )

    origin = convoy.origin.facility
    point(origin, "origin", f"{_('Origin')}: {origin.name}")
    for stop in convoy.stops.all():
        target = stop.facility or stop.place
        point(target, "stop", f"{stop.sequence}. {target.name}")
    for crossing in route.crossing_points:
        state = "open" if crossing.is_open else "closed"
        point(crossing.facility, f"crossing-{state}", crossing.facility.name)
    return {"type": "FeatureCollection", "features": features}


def _steps(request: HttpRequest, convoy: Any, bound: StepForm | None = None) -> list[Any]:
    allowed = services.convoy_steps_allowed(actor=request.user, convoy=convoy)
    allowed.sort(key=lambda name: STYLE_ORDER.get(services.TRANSITIONS[name].style, 1))
    steps = []
    for name in allowed:
        transition = services.TRANSITIONS[name]
        form = bound if bound is not None and bound.step == name else None
        if name not in ROAD_STEPS:
            form = form or StepForm(step=name, transition=transition)
        steps.append(
            {"name": name, "transition": transition, "form": form, "road": name in ROAD_STEPS}
        )
    return steps


def _detail_context(
    request: HttpRequest, convoy: Any, bound: StepForm | None = None
) -> dict[str, Any]:
    """The convoy's page: facts, timeline, route, manifest, passages, deliveries, the
    reconcile check and the steps open to the user."""
    full = convoy_full_view(request.user, convoy)
    route = convoy_route(convoy)
    lines = list(convoy_lines_visible(actor=request.user, convoy=convoy))
    stops_seen = {line.stop_id for line in lines}
    deliveries = [d for d in convoy_deliveries(convoy) if full or d.stop_id in stops_seen]
    seen = {line.pk for line in lines}
    # What a passage held of other organisations' cargo stays unseen by a requester.
    passages = [
        {"passage": p, "holds": [h for h in p.holds.all() if full or h.line_id in seen]}
        for p in convoy_passages(convoy)
    ]
    return {
        "convoy": convoy,
        "full": full,
        "route": route,
        "geometry": _geometry(convoy, route),
        "carriers": _carriers(convoy, lines, full),
        "timeline": convoy_timeline(convoy),
        "aborted_at": convoy_aborted_at(convoy),
        "passages": passages,
        "deliveries": deliveries,
        "reconcile": convoy_reconcile(convoy, lines=lines) if full else [],
        "steps": _steps(request, convoy, bound),
        "tile_url": settings.MAP_TILE_URL,
        "tile_attribution": settings.MAP_TILE_ATTRIBUTION,
    }


@login_required
def convoy_detail_view(request: HttpRequest, code: str) -> HttpResponse:
    convoy = convoy_get(actor=request.user, code=code)
    return render(request, "logistics/convoy_detail.html", _detail_context(request, convoy))


# --------------------------------------------------------------------------- the road page


def _road_context(request: HttpRequest, convoy: Any, bound: Any = None) -> dict[str, Any]:
    """The phone page: the big step buttons, the passage form, a delivery form per stop
    still to confirm. ``bound`` is the form a refused POST re-shows."""
    allowed = set(services.convoy_steps_allowed(actor=request.user, convoy=convoy))
    route = convoy_route(convoy)
    lines = list(convoy_lines_visible(actor=request.user, convoy=convoy))
    carriers = list(convoy.vehicles.all())
    passage = None
    if "passage" in allowed:
        passage = (
            bound
            if isinstance(bound, PassageForm)
            else PassageForm(
                crossing_points=crossing_point_choices(actor=request.user),
                on_route=[c.facility for c in route.crossing_points],
                carriers=carriers,
                lines=lines,
            )
        )
    deliveries = []
    if "deliver" in allowed:
        for stop in convoy.stops.all():
            if hasattr(stop, "delivery"):
                continue
            stop_lines = [line for line in lines if line.stop_id == stop.pk and line.on_board > 0]
            if not stop_lines:
                continue
            if isinstance(bound, DeliveryForm) and bound.stop.pk == stop.pk:
                delivery_form = bound
            else:
                delivery_form = DeliveryForm(stop=stop, lines=stop_lines)
            deliveries.append({"stop": stop, "form": delivery_form})
    buttons = []
    for name in ROAD_BUTTONS:
        if name not in allowed:
            continue
        transition = services.TRANSITIONS[name]
        form = bound if isinstance(bound, StepForm) and bound.step == name else None
        buttons.append(
            {
                "name": name,
                "transition": transition,
                "form": form or StepForm(step=name, transition=transition),
            }
        )
    return {
        "convoy": convoy,
        "route": route,
        "buttons": buttons,
        "passage_form": passage,
        "deliveries": deliveries,
        "bound": bound,
        "partial_outcome": PassageOutcome.PARTIAL,
        "can_complete": "complete" in allowed,
        "offline": _offline(request),
        "road_offline": _road_offline(convoy, passage, carriers, lines),
    }


def _offline(request: HttpRequest) -> dict[str, Any]:
    """The page's offline queue (docs/offline.md): passages and deliveries wait on the
    phone until they are sent."""
    return offline_context(
        request,
        labels={"passages": _("Passage"), "deliveries": _("Delivery")},
        strings={
            "stop": _("Stop %(n)s"),
            "passage_sent": _("Passage recorded."),
            "delivery_sent": _("Delivery at stop %(n)s confirmed."),
            "kept": _("Recorded on this phone. Waiting to send."),
            "kept_sent": _("Sent, waiting on the server."),
            "kept_refused": _("Not recorded: %(error)s"),
            "required": _("This field is required."),
            "photo_offline": _(
                "Without a network the photo cannot be kept: the delivery is recorded "
                "without it (add it on the convoy page later). Record it now?"
            ),
            "one_reason": _("Give the same reason for every line of an item to record it offline."),
        },
    )


def _road_offline(
    convoy: Any, passage: PassageForm | None, carriers: list[Any], lines: list[Any]
) -> dict[str, Any]:
    """What the road page's offline script needs to build a submission from its forms
    (the forms name records by id, submissions by code): the crossing points' and the
    vehicles' codes, and each line's item, vehicle, stop and quantity on board, in
    loading order (as ``exchange.common.lines_on_board``: how the server spreads a
    submission's quantities of an item over its lines)."""
    points: Any = getattr(passage.fields["crossing_point"], "queryset", []) if passage else []
    ordered = sorted(
        lines, key=lambda line: (line.carrier.tracking_number, line.created_at, str(line.pk))
    )
    return {
        "convoy": convoy.code,
        "crossing_points": {str(f.pk): f.code for f in points},
        "carriers": {str(c.pk): c.tracking_number for c in carriers},
        "lines": [
            {
                "id": str(line.pk),
                "item": line.item.code,
                "carrier": str(line.carrier_id),
                "stop": line.stop.sequence,
                "on_board": f"{line.on_board.normalize():f}",
            }
            for line in ordered
        ],
    }


@login_required
def convoy_road_view(request: HttpRequest, code: str) -> HttpResponse:
    convoy = convoy_get(actor=request.user, code=code)
    return render(request, "logistics/convoy_road.html", _road_context(request, convoy))


# --------------------------------------------------------------------------- steps


def _road_step(request: HttpRequest, convoy: Any, step: str) -> HttpResponse:
    """A passage or a delivery from the road page: the form parsed, the service called;
    a refused one re-shows the road page with the messages next to the fields."""
    route = convoy_route(convoy)
    lines = list(convoy_lines_visible(actor=request.user, convoy=convoy))
    form: Any
    if step == "passage":
        form = PassageForm(
            request.POST,
            crossing_points=crossing_point_choices(actor=request.user),
            on_route=[c.facility for c in route.crossing_points],
            carriers=list(convoy.vehicles.all()),
            lines=lines,
        )
    else:
        number = str(request.POST.get("stop", ""))
        stop = convoy.stops.filter(sequence=int(number)).first() if number.isdigit() else None
        if stop is None:
            raise NotFound(_("No such stop."), stop=number)
        form = DeliveryForm(
            request.POST,
            request.FILES,
            stop=stop,
            lines=[line for line in lines if line.stop_id == stop.pk],
        )
    shown = step in services.convoy_steps_allowed(actor=request.user, convoy=convoy)
    if step == "deliver":  # the page shows a stop's form while it waits for its delivery
        shown = shown and bool(form.lines) and not hasattr(form.stop, "delivery")
    page = form_page(
        request,
        "logistics/convoy_road.html",
        lambda: _road_context(request, convoy, bound=form),
        form=form if shown else None,
    )
    if not form.is_valid():
        if not shown:
            services.CONVOY_WORKFLOW.check(actor=request.user, record=convoy, step=step)
        return page.render(request, status=400)
    data = (
        services.StepData(passage=form.passage_input())
        if step == "passage"
        else services.StepData(delivery=form.delivery_input())
    )
    services.convoy_transition(actor=request.user, convoy=convoy, step=step, data=data)
    if step == "passage":
        messages.success(request, _("Passage recorded."))
    else:
        messages.success(
            request, _("Delivery at stop %(n)s confirmed.") % {"n": form.stop.sequence}
        )
    return redirect("logistics:convoy_road", code=convoy.code)


@login_required
@require_POST
def convoy_step_view(request: HttpRequest, code: str, step: str) -> HttpResponse:
    """One workflow step as its row of the table asks (a reason, a confirmation; a passage
    or a delivery with its form from the road page). A refused step re-shows the page it
    came from (``from=road``: the road page) with the error next to the step's form, or
    atop the page when the page does not offer the step; never a 500."""
    convoy = convoy_get(actor=request.user, code=code)
    if step not in services.TRANSITIONS:
        raise NotFound(step=step)
    if step in ROAD_STEPS:
        return _road_step(request, convoy, step)
    from_road = request.POST.get("from") == "road"
    form = StepForm(request.POST, step=step, transition=services.TRANSITIONS[step])
    if from_road:
        context = _road_context(request, convoy, bound=form)
        template = "logistics/convoy_road.html"
        shown = step in [b["name"] for b in context["buttons"]]
    else:
        context = _detail_context(request, convoy, bound=form)
        template = "logistics/convoy_detail.html"
        shown = step in [s["name"] for s in context["steps"]]
    page = form_page(request, template, context, form=form if shown else None)
    if not form.is_valid():
        if not shown:
            # Not open to this user now: the one check says why (403, 404 or 409).
            services.CONVOY_WORKFLOW.check(
                actor=request.user, record=convoy, step=step, reason=form.data.get("reason", "")
            )
        return page.render(request, status=400)
    services.convoy_transition(
        actor=request.user,
        convoy=convoy,
        step=step,
        data=services.StepData(reason=form.cleaned_data.get("reason", "")),
    )
    messages.success(request, _("Done: %(step)s.") % {"step": services.STEP_LABELS.get(step, step)})
    if from_road:
        return redirect("logistics:convoy_road", code=code)
    return redirect("logistics:convoy_detail", code=code)


@login_required
def delivery_photo_view(request: HttpRequest, code: str, sequence: int) -> FileResponse:
    """The photo of a stop's signed delivery note: for those who see the whole convoy."""
    convoy = convoy_get(actor=request.user, code=code)
    if not convoy_full_view(request.user, convoy):
        raise NotFound(_("No such photo."))
    delivery = next(
        (d for d in convoy_deliveries(convoy) if d.stop.sequence == sequence and d.photo), None
    )
    if delivery is None:
        raise NotFound(_("No such photo."))
    response = FileResponse(
        delivery.photo.open("rb"), content_type=delivery.photo_type or "application/octet-stream"
    )
    response["Content-Disposition"] = "inline"
    response["X-Content-Type-Options"] = "nosniff"
    return response
