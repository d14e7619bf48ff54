"""Demo scenario data of the reports domain (idempotent): the demo coordinator receives the
weekly situation report by e-mail (printed on the console by the demo's mail backend when
``reliefops sitrep_send`` or the beat job runs)."""

from typing import TextIO

from django.contrib.auth import get_user_model

from reliefops.reports.services import sitrep_subscribe

#: The demo coordinator's address (``.invalid``: a domain that never receives mail).
COORDINATOR_EMAIL = "coordinator@demo.reliefops.invalid"


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""
    coordinator = get_user_model().objects.filter(username="coordinator").first()
    if coordinator is None:
        return
    if not coordinator.email:
        coordinator.email = COORDINATOR_EMAIL
        coordinator.save(update_fields=["email"])
    subscription = getattr(coordinator, "sitrep_subscription", None)
    if subscription is None or not subscription.active:
        sitrep_subscribe(actor=coordinator, language="en", attachment="pdf")
    stdout.write(f"  weekly sitrep by e-mail: coordinator ({coordinator.email})\n")
