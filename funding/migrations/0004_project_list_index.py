"""An index for the project list's order at national size (bench/lists.py, bench/README.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0003_backfill_batch"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["-filed_on", "-id"], name="fund_project_list_order"),
        ),
    ]
