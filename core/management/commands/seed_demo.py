"""``seed_demo`` where the demo is off: it says why and exits non-zero, touching nothing.

The real command is the demo app's (demo/management/commands/seed_demo.py). That app is installed only
with ``PORTAL_DEMO`` on, and then ahead of ``core`` in ``INSTALLED_APPS``, so that its command of the same
name wins over this one (Django takes a command from the first app that has it)."""

from django.core.management.base import BaseCommand, CommandError

from core.demo_switch import demo_off_message


class Command(BaseCommand):
    help = "Refuses to run: the demo is off in these settings (PORTAL_DEMO)."
    # It reads neither the database nor the code it would check: say no at once.
    requires_system_checks = []

    def handle(self, *args, **options):
        raise CommandError(demo_off_message())
