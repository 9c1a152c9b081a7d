from django.core.management.base import BaseCommand, CommandError

from trail.selectors import verify_chain


class Command(BaseCommand):
    help = "Recompute every digest of the audit trail; exit non-zero when the chain is broken."

    def handle(self, *args, **options):
        result = verify_chain()
        self.stdout.write(f"entries={result.entries} head={result.head}")
        if not result.ok:
            broken = result.first_broken
            raise CommandError(
                f"audit chain broken at entry {broken['entry']} ({broken['record']}): {broken['reason']}"
            )
        self.stdout.write(self.style.SUCCESS("audit chain ok"))
