"""Key rotation of the encrypted fields: after ``encryption_rotate`` the old key can go."""

from __future__ import annotations

from typing import Any

import pytest
from cryptography.fernet import InvalidToken
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from reliefops.core.encryption import encrypted_fields, keys_reload
from reliefops.logistics.models import Driver
from tests.logistics.factories import DriverFactory

OLD = "old-secret-key-" + "o" * 50
NEW = "new-secret-key-" + "n" * 50

pytestmark = pytest.mark.django_db


def encrypted_field(name: str) -> Any:
    return Driver._meta.get_field(name)


def _raw_phone(driver: Driver) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM logistics_driver WHERE id = %s", [driver.pk.hex])
        row = cursor.fetchone()
        if row is None:  # PostgreSQL stores the UUID natively
            cursor.execute("SELECT phone FROM logistics_driver WHERE id = %s", [str(driver.pk)])
            row = cursor.fetchone()
    return str(row[0])


def test_every_encrypted_field_is_found() -> None:
    names = {f"{m._meta.label_lower}.{f.name}" for m, f in encrypted_fields()}
    assert {"logistics.driver.phone", "logistics.driver.licence_number"} <= names
    assert {"people.person.full_name", "people.person.phone", "people.person.address"} <= names


def test_rotation_re_encrypts_with_the_new_key_so_the_old_one_can_go() -> None:
    try:
        with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
            keys_reload()
            driver = DriverFactory(phone="+994 50 111 22 33")
            before = _raw_phone(driver)
        with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[OLD]):
            keys_reload()
            assert Driver.objects.get(pk=driver.pk).phone == "+994 50 111 22 33"
            call_command("encryption_rotate", "--json")
            after = _raw_phone(driver)
        assert after != before and "111 22 33" not in after
        with override_settings(SECRET_KEY=NEW, SECRET_KEY_FALLBACKS=[]):
            keys_reload()
            assert Driver.objects.get(pk=driver.pk).phone == "+994 50 111 22 33"
        with override_settings(SECRET_KEY=OLD, SECRET_KEY_FALLBACKS=[]):
            keys_reload()
            # the old key no longer opens it (the library then hands back the token)
            assert Driver.objects.get(pk=driver.pk).phone == after
            with pytest.raises(InvalidToken):
                encrypted_field("phone").f.decrypt(after.encode())
    finally:
        keys_reload()
