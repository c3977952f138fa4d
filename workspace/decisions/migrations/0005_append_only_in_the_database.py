"""The event tables refuse UPDATE and DELETE in the database itself, whoever writes (the
models refuse them too, but a raw SQL statement or another client would not go through
them). SQLite: BEFORE UPDATE / BEFORE DELETE triggers that abort; PostgreSQL: one trigger
function raising an integrity error (restrict_violation), fired before UPDATE or DELETE
of each row and before TRUNCATE. The access log (accounts.PageView) is not an event
table: its old rows are trimmed after the retention period, so it is left out."""

from django.db import migrations

EVENT_TABLES = ("decisions_decisionevent", "decisions_identitydecision")
FUNCTION = "decisions_refuse_change"


def sqlite_forwards() -> list[str]:
    return [f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table}: events are append-only, "
            f"never changed nor deleted (record a new event)'); END"
            for table in EVENT_TABLES for verb in ("UPDATE", "DELETE")]


def sqlite_backwards() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_{verb.lower()}"
            for table in EVENT_TABLES for verb in ("UPDATE", "DELETE")]


def postgresql_forwards() -> list[str]:
    function = (
        f"CREATE OR REPLACE FUNCTION {FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
        "BEGIN RAISE EXCEPTION '%: events are append-only, never changed nor deleted "
        "(record a new event)', TG_TABLE_NAME USING ERRCODE = 'restrict_violation'; "
        "END $$")
    triggers = []
    for table in EVENT_TABLES:
        triggers += [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION {FUNCTION}()",
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            f"FOR EACH STATEMENT EXECUTE FUNCTION {FUNCTION}()"]
    return [function, *triggers]


def postgresql_backwards() -> list[str]:
    drops = [f"DROP TRIGGER IF EXISTS {table}_{name} ON {table}"
             for table in EVENT_TABLES for name in ("append_only", "no_truncate")]
    return [*drops, f"DROP FUNCTION IF EXISTS {FUNCTION}()"]


class PerVendorSQL(migrations.RunSQL):
    """RunSQL whose statements depend on the database: `sql` and `reverse_sql` map a
    Django vendor ("sqlite", "postgresql") to its list of statements."""

    def _run_sql(self, schema_editor, sqls):
        vendor = schema_editor.connection.vendor
        if vendor not in sqls:
            raise NotImplementedError(
                f"append-only triggers are written for {sorted(sqls)}, not {vendor}")
        super()._run_sql(schema_editor, sqls[vendor])


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0004_assignment"),
    ]

    operations = [
        PerVendorSQL(
            sql={"sqlite": sqlite_forwards(), "postgresql": postgresql_forwards()},
            reverse_sql={"sqlite": sqlite_backwards(), "postgresql": postgresql_backwards()},
        ),
    ]
