"""A trigram (pg_trgm) GIN index on the enterprises' normalised name, for the near-duplicate search of the
refresh task (``similarity`` with the ``%`` operator). PostgreSQL only: on SQLite it does nothing, and the
centre says the near-duplicate search is not available. The extension itself is created by
``enterprises`` 0003."""

from django.db import migrations


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        'CREATE INDEX IF NOT EXISTS "ent_name_key_trgm" ON "enterprises_enterprise" USING gin ("name_key" gin_trgm_ops)'
    )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute('DROP INDEX IF EXISTS "ent_name_key_trgm"')


class Migration(migrations.Migration):
    dependencies = [
        ("dataquality", "0001_initial"),
        ("enterprises", "0004_name_key_merge"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
