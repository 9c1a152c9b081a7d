"""Indexes for the diagnosis report list at national size (bench/lists.py, bench/README.md)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("diagnostics", "0002_load_index_2024"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="diagnosis",
            index=models.Index(fields=["-updated_at", "-id"], name="diag_report_list_order"),
        ),
        migrations.AddIndex(
            model_name="diagnosis",
            index=models.Index(fields=["status", "enterprise"], name="diag_status_enterprise"),
        ),
    ]
