"""Form widgets every app's forms share."""

from __future__ import annotations

from django import forms

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
