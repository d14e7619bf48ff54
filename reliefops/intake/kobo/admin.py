"""Admin of the KoboToolbox / ODK forms: form links are edited through the service
(:func:`~reliefops.intake.kobo.services.form_link_save`: mapping checked against the kind,
``form_link.manage`` required, audited); received instances are read-only."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from reliefops.core.actions import Action
from reliefops.core.errors import ApplicationError
from reliefops.core.permissions import user_can
from reliefops.intake.kobo.models import FormInstance, FormLink
from reliefops.intake.kobo.services import (
    LINK_FIELDS,
    SECRET_BYTES,
    form_link_check,
    form_link_save,
)


class FormLinkForm(forms.ModelForm):  # type: ignore[type-arg]
    new_secret = forms.BooleanField(
        label=_("Give the form a new secret"),
        required=False,
        help_text=_("Shown once after saving; the old secret stops working."),
    )

    class Meta:
        model = FormLink
        fields = ["key", "user", *LINK_FIELDS]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {n: data[n] for n in LINK_FIELDS if n in data}
        if "kind" in values and "mapping" in values:
            try:
                form_link_check(values)
            except ApplicationError as exc:
                raise ValidationError(str(exc.message)) from exc
        return data


@admin.register(FormLink)
class FormLinkAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    form = FormLinkForm
    list_display = ["key", "title", "kind", "user", "is_active", "refused_count", "last_refused_at"]
    list_filter = ["kind", "is_active"]
    search_fields = ["key", "title", "form_ids"]
    readonly_fields = ["refused_count", "last_refused_at", "recent_refusals", "secret_hash"]

    def _allowed(self, request: Any) -> bool:
        return user_can(request.user, Action.FORM_LINK_MANAGE)

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False  # deactivate a form instead: its instances are history

    def has_module_permission(self, request: Any) -> bool:
        return self._allowed(request)

    def get_readonly_fields(self, request: Any, obj: Any = None) -> Any:
        fields = list(super().get_readonly_fields(request, obj))
        return [*fields, "key"] if obj is not None else fields

    def save_model(self, request: Any, obj: FormLink, form: Any, change: bool) -> None:
        values = {n: form.cleaned_data[n] for n in LINK_FIELDS if n in form.cleaned_data}
        fresh = form.cleaned_data.get("new_secret")
        link, secret = form_link_save(
            actor=request.user,
            key=obj.key,
            user=form.cleaned_data["user"],
            secret=secrets.token_urlsafe(SECRET_BYTES) if fresh else None,
            **values,
        )
        obj.pk = link.pk
        obj.refresh_from_db()
        if secret:
            messages.warning(
                request,
                _("The secret of %(key)s is %(secret)s — copy it now; it is not shown again.")
                % {"key": link.key, "secret": secret},
            )


@admin.register(FormInstance)
class FormInstanceAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = [
        "created_at",
        "link",
        "instance_id",
        "status",
        "outcome",
        "record",
        "submitted_by",
    ]
    list_filter = ["link", "status", "shape"]
    search_fields = ["instance_id", "root_id", "record"]

    def has_view_permission(self, request: Any, obj: Any = None) -> bool:
        return user_can(request.user, Action.FORM_LINK_MANAGE)

    def has_module_permission(self, request: Any) -> bool:
        return user_can(request.user, Action.FORM_LINK_MANAGE)

    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
