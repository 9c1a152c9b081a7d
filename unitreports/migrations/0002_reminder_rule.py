"""The rhythm of reminders for unit reports: three days' notice, the unit's staff again after three overdue days,
the district after a week."""

from django.db import migrations


def seed(apps, schema_editor):
    apps.get_model("notifications", "ReminderRule").objects.get_or_create(
        kind="unit_report", defaults={"remind_days_before": 3, "escalate_after_days": 3, "district_after_days": 7}
    )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "ReminderRule").objects.filter(kind="unit_report").delete()


class Migration(migrations.Migration):
    dependencies = [("unitreports", "0001_initial"), ("notifications", "0002_seed_reminder_rules")]

    operations = [migrations.RunPython(seed, unseed)]
