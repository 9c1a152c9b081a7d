"""Reference data: the district and its 18 units, from core/data/units_310117.json."""

from django.db import migrations

from core.reference import load_units


def forwards(apps, schema_editor):
    load_units(apps.get_model("core", "OrgUnit"))


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
