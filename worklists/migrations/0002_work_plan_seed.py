"""The work plan's tasks (three phases, ten key tasks) and the policy documents it cites."""

from django.db import migrations


def load(apps, schema_editor):
    from worklists.reference import load_work_plan

    load_work_plan(
        apps.get_model("worklists", "WorkTask"),
        apps.get_model("worklists", "PolicyDocument"),
        apps.get_model("worklists", "HistoricalWorkTask"),
        apps.get_model("worklists", "HistoricalPolicyDocument"),
    )


def unload(apps, schema_editor):
    from worklists.reference import unload_work_plan

    unload_work_plan(apps.get_model("worklists", "WorkTask"), apps.get_model("worklists", "PolicyDocument"))


class Migration(migrations.Migration):
    dependencies = [("worklists", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
