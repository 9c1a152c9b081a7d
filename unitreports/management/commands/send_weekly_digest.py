"""``manage.py send_weekly_digest``: last week's district digest to the district officials (once a week each)."""

import datetime

from django.core.management.base import BaseCommand

from unitreports import digest


class Command(BaseCommand):
    help = "Send last week's district digest to the district officials (once per person and week)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=datetime.date.fromisoformat, default=None, help="YYYY-MM-DD")

    def handle(self, *args, **options):
        counts = digest.weekly_digest_run(today=options["today"])
        self.stdout.write(" ".join(f"{k}={v}" for k, v in counts.items()))
