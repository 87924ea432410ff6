"""The database itself refuses UPDATE and DELETE on audit entries and checkpoints.

The model already refuses ``save()`` of an existing entry and ``delete()``; the triggers
also stop queryset updates and deletes, raw SQL and other programs using the same
database account. The head row (``core_audithead``) is updated on every append and is not
protected: the chain and the checkpoints vouch for it. Why DELETE is refused on SQLite too
(where Django's test flush deletes row by row): docs/security.md, "Audit immutability".
"""

from django.db import migrations

TABLES = ("core_auditentry", "core_auditcheckpoint")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION zugong_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION USING ERRCODE = 'integrity_constraint_violation',
        MESSAGE = 'audit records are append-only: ' || TG_OP || ' on ' || TG_TABLE_NAME
                  || ' refused';
END;
$$ LANGUAGE plpgsql;
"""


def trigger_sql(vendor: str, table: str) -> tuple[list[str], list[str]]:
    """(create, drop) statements of the append-only triggers of ``table`` on ``vendor``.

    Tests that tamper with entries on purpose drop and recreate them through this.
    """
    if vendor == "postgresql":
        return (
            [f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
             f"FOR EACH ROW EXECUTE FUNCTION zugong_audit_append_only();"],
            [f"DROP TRIGGER IF EXISTS {table}_append_only ON {table};"],
        )
    if vendor == "sqlite":
        return (
            [f"CREATE TRIGGER {table}_no_{op.lower()} BEFORE {op} ON {table} "
             f"BEGIN SELECT RAISE(ABORT, 'audit records are append-only: {op} on {table} "
             f"refused'); END;" for op in ("UPDATE", "DELETE")],
            [f"DROP TRIGGER IF EXISTS {table}_no_{op.lower()};" for op in ("UPDATE", "DELETE")],
        )
    raise NotImplementedError(f"no append-only triggers for {vendor}")


def _create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
    for table in TABLES:
        for sql in trigger_sql(vendor, table)[0]:
            schema_editor.execute(sql)


def _drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    for table in TABLES:
        for sql in trigger_sql(vendor, table)[1]:
            schema_editor.execute(sql)
    if vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS zugong_audit_append_only();")


class Migration(migrations.Migration):

    dependencies = [
        ('core', '0005_audit_key_version_checkpoint'),
    ]

    # RunPython rather than RunSQL: the statements depend on the vendor.
    operations = [migrations.RunPython(_create, _drop)]
