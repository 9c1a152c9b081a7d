"""The rhythm of reminders for funding's deadlines (funding/reminders.py): a project past its planned end, an
acceptance inspection waiting, a payment waiting for its approval or its payment."""

from django.db import migrations

RULES = [
    # kind, remind_days_before, escalate_after_days, district_after_days
    ("project_completion", 7, 14, 30),
    ("project_acceptance", 5, 7, 14),
    ("payment_approval", 2, 3, 7),
    ("payment_payment", 2, 3, 7),
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
    dependencies = [("funding", "0006_four_eyes_and_vouchers"), ("notifications", "0002_seed_reminder_rules")]

    operations = [migrations.RunPython(seed, unseed)]
