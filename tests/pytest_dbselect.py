"""Test-run set-up that must happen before Django loads its settings.

* Database: PostgreSQL when ``DATABASE_URL`` is set or one answers on 127.0.0.1:5432,
  otherwise the embedded SQLite (PostgreSQL-only tests are then reported as skipped).
* Every pytest run gets its own test-database name, so parallel runs never collide.
"""

import os
import socket
import uuid

if not os.environ.get("DATABASE_URL") and not os.environ.get("RELIEFOPS_TEST_SQLITE"):
    try:
        with socket.create_connection(("127.0.0.1", 5432), timeout=0.5):
            os.environ["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/reliefops"
    except OSError:
        pass
os.environ.setdefault("RELIEFOPS_TEST_RUN", uuid.uuid4().hex[:8])
