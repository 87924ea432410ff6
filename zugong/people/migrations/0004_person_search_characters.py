"""PostgreSQL only: GIN indexes on the characters of a person's name and post.

The people search is "name or post contains the text". A leading-wildcard LIKE cannot use
a B-tree index, and pg_trgm needs three characters while most Chinese names have two or
three, so a province-wide search for a full name scanned all 80,000 rows (37 ms). These
indexes answer "has every character of the text", which the search puts in front of the
LIKE on PostgreSQL (``people.selectors.text_search_q``). SQLite holds one county and keeps
the plain LIKE.
"""

from django.db import migrations

INDEXES = {
    "person_name_chars": "name",
    "person_post_chars": "current_post",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON people_person "
            f"USING gin (string_to_array({column}, NULL))")
    # The planner needs the characters' frequencies (gathered per expression index) at
    # once; until autovacuum's next ANALYZE it would guess and read thousands of rows.
    schema_editor.execute("ANALYZE people_person")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("people", "0003_orgunit_depth_path"),
    ]

    operations = [migrations.RunPython(create, drop)]
