"""On PostgreSQL the audit table refuses UPDATE and DELETE, whoever asks.

Nothing in the application updates or deletes audit records; this makes the
database refuse it to anyone else too (a DBA must drop the trigger first,
which itself leaves a trace in the server's logs). SQLite, the development
database, has no such guard; ``verify_audit`` still detects tampering there.
"""

from django.db import migrations

FORWARD = [
    """
    CREATE FUNCTION audit_record_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit records are append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END $$;
    """,
    "CREATE TRIGGER audit_record_append_only BEFORE UPDATE OR DELETE ON audit_auditrecord "
    "FOR EACH ROW EXECUTE FUNCTION audit_record_append_only();",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_record_append_only ON audit_auditrecord;",
    "DROP FUNCTION IF EXISTS audit_record_append_only();",
]


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in FORWARD:
            schema_editor.execute(statement, params=None)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        for statement in BACKWARD:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
