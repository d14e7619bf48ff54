"""The OpenAPI schema class of every API view (``REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]``).

A module of its own: DRF imports ``core.api`` (pagination) while it is still loading
``rest_framework.generics``, and drf-spectacular's ``openapi`` module needs it loaded.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema

from reliefops.core.idempotency import SCHEMA_PARAMETER as IDEMPOTENCY_KEY_PARAMETER


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, plus the ``Idempotency-Key`` header on every POST, which
    :mod:`reliefops.core.idempotency` honours for every POST under ``/api/v1/``."""

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY_PARAMETER)
        return parameters
