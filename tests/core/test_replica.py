"""A read replica serves the heavy read-only pages (docs/operations.md, "Several machines").

The replica here is the test database itself reached through a PostgreSQL role whose
transactions are read-only (``default_transaction_read_only``), as a hot standby's are:
any write sent to it fails. A fresh process configured with ``DATABASE_REPLICA_URL``
serves the dashboard, the situation report, the map layer and an export; the test reads
which connection ran the queries. Writes, and the pages outside :func:`replica_reads`, go
to the primary.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from reliefops.accounts.models import Membership
from tests.accounts.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import json, sys
import django
django.setup()
from django.db import connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from reliefops.accounts.models import User
from reliefops.core.replica import replica_context
from reliefops.organisations.models import Organisation

client = Client(HTTP_HOST="localhost")
client.force_login(User.objects.get(username=sys.argv[1]))
out = {}
for url in ("/reports/dashboard/", "/reports/sitrep/", "/reports/map/requests.geojson",
            "/intake/export/requests/?format=csv", "/needs/requests/"):
    with CaptureQueriesContext(connections["replica"]) as replica, \\
            CaptureQueriesContext(connections["default"]) as primary:
        status = client.get(url).status_code
    out[url] = {"status": status, "replica": len(replica), "primary": len(primary)}
with replica_context():  # a write inside the context still goes to the primary
    org = Organisation.objects.create(acronym="REPLICA-W", kind="local_ngo", names={"en": "W"})
out["write"] = Organisation.objects.using("default").filter(pk=org.pk).exists()
try:
    with connections["replica"].cursor() as cursor:
        cursor.execute("UPDATE organisations_organisation SET acronym = 'x' WHERE false")
    out["replica_writable"] = True
except Exception as exc:
    out["replica_writable"] = type(exc.__cause__ or exc).__name__
print(json.dumps(out))
"""


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_report_pages_and_exports_read_from_the_replica_and_writes_go_to_the_primary(
    settings: Any,
) -> None:
    org = OrganisationFactory(acronym="HQ")
    user = UserFactory(username="replica-coordinator")
    Membership.objects.create(user=user, organisation=org, role="coordinator")
    db = settings.DATABASES["default"]
    role = f"ro_replica_{os.environ.get('RELIEFOPS_TEST_RUN', 'x')}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE ROLE "{role}" LOGIN')
        cursor.execute(f'ALTER ROLE "{role}" SET default_transaction_read_only = on')
        cursor.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA public TO "{role}"')
    try:
        host = f"{db['HOST']}:{db['PORT']}/{db['NAME']}"
        run = subprocess.run(
            [sys.executable, "-c", SCRIPT, user.username],
            cwd=ROOT,
            env={
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "DJANGO_SETTINGS_MODULE": "reliefops.settings",
                "DATABASE_URL": f"postgres://{db['USER']}@{host}",
                "DATABASE_REPLICA_URL": f"postgres://{role}@{host}",
                "RELIEFOPS_TEST_RUN": "",
                "CELERY_BROKER_URL": "",
            },
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE "{role}"')
    assert run.returncode == 0, run.stderr[-3000:]
    out = json.loads(run.stdout.strip().splitlines()[-1])
    for url in (
        "/reports/dashboard/",
        "/reports/sitrep/",
        "/reports/map/requests.geojson",
        "/intake/export/requests/?format=csv",
    ):
        assert out[url]["status"] == 200, (url, out[url])
        assert out[url]["replica"] > 0, (url, out[url])  # the report's own reads
    assert out["/reports/dashboard/"]["replica"] > out["/reports/dashboard/"]["primary"]
    # A list page outside the decorator reads the primary only.
    assert out["/needs/requests/"] == {
        "status": 200,
        "replica": 0,
        "primary": out["/needs/requests/"]["primary"],
    }
    assert out["/needs/requests/"]["primary"] > 0
    assert out["write"] is True
    assert out["replica_writable"] == "ReadOnlySqlTransaction"
