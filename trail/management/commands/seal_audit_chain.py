from django.core.management.base import BaseCommand

from trail.services import seal_unsealed


class Command(BaseCommand):
    help = "Seal every history row not yet in the audit trail (rows written before the trail, or left by a crash)."

    def handle(self, *args, **options):
        self.stdout.write(f"sealed {seal_unsealed()} history rows")
