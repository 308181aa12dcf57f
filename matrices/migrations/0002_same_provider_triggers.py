"""Database-level guarantee that a cell and its duties never mix providers.

Django cannot express "offering.provider == domain.provider == cell.provider"
as a constraint (it spans tables), so triggers enforce it on SQLite and
PostgreSQL alike, and an offering, domain or party can never move to another
provider once created.
"""

from django.db import migrations

MESSAGE_CELL = "cell: offering and domain must belong to the same provider as the cell"
MESSAGE_DUTY = "duty: party must belong to the same provider as the cell"
MESSAGE_MOVE = "an offering, domain or party cannot move to another provider"

AXES = ("matrices_offering", "matrices_controldomain", "matrices_party")

CELL_MISMATCH = """
    (SELECT provider_id FROM matrices_offering WHERE id = NEW.offering_id) IS DISTINCT FROM NEW.provider_id
    OR (SELECT provider_id FROM matrices_controldomain WHERE id = NEW.domain_id)
       IS DISTINCT FROM NEW.provider_id
"""
DUTY_MISMATCH = """
    (SELECT provider_id FROM matrices_party WHERE id = NEW.party_id)
    IS DISTINCT FROM (SELECT provider_id FROM matrices_cell WHERE id = NEW.cell_id)
"""


def sqlite_sql() -> tuple[list[str], list[str]]:
    # SQLite spells IS DISTINCT FROM as IS NOT.
    cell = CELL_MISMATCH.replace("IS DISTINCT FROM", "IS NOT")
    duty = DUTY_MISMATCH.replace("IS DISTINCT FROM", "IS NOT")
    forward, backward = [], []
    for event in ("INSERT", "UPDATE"):
        name = f"matrices_cell_same_provider_{event.lower()}"
        forward.append(
            f"CREATE TRIGGER {name} BEFORE {event} ON matrices_cell WHEN {cell} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE_CELL}'); END;"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name};")
        name = f"matrices_duty_same_provider_{event.lower()}"
        forward.append(
            f"CREATE TRIGGER {name} BEFORE {event} ON matrices_duty WHEN {duty} "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE_DUTY}'); END;"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name};")
    for table in AXES:
        name = f"{table}_provider_fixed"
        forward.append(
            f"CREATE TRIGGER {name} BEFORE UPDATE OF provider_id ON {table} "
            f"WHEN NEW.provider_id IS NOT OLD.provider_id "
            f"BEGIN SELECT RAISE(ABORT, '{MESSAGE_MOVE}'); END;"
        )
        backward.append(f"DROP TRIGGER IF EXISTS {name};")
    return forward, backward


def postgresql_sql() -> tuple[list[str], list[str]]:
    def function(name: str, condition: str, message: str) -> str:
        return f"""
            CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF {condition} THEN
                    RAISE EXCEPTION '{message}' USING ERRCODE = 'integrity_constraint_violation';
                END IF;
                RETURN NEW;
            END $$;
        """

    forward = [
        function("matrices_cell_same_provider", CELL_MISMATCH, MESSAGE_CELL),
        "CREATE TRIGGER matrices_cell_same_provider BEFORE INSERT OR UPDATE ON matrices_cell "
        "FOR EACH ROW EXECUTE FUNCTION matrices_cell_same_provider();",
        function("matrices_duty_same_provider", DUTY_MISMATCH, MESSAGE_DUTY),
        "CREATE TRIGGER matrices_duty_same_provider BEFORE INSERT OR UPDATE ON matrices_duty "
        "FOR EACH ROW EXECUTE FUNCTION matrices_duty_same_provider();",
        function(
            "matrices_provider_fixed", "NEW.provider_id IS DISTINCT FROM OLD.provider_id", MESSAGE_MOVE
        ),
    ]
    backward = [
        "DROP TRIGGER IF EXISTS matrices_cell_same_provider ON matrices_cell;",
        "DROP FUNCTION IF EXISTS matrices_cell_same_provider();",
        "DROP TRIGGER IF EXISTS matrices_duty_same_provider ON matrices_duty;",
        "DROP FUNCTION IF EXISTS matrices_duty_same_provider();",
    ]
    for table in AXES:
        forward.append(
            f"CREATE TRIGGER {table}_provider_fixed BEFORE UPDATE OF provider_id ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION matrices_provider_fixed();"
        )
        backward.insert(0, f"DROP TRIGGER IF EXISTS {table}_provider_fixed ON {table};")
    backward.append("DROP FUNCTION IF EXISTS matrices_provider_fixed();")
    return forward, backward


def install(apps, schema_editor) -> None:
    run(schema_editor, forward=True)


def uninstall(apps, schema_editor) -> None:
    run(schema_editor, forward=False)


def run(schema_editor, *, forward: bool) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        statements = sqlite_sql()
    elif vendor == "postgresql":
        statements = postgresql_sql()
    else:
        raise NotImplementedError(f"same-provider triggers are not written for {vendor}")
    for statement in statements[0 if forward else 1]:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("matrices", "0001_initial")]
    operations = [migrations.RunPython(install, uninstall)]
