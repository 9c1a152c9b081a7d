"""The central grant (1亿元) and the district's matching funds (1.02亿元), and the default subsidy policy."""

from django.db import migrations


def load(apps, schema_editor):
    from funding.reference import load_funds

    load_funds(apps.get_model("funding", "FundSource"), apps.get_model("funding", "SubsidyPolicy"))


def unload(apps, schema_editor):
    apps.get_model("funding", "FundSource").objects.filter(code__in=["central", "district"]).delete()


class Migration(migrations.Migration):
    dependencies = [("funding", "0001_initial")]

    operations = [migrations.RunPython(load, unload)]
