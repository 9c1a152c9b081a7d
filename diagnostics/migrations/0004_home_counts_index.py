"""An index for the review queue's order: the home page's to-do list of submitted reports at
100,000 enterprises (bench/pages.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0003_diagnosis_list_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="diagnosis",
            index=models.Index(fields=["status", "last_submitted_on", "id"], name="diag_status_submitted_order"),
        ),
    ]
