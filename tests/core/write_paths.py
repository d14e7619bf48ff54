"""Pages of the project itself for the write-scope property test (tests/core/writescope)."""

from __future__ import annotations

from tests.core.writescope import not_a_write

not_a_write("home", "read-only page")
not_a_write("healthz", "read-only page")
not_a_write("login", "signs in: writes the user's own last login, nothing scoped")
not_a_write("logout", "signs out")
not_a_write("set_language", "the user's own language")
not_a_write("password_change", "the user's own password")
not_a_write("POST /api/v1/auth/token/", "signs in: a token for the user's own account")
not_a_write("DELETE /api/v1/auth/token/", "signs out: revokes the user's own token")
not_a_write("api-schema", "the OpenAPI schema (read)")
not_a_write("api-docs", "the API documentation (read)")
not_a_write("favicon", "a redirect to the static icon")

# --- added for offline
not_a_write("service_worker", "the offline pages' service worker script (read, GET only)")
