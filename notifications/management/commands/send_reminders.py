"""``manage.py send_reminders``: today's reminder and escalation pass over the deadlines; the mail goes out
before the command ends (docs/api.md "Users and notifications")."""

import datetime

from django.core.management.base import BaseCommand

from notifications import reminders


class Command(BaseCommand):
    help = "Send today's deadline reminders and escalations, the daily digests, and every pending e-mail."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        counts = reminders.reminders_run(today=options["today"])
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
