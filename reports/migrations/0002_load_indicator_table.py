"""The district's indicator table (docs/domain.md §6): periods, the 13 indicators + 1+2 + R1–R3, district targets."""

from django.db import migrations


def load(apps, schema_editor):
    from reports.reference import load_indicators

    load_indicators(
        apps.get_model("reports", "ReportingPeriod"),
        apps.get_model("reports", "Indicator"),
        apps.get_model("reports", "IndicatorTarget"),
    )


def unload(apps, schema_editor):
    apps.get_model("reports", "Indicator").objects.all().delete()
    apps.get_model("reports", "ReportingPeriod").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
