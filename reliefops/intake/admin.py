"""Admin of the intake domain."""

# --- added for kobo: form links and received form instances
from reliefops.intake.kobo import admin as kobo_admin  # noqa: F401
