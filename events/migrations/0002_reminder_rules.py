"""The rhythm of the two event reminders: the day before an event; a sign-in sheet overdue the day after it falls
due, the organiser unit after three overdue days and the district after seven."""

from django.db import migrations

RULES = [
    # kind, remind_days_before, escalate_after_days, district_after_days
    ("event", 1, 30, 30),
    ("event_sign_in", 0, 3, 7),
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
    dependencies = [("events", "0001_initial"), ("notifications", "0002_seed_reminder_rules")]

    operations = [migrations.RunPython(seed, unseed)]
