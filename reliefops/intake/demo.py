"""Demo scenario data of the intake domain (idempotent)."""

from typing import TextIO


def load(*, stdout: TextIO) -> None:
    """Load this domain's part of the demo scenario."""


# --- added for kobo: the example KoboToolbox/ODK forms, after the rest of intake's demo.
# ``home-visit`` acts as the demo field user (``field``, the health ministry's mobile teams
# in Khankendi and Khojaly); ``crossing-count`` as ``counter``, a demo field user of the UN
# humanitarian agency at the Lachin crossing point (``field`` has no rights there). Their
# secrets are published like the demo passwords (loopback only) and printed.
from reliefops.accounts.choices import Role  # noqa: E402
from reliefops.accounts.demo import demo_password  # noqa: E402
from reliefops.accounts.models import Membership, User  # noqa: E402
from reliefops.core import exchange as ex  # noqa: E402
from reliefops.core.errors import ApplicationError  # noqa: E402
from reliefops.intake.kobo.services import form_link_load  # noqa: E402
from reliefops.intake.kobo.shipped import shipped_mapping  # noqa: E402
from reliefops.organisations.models import Organisation  # noqa: E402
from reliefops.places.models import AdminArea  # noqa: E402

#: form key → (the user it acts as, the demo secret)
DEMO_FORMS = {
    "home-visit": ("field", "home-visit-demo-2023"),
    "crossing-count": ("counter", "crossing-count-demo-2023"),
}
COUNTER = ("counter", Role.FIELD, "UNHA", ["AZ-LAC"])


def _counter() -> User | None:
    username, role, acronym, codes = COUNTER
    organisation = Organisation.objects.filter(acronym=acronym).first()
    areas = list(AdminArea.objects.filter(code__in=codes))
    if organisation is None or not areas:
        return None
    user, created = User.objects.get_or_create(username=username)
    if created:
        user.set_password(demo_password(username))
        user.save()
    membership, _ = Membership.objects.get_or_create(
        user=user, organisation=organisation, role=role
    )
    membership.areas.set(areas)
    return user


def kobo_load(*, stdout: TextIO) -> None:
    """Configure the shipped example forms (idempotent)."""
    admin = User.objects.filter(username="admin").first()
    if admin is None:
        return
    _counter()
    kinds = {e.kind for e in ex.submission_kinds()}
    lines = []
    for key, (username, secret) in DEMO_FORMS.items():
        user = User.objects.filter(username=username, is_active=True).first()
        path = shipped_mapping(key)
        if user is None or not path.exists():
            continue
        try:
            link, _secret = form_link_load(actor=admin, path=path, user=user, secret=secret)
        except ApplicationError as exc:  # a kind this installation does not take
            stdout.write(f"  kobo form {key} not configured: {exc.message}\n")
            continue
        if link.kind in kinds:
            lines.append(
                f"    /api/v1/kobo/{link.key}/  as {username}  Authorization: Token {secret}"
            )
    if lines:
        stdout.write("  KoboToolbox/ODK forms (forms/*.xlsx; docs/kobo.md):\n")
        stdout.write("\n".join(lines) + "\n")


_intake_load = load


def load(*, stdout: TextIO) -> None:  # type: ignore[no-redef]
    """Load this domain's part of the demo scenario, then the example forms."""
    _intake_load(stdout=stdout)
    kobo_load(stdout=stdout)
