"""History is never pruned (docs/architecture.md "The audit trail").

django-simple-history ships ``clean_old_history`` and ``clean_duplicate_history``, which delete history rows.
Every history row is an entry of the audit chain, so deleting one would break verification and lose the
evidence the chain exists to keep. The trail app is listed ahead of ``simple_history`` in ``INSTALLED_APPS``
so that its commands of those names (Django takes a command from the first app that has it) win and refuse.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class RefusePruning(BaseCommand):
    help = "Refuses to run: the portal keeps its history forever (it is the audit trail)."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*")
        parser.add_argument("--days", "-d", type=int)
        parser.add_argument("--auto", action="store_true")
        parser.add_argument("--dry", action="store_true")
        parser.add_argument("--excluded_fields", nargs="*")
        parser.add_argument("--base-manager", action="store_true")

    def handle(self, *args, **options):
        raise CommandError(
            _(
                "History is never pruned: every history row is an entry of the audit chain, and deleting one "
                "would break its verification. Nothing was deleted."
            )
        )
