"""One demo user per role, acting for the demo organisations (idempotent)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from reliefops.accounts.choices import Role
from reliefops.accounts.models import Membership, User
from reliefops.accounts.two_factor import device_secret
from reliefops.organisations.models import Organisation
from reliefops.places.models import AdminArea

DEMO_PASSWORD_SUFFIX = "-demo-2023"  # noqa: S105 - published demo accounts, loopback only

# username, role, organisation, area codes (empty = national scope where the role allows)
USERS = [
    ("admin", Role.ADMIN, "CHQ", []),
    ("coordinator", Role.COORDINATOR, "CHQ", []),
    # Yevlakh city (AZ-YE: the rail-side warehouse, the fuel depot, the Yevlakh end of the
    # Yevlakh–Barda road) and Yevlakh District (AZ-YEV) are separate ISO 3166-2 units: an
    # officer working "in Yevlakh" holds both (tests/places/test_scope_data.py).
    (
        "logistics",
        Role.LOGISTICS,
        "MES",
        ["AZ-BAR", "AZ-YE", "AZ-YEV", "AZ-AGM", "AZ-XA", "AZ-XCI"],
    ),
    ("field", Role.FIELD, "HEALTH", ["AZ-XA", "AZ-XCI"]),
    ("partner", Role.PARTNER, "RCS", ["AZ-XA"]),
    ("dpo", Role.DPO, "CHQ", []),
    ("viewer", Role.VIEWER, "UNHA", ["AZ-XA", "AZ-XCI", "AZ-SUS", "AZ-AGM"]),
    # The Red Crescent's logistics officer at Goris (Syunik, Armenia): the Lachin road and
    # the Khankendi end of its convoys.
    ("logistics-rc", Role.LOGISTICS, "RCS", ["AM-SU", "AZ-LAC", "AZ-XA"]),
]


#: The demo signs in its data-protection officer with a second factor (the other demo
#: accounts and their password-obtained API tokens work without one, for evaluation). The
#: key is published with the demo so that the flow can be tried: loopback only.
TWO_FACTOR_USER = "dpo"
TWO_FACTOR_KEY = "52656c6965664f707344656d6f44504f"


def demo_password(username: str) -> str:
    return f"{username}{DEMO_PASSWORD_SUFFIX}"


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    orgs = {o.acronym: o for o in Organisation.objects.all()}
    areas = {a.code: a for a in AdminArea.objects.all()}
    for username, role, org, area_codes in USERS:
        user, created = User.objects.get_or_create(username=username)
        if created:
            user.set_password(demo_password(username))
            user.is_staff = user.is_superuser = role == Role.ADMIN
            user.save()
        membership, _ = Membership.objects.get_or_create(
            user=user, organisation=orgs[org], role=role
        )
        membership.areas.set([areas[c] for c in area_codes])
        if username == TWO_FACTOR_USER:
            User.objects.filter(pk=user.pk).update(otp_required=True)
            TOTPDevice.objects.get_or_create(
                user=user, name="Demo", defaults={"key": TWO_FACTOR_KEY, "confirmed": True}
            )
    stdout.write(f"  demo users: {len(USERS)}\n")


def report(*, stdout: TextIO) -> None:
    """Print the demo accounts after the whole scenario is loaded (other apps' loaders add
    users of their own: the teams' field workers, the hospital's staff)."""
    stdout.write("\nDemo accounts (loopback only):\n")
    stdout.write(f"  {'username':<12} {'password':<24} role\n")
    users = User.objects.filter(is_active=True).order_by("date_joined", "pk")
    for user in users.prefetch_related("memberships__organisation", "memberships__areas"):
        for membership in user.memberships.all():
            codes = sorted(a.code for a in membership.areas.all())
            scope = ", ".join(codes) if codes else "national"
            stdout.write(
                f"  {user.username:<12} {demo_password(user.username):<24} "
                f"{Role(membership.role).label} · {membership.organisation.acronym} · {scope}\n"
            )
    device = TOTPDevice.objects.filter(user__username=TWO_FACTOR_USER, name="Demo").first()
    if device is not None:
        stdout.write(
            f"  {TWO_FACTOR_USER} signs in with a second factor: add the TOTP key "
            f"{device_secret(device)} to an authenticator app (6 digits, 30 s), or take a "
            'code from: reliefops shell -c "from django_otp.plugins.otp_totp.models import '
            f"TOTPDevice; from django_otp.oath import totp; d = TOTPDevice.objects.get(name='Demo'); "
            "print(f'{totp(d.bin_key):06d}')\"\n"
        )
