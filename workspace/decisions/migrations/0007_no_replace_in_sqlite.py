"""SQLite's INSERT OR REPLACE deletes the row it conflicts with without firing its DELETE
triggers (recursive triggers are off), so it rewrote an event past 0005's triggers: a
BEFORE INSERT trigger refuses a row whose id is already taken. PostgreSQL needs none: an
INSERT … ON CONFLICT DO UPDATE fires 0005's BEFORE UPDATE trigger."""

from importlib import import_module

from django.db import migrations

append_only = import_module("workspace.decisions.migrations.0005_append_only_in_the_database")


def sqlite_forwards() -> list[str]:
    return [f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
            f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{table}: events are append-only, "
            f"never changed nor deleted (record a new event)'); END"
            for table in append_only.EVENT_TABLES]


def sqlite_backwards() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {table}_no_replace" for table in append_only.EVENT_TABLES]


class Migration(migrations.Migration):

    dependencies = [
        ("decisions", "0006_unassignment"),
    ]

    operations = [
        append_only.PerVendorSQL(
            sql={"sqlite": sqlite_forwards(), "postgresql": []},
            reverse_sql={"sqlite": sqlite_backwards(), "postgresql": []},
        ),
    ]
