"""How an error reaches a person on a page: the form re-shown, or the error page.

:class:`ErrorPageMiddleware <reliefops.core.middleware.ErrorPageMiddleware>` turns an
exception into an :class:`~reliefops.core.error_path.ErrorOutcome` and hands it here:

* a POST whose view announced its form page (:func:`form_page`) gets that page back with
  the error next to the form and the error's status (a 400, 403 or 409, never a 200);
* any other request gets the error page in the app's layout (``core/error.html``);
* an HTMX request gets the error fragment (``core/partials/error.html``) with the same
  status, retargeted (``HX-Retarget``/``HX-Reswap``) into the layout's error region, so the
  fragment never replaces the element that asked;
* a request under ``/api/`` gets the JSON error body.

Views therefore never catch ``Forbidden``/``NotFound`` themselves: they call services and
let the error travel.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render as django_render

from reliefops.core.error_path import ErrorOutcome
from reliefops.core.errors import InvalidInput
from reliefops.core.forms import attach_error
from reliefops.core.htmx import render

#: Where the HTMX error fragment goes (an element of ``base.html``).
ERROR_REGION = "#page-errors"
_FORM_PAGE = "_reliefops_form_page"


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


def is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


@dataclass
class FormPage:
    """The page a form POST re-shows when the service it calls raises."""

    template: str
    context: dict[str, Any] | Callable[[], dict[str, Any]]
    form: Any = None
    partial: str | None = None

    def page_context(self) -> dict[str, Any]:
        return self.context() if callable(self.context) else self.context

    def render(self, request: HttpRequest, status: int = 200) -> HttpResponse:
        return render(
            request, self.template, self.page_context(), partial=self.partial, status=status
        )

    def render_error(self, request: HttpRequest, outcome: ErrorOutcome) -> HttpResponse:
        """The page again, with the error next to the form (or atop the page without one):
        each message the error's details name a field for next to that field, the rest at
        the top of the form (:func:`reliefops.core.forms.attach_error`)."""
        context = {**self.page_context(), "error": outcome.message, "error_outcome": outcome}
        if self.form is not None:
            attach_error(self.form, outcome)
        else:
            context["page_error"] = error_context(outcome)  # shown by base.html
        return render(request, self.template, context, partial=self.partial, status=outcome.status)


def form_page(
    request: HttpRequest,
    template: str,
    context: dict[str, Any] | Callable[[], dict[str, Any]],
    *,
    form: Any = None,
    partial: str | None = None,
) -> FormPage:
    """Announce the page to re-show (with ``form`` carrying the error) if the POST fails.

    ``context`` is a dict kept by reference (what the view adds later is shown too) or a
    function building it only when the page is shown. ``.render()`` shows it normally.
    """
    page = FormPage(template, context, form, partial)
    setattr(request, _FORM_PAGE, page)
    return page


def form_invalid(form: Any) -> InvalidInput:
    """The error of a bound form that did not validate (the message names the fields)."""
    errors = {name: [str(m) for m in messages] for name, messages in form.errors.items()}
    text = "; ".join(
        f"{form.fields[n].label or n if n in form.fields else n}: {' '.join(m)}"
        for n, m in errors.items()
    )
    error = InvalidInput(text or None)
    error.details = errors
    return error


def error_response(request: HttpRequest, outcome: ErrorOutcome) -> HttpResponse:
    """The one rendering of an error outcome for ``request`` (API, form, HTMX or page)."""
    if is_api(request):
        response: HttpResponse = JsonResponse(outcome.body(), status=outcome.status)
    else:
        page = getattr(request, _FORM_PAGE, None)
        if page is not None and request.method == "POST" and outcome.status < 500:
            response = page.render_error(request, outcome)
        else:
            response = error_page(request, outcome)
    for key, value in outcome.headers.items():
        response[key] = value
    return response


def error_context(outcome: ErrorOutcome) -> dict[str, Any]:
    return {
        "status": outcome.status,
        "title": outcome.title,
        "message": outcome.message,
        "code": outcome.code,
        "details": _detail_lines(outcome.details),
    }


def error_page(request: HttpRequest, outcome: ErrorOutcome) -> HttpResponse:
    context = error_context(outcome)
    if is_htmx(request):
        response = django_render(
            request, "core/partials/error.html", context, status=outcome.status
        )
        response["HX-Retarget"] = ERROR_REGION
        response["HX-Reswap"] = "innerHTML"
        return response
    return django_render(request, "core/error.html", context, status=outcome.status)


def _detail_lines(details: Any) -> list[tuple[str, str]]:
    """Details as (name, text) lines for the page: which parameter or field, and why.

    Only messages per field or parameter (lists, nested dicts) and the ``field`` named are
    shown to a person; scalar internals (the action checked, an area id) stay in the API's
    JSON body, where a client can act on them.
    """
    if not isinstance(details, dict):
        return []
    lines = []
    for name, value in details.items():
        if isinstance(value, (list, tuple)):
            text = " ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = "; ".join(f"{k}: {v}" for k, v in value.items())
        elif name == "field":
            text = str(value)
        else:
            continue
        lines.append((str(name), text))
    return lines
