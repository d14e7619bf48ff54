"""Demo organisations and one demo user per role (idempotent)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from reliefops.accounts.choices import OrganisationKind, Role
from reliefops.accounts.models import Membership, Organisation, User
from reliefops.coordination.models import Presence
from reliefops.places.admin_areas import admin_areas_load
from reliefops.places.models import AdminArea

DEMO_PASSWORD_SUFFIX = "-demo-2023"  # noqa: S105 - published demo accounts, loopback only

ORGANISATIONS = [
    (
        "CHQ",
        OrganisationKind.GOVERNMENT,
        {
            "en": "Coordination Headquarters",
            "az": "Koordinasiya Qərargahı",
            "ru": "Координационный штаб",
            "hy": "Համակարգման շտաբ",
        },
    ),
    (
        "MES",
        OrganisationKind.GOVERNMENT,
        {
            "en": "Ministry of Emergency Situations",
            "az": "Fövqəladə Hallar Nazirliyi",
            "ru": "Министерство по чрезвычайным ситуациям",
            "hy": "Արտակարգ իրավիճակների նախարարություն",
        },
    ),
    (
        "HEALTH",
        OrganisationKind.GOVERNMENT,
        {
            "en": "Regional Health Authority",
            "az": "Regional Səhiyyə İdarəsi",
            "ru": "Региональное управление здравоохранения",
            "hy": "Առողջապահության տարածքային վարչություն",
        },
    ),
    (
        "RCS",
        OrganisationKind.RED_CROSS,
        {
            "en": "Red Crescent Society",
            "az": "Qızıl Aypara Cəmiyyəti",
            "ru": "Общество Красного Полумесяца",
            "hy": "Կարմիր մահիկի ընկերություն",
        },
    ),
    (
        "UNHA",
        OrganisationKind.UN_AGENCY,
        {
            "en": "UN Humanitarian Agency",
            "az": "BMT Humanitar Agentliyi",
            "ru": "Гуманитарное агентство ООН",
            "hy": "ՄԱԿ-ի հումանիտար գործակալություն",
        },
    ),
    (
        "UTIL",
        OrganisationKind.SERVICE_PROVIDER,
        {
            "en": "Regional Utility Service",
            "az": "Regional Kommunal Xidmət",
            "ru": "Региональная коммунальная служба",
            "hy": "Տարածքային կոմունալ ծառայություն",
        },
    ),
    (
        "FIRE",
        OrganisationKind.SERVICE_PROVIDER,
        {
            "en": "Local Fire and Rescue Service",
            "az": "Yerli Yanğınsöndürmə və Xilasetmə Xidməti",
            "ru": "Местная пожарно-спасательная служба",
            "hy": "Տեղական հրշեջ-փրկարարական ծառայություն",
        },
    ),
    (
        "CARE",
        OrganisationKind.INGO,
        {
            "en": "Community Care NGO",
            "az": "İcma Qayğısı QHT",
            "ru": "НПО «Забота о сообществе»",
            "hy": "«Համայնքային խնամք» ՀԿ",
        },
    ),
]

# username, role, organisation, area codes (empty = national scope where the role allows)
USERS = [
    ("admin", Role.ADMIN, "CHQ", []),
    ("coordinator", Role.COORDINATOR, "CHQ", []),
    ("logistics", Role.LOGISTICS, "MES", ["AZ-BAR", "AZ-YEV", "AZ-AGM", "AZ-XA", "AZ-XCI"]),
    ("field", Role.FIELD, "HEALTH", ["AZ-XA", "AZ-XCI"]),
    ("partner", Role.PARTNER, "RCS", ["AZ-XA"]),
    ("dpo", Role.DPO, "CHQ", []),
    ("viewer", Role.VIEWER, "UNHA", ["AZ-XA", "AZ-XCI", "AZ-SUS", "AZ-AGM"]),
]

PRESENCE = [
    ("MES", "AZ-XA", "food", "Bread and food parcels"),
    ("MES", "AZ-AGM", "logistics", "Convoys via the Aghdam–Asgaran–Khankendi road"),
    ("RCS", "AZ-XA", "health", "First aid posts"),
    ("HEALTH", "AZ-XCI", "health", "Field hospital staffing"),
    ("UTIL", "AZ-XA", "energy", "Heating fuel for schools and kindergartens"),
    ("FIRE", "AZ-XA", "coordination", "Fire services fuel needs"),
    ("CARE", "AZ-LAC", "protection", "Mobile teams for people living alone"),
    ("UNHA", "AZ-BAR", "logistics", "Warehouse in Barda"),
]


def demo_password(username: str) -> str:
    return f"{username}{DEMO_PASSWORD_SUFFIX}"


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    count = admin_areas_load()
    stdout.write(f"  admin areas: {count}\n")
    orgs = {}
    for acronym, kind, names in ORGANISATIONS:
        orgs[acronym], _ = Organisation.objects.update_or_create(
            acronym=acronym, defaults={"kind": kind, "names": names}
        )
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
    for org, area, sector, activity in PRESENCE:
        Presence.objects.get_or_create(
            organisation=orgs[org],
            area=areas[area],
            sector=sector,
            defaults={"activity": activity},
        )
    stdout.write(f"  organisations: {len(orgs)}, demo users: {len(USERS)}\n")
