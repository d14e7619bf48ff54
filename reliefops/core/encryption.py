"""Key rotation of the encrypted fields (names, phones, addresses, licence numbers).

django-fernet-encrypted-fields derives one key per pair of ``SECRET_KEY`` (then
``SECRET_KEY_FALLBACKS``) and ``SALT_KEY`` entry; the first encrypts, all decrypt. After a
new key is put first, :func:`encryption_rotate` re-encrypts every stored value of every
encrypted field of every model with it (``MultiFernet.rotate``), so the old key can then
be dropped. It writes the column directly: no ``updated_at``, history or audit row changes,
because no value changes.
"""

from __future__ import annotations

from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.apps import apps
from django.db import connection, transaction
from encrypted_fields.fields import EncryptedFieldMixin


def encrypted_fields() -> list[tuple[type[Any], Any]]:
    """(model, field) for every encrypted field of every installed model."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin)
    ]


def keys_reload() -> None:
    """Forget the keys each field derived (they are cached per field), e.g. after the
    settings changed in the running process."""
    for _model, field in encrypted_fields():
        for name in ("keys", "f"):
            field.__dict__.pop(name, None)


def encryption_rotate() -> dict[str, int]:
    """Re-encrypt every stored encrypted value with the current first key.

    Returns ``"app.model.field"`` → values rewritten, in one transaction: values that no
    configured key opens raise ``cryptography.fernet.InvalidToken`` and nothing changes.
    """
    keys_reload()
    done: dict[str, int] = {}
    quote = connection.ops.quote_name
    with transaction.atomic():
        for model, field in encrypted_fields():
            fernet: Fernet | MultiFernet = field.f
            if not isinstance(fernet, MultiFernet):
                fernet = MultiFernet([fernet])
            table, column = quote(model._meta.db_table), quote(field.column)
            pk = quote(model._meta.pk.column)
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT {pk}, {column} FROM {table} WHERE {column} IS NOT NULL"  # noqa: S608
                )
                rows = [(key, raw) for key, raw in cursor.fetchall() if raw]
                for key, raw in rows:
                    token = fernet.rotate(raw.encode("utf-8")).decode("utf-8")
                    cursor.execute(
                        f"UPDATE {table} SET {column} = %s WHERE {pk} = %s",  # noqa: S608
                        [token, key],
                    )
            done[f"{model._meta.label_lower}.{field.name}"] = len(rows)
    return done
