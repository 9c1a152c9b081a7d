"""The rhythm of reminders for the three kinds of deadline the district sets (diagnostics.DeadlineKind):
three days' notice, then the unit after a week overdue and the district after two."""

from django.db import migrations

RULES = [
    # kind, remind_days_before, escalate_after_days, district_after_days
    ("diagnosis", 3, 7, 14),
    ("transformation", 7, 14, 30),
    ("evaluation", 3, 7, 14),
]


def seed(apps, schema_editor):
    ReminderRule = apps.get_model("notifications", "ReminderRule")
    for kind, before, unit, district in RULES:
        ReminderRule.objects.get_or_create(
            kind=kind,
            defaults={"remind_days_before": before, "escalate_after_days": unit, "district_after_days": district},
        )


def unseed(apps, schema_editor):
    apps.get_model("notifications", "ReminderRule").objects.filter(kind__in=[r[0] for r in RULES]).delete()


class Migration(migrations.Migration):
    dependencies = [("notifications", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
