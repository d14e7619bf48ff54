"""Form widgets every app's forms share."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.functional import Promise

#: The only format a browser's ``<input type="date">`` accepts as its value (HTML's
#: "valid date string"), whatever the page's language. Parsing still accepts it too: Django
#: adds the ISO formats to every locale's DATE_INPUT_FORMATS.
ISO_DATE = "%Y-%m-%d"


class DateInput(forms.DateInput):
    """A native date picker whose value is ISO ``YYYY-MM-DD`` in every locale.

    Django's own ``DateInput`` renders the locale's first input format (``01.12.2026`` in
    Russian, Azerbaijani and Armenian), which a date input discards: the field then opens
    blank. The browser shows the date in the user's own format regardless.
    """

    input_type = "date"

    def __init__(self, attrs: dict[str, object] | None = None) -> None:
        super().__init__(attrs=attrs, format=ISO_DATE)


# --------------------------------------------------------------------------- guided forms


class GuidedForm(forms.Form):
    """A form rendered by ``core/partials/form.html`` / ``field.html``: label, required
    marker, help text, the field's own errors next to it, non-field errors at the top.

    ``help_from`` copies the model's ``help_text`` (and nothing else) onto fields that have
    none: ``{form field: (model, model field)}`` or ``{form field: model}`` for the same name.
    :meth:`error_field` says which form field a service error's field name belongs to (the
    page's error path calls it through :func:`attach_error`).
    """

    required_css_class = "required"
    error_css_class = "has-error"
    help_from: dict[str, Any] = {}
    #: Set on forms that share a page with others: their element ids become
    #: ``id_<prefix>_<field>`` (labels point at their own inputs); the field names stay.
    id_prefix: str = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        if self.id_prefix:
            kwargs.setdefault("auto_id", f"id_{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        for name, source in self.help_from.items():
            if name in self.fields:
                model, field_name = source if isinstance(source, tuple) else (source, name)
                model_help(self.fields[name], model, field_name)

    def error_field(self, name: str) -> str | None:
        """The form field a service's error about ``name`` is shown next to (None: atop)."""
        return name if name in self.fields else None


def model_help(field: forms.Field, model: Any, name: str) -> None:
    """Give ``field`` the help text of ``model``'s field ``name`` when it has none."""
    if field.help_text:
        return
    try:
        field.help_text = model._meta.get_field(name).help_text
    except Exception:
        return


def error_messages(details: Any, message: Any) -> dict[str, list[str]]:
    """Messages per field name from an error's details.

    Understood, in order: ``fields`` (``{name: [messages]}``, what a service collects),
    lists of messages under a field's name (a Django ``ValidationError``'s
    ``message_dict``, :func:`reliefops.core.pages.form_invalid`), and ``field`` (one name:
    the error's own message belongs to it).
    """
    if not isinstance(details, dict):
        return {}
    found: dict[str, list[str]] = {}
    nested = details.get("fields")
    if isinstance(nested, dict):
        for name, messages in nested.items():
            found[str(name)] = [str(m) for m in _as_list(messages)]
    for name, value in details.items():
        if name in ("fields", "field") or name in found:
            continue
        if isinstance(value, (list, tuple)) and value and all(_is_text(v) for v in value):
            found[str(name)] = [str(v) for v in value]
    single = details.get("field")
    if isinstance(single, str) and single and not found:
        found[single] = [str(message)]
    return found


def attach_error(form: Any, outcome: Any) -> None:
    """Put a service error on ``form``: each message next to the field it names (through
    the form's ``error_field`` when it has one), the rest — or the message itself, when it
    names no field of the form — as a non-field error at the top. A form that is not a
    :class:`GuidedForm` (whose template may show only the top) gets the message atop too."""
    mapper = (
        form.error_field
        if isinstance(form, GuidedForm)
        else (lambda name: name if name in form.fields else None)
    )
    attached = False
    for name, messages in error_messages(outcome.details, outcome.message).items():
        target = mapper(name)
        if target is None:
            continue
        for text in messages:
            form.add_error(target, text)
        attached = True
    if not attached or not isinstance(form, GuidedForm):
        form.add_error(None, str(outcome.message))


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, (list, tuple)) else [value]


def _is_text(value: Any) -> bool:
    return isinstance(value, (str, Promise))
