"""The database refuses to change a published version, on SQLite and PostgreSQL.

Versions may only be deleted together with their provider (cascade).
"""

from django.db import migrations

MESSAGE = "published versions are immutable"

SQLITE_FORWARD = [
    "CREATE TRIGGER matrices_version_immutable BEFORE UPDATE ON matrices_matrixversion "
    f"BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;"
]
SQLITE_BACKWARD = ["DROP TRIGGER IF EXISTS matrices_version_immutable;"]
POSTGRESQL_FORWARD = [
    f"""
    CREATE FUNCTION matrices_version_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'insufficient_privilege';
    END $$;
    """,
    "CREATE TRIGGER matrices_version_immutable BEFORE UPDATE ON matrices_matrixversion "
    "FOR EACH ROW EXECUTE FUNCTION matrices_version_immutable();",
]
POSTGRESQL_BACKWARD = [
    "DROP TRIGGER IF EXISTS matrices_version_immutable ON matrices_matrixversion;",
    "DROP FUNCTION IF EXISTS matrices_version_immutable();",
]


def run(schema_editor, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    statements = {
        ("sqlite", True): SQLITE_FORWARD,
        ("sqlite", False): SQLITE_BACKWARD,
        ("postgresql", True): POSTGRESQL_FORWARD,
        ("postgresql", False): POSTGRESQL_BACKWARD,
    }[(vendor, forward)]
    for statement in statements:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("matrices", "0003_versions")]
    operations = [
        migrations.RunPython(
            lambda apps, editor: run(editor, True), lambda apps, editor: run(editor, False)
        )
    ]
