"""Forms of the reports pages: the weekly situation report by e-mail."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from reliefops.core.forms import GuidedForm
from reliefops.reports.choices import SitrepAttachment


class SitrepSubscriptionForm(GuidedForm):
    """Subscribe oneself to the weekly report (language and attachment), or change it."""

    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    attachment = forms.ChoiceField(
        label=_("Attachment"),
        choices=SitrepAttachment.choices,
        help_text=_("The report is attached in this format; the e-mail's text holds its figures."),
    )

    @classmethod
    def initial_for(cls, subscription: Any, language: str) -> dict[str, Any]:
        if subscription is not None:
            return {"language": subscription.language, "attachment": subscription.attachment}
        return {"language": language, "attachment": SitrepAttachment.PDF}
