"""The scoring template's parts and their starting weights (docs/domain.md "Street/town assessment")."""

from django.db import migrations


def load(apps, schema_editor):
    from unitassessments.reference import load_parts

    load_parts(apps.get_model("unitassessments", "AssessmentPart"))


def unload(apps, schema_editor):
    apps.get_model("unitassessments", "AssessmentPart").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("unitassessments", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
