"""Demo organisations of the scenario (idempotent)."""

from __future__ import annotations

from typing import TextIO

from django.db import transaction

from reliefops.organisations.choices import OrganisationKind
from reliefops.organisations.models import Organisation

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


@transaction.atomic
def load(*, stdout: TextIO) -> None:
    for acronym, kind, names in ORGANISATIONS:
        Organisation.objects.update_or_create(
            acronym=acronym, defaults={"kind": kind, "names": names}
        )
    stdout.write(f"  organisations: {len(ORGANISATIONS)}\n")
