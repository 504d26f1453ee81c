"""Writing many rows at once, faster than Django's bulk_update."""

from django.db import connection


def rows_update(model, objs: list, fields: list[str], batch: int = 1000) -> None:
    """Django's bulk_update, minus its cost: building its CASE WHEN takes seconds past a few
    thousand rows. One `UPDATE … FROM (VALUES …)` per batch (PostgreSQL, SQLite >= 3.33)."""
    if connection.vendor not in ("postgresql", "sqlite"):
        model.objects.bulk_update(objs, fields, batch_size=500)
        return
    meta, qn = model._meta, connection.ops.quote_name
    columns = [meta.pk] + [meta.get_field(name) for name in fields]

    def value(column, index: int) -> str:  # VALUES columns are named column1, column2…
        ref = f"v.column{index + 1}"
        if connection.vendor == "postgresql":
            return f"CAST({ref} AS {column.cast_db_type(connection)})"
        return ref

    table = qn(meta.db_table)
    sets = ", ".join(f"{qn(c.column)} = {value(c, i)}" for i, c in enumerate(columns) if i)
    row = "(" + ", ".join(["%s"] * len(columns)) + ")"
    for start in range(0, len(objs), batch):
        chunk = objs[start : start + batch]
        sql = (
            f"UPDATE {table} SET {sets} FROM (VALUES {', '.join([row] * len(chunk))}) AS v "
            f"WHERE {table}.{qn(meta.pk.column)} = {value(meta.pk, 0)}"
        )
        params = [
            c.get_db_prep_save(getattr(obj, c.attname), connection)
            for obj in chunk
            for c in columns
        ]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
