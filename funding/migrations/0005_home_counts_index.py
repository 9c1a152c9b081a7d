"""An index for a status's projects in filing order: the home page's "projects to approve" (its
first rows and its count) at 100,000 enterprises (bench/pages.py)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("funding", "0004_project_list_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="project",
            index=models.Index(fields=["status", "filed_on", "id"], name="fund_project_status_filed"),
        ),
    ]
