"""The 2024 edition of the MIIT index (data, from diagnostics/data/index_2024.json)."""

from django.db import migrations


def load(apps, schema_editor):
    from diagnostics.reference import app_models, load_index

    load_index(app_models(apps))


def unload(apps, schema_editor):
    apps.get_model("diagnostics", "IndexEdition").objects.filter(code="2024").delete()


class Migration(migrations.Migration):
    dependencies = [("diagnostics", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
