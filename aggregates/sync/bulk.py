"""Fast bulk inserts for the sync's write phase: COPY on PostgreSQL (Django's bulk_create spends
most of a 10,000-host first sync preparing values); other databases (the SQLite demo) use
bulk_create."""

from django.db import connection, models
from django.utils import timezone
from psycopg.types.json import Jsonb


def insert(model: type[models.Model], objs: list[models.Model], key: str) -> None:
    """Insert `objs` (unsaved instances) and set their pks; `key` is a unique natural key."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        model.objects.bulk_create(objs, batch_size=1000)
        return
    now = timezone.now()
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    key_field = model._meta.get_field(key)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        # COPY: the fastest way in; the new pks are then read back by natural key.
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for obj in objs:
                copy.write_row([_value(f, obj) for f in fields])
        keys = [getattr(obj, key_field.attname) for obj in objs]
        cursor.execute(
            f"SELECT {connection.ops.quote_name(model._meta.pk.column)}, "
            f"{connection.ops.quote_name(key_field.column)} FROM {table} "
            f"WHERE cloud_id = %s AND {connection.ops.quote_name(key_field.column)} = ANY(%s)",
            [objs[0].cloud_id, keys],
        )
        by_key = {str(natural): pk for pk, natural in cursor.fetchall()}
    for obj in objs:
        obj.pk = by_key[str(getattr(obj, key_field.attname))]
        obj._state.adding = False


def insert_pairs(through: type[models.Model], pairs: list[tuple[int, int]], a: str, b: str) -> None:
    """Insert many-to-many rows (`a`_id, `b`_id) in one statement per batch."""
    if not pairs:
        return
    if connection.vendor != "postgresql":
        through.objects.bulk_create(
            [through(**{f"{a}_id": x, f"{b}_id": y}) for x, y in pairs], batch_size=1000
        )
        return
    table = connection.ops.quote_name(through._meta.db_table)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({a}_id, {b}_id) FROM STDIN") as copy,
    ):
        for pair in pairs:
            copy.write_row(pair)


def _value(field: models.Field, obj: models.Model):
    value = getattr(obj, field.attname)
    if isinstance(field, models.JSONField):
        return None if value is None else Jsonb(value)
    return value
