"""Load deterministic demo data: users of every role, providers, evaluation bodies, ~540 enterprises,
then each app's demo records (``demo.seed``), and print the demo log-ins.

Only where the demo is on (``PORTAL_DEMO``; the demo app is installed only then, and core's guard
command of the same name refuses everywhere else). Running it twice changes nothing (the data is there
already) and prints the same log-ins. It changes only accounts it created itself, which it records
(``demo.models.SeededAccount``; how, in demo/seed/accounts.py): an existing ``admin`` it did not create
keeps its password and rights, and the demo's administrator is made as ``admin_demo`` instead.
"""

import factory.random
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import translation

from core.demo_switch import demo_enabled, demo_off_message
from core.roles import Role
from demo.factories import DEFAULT_PASSWORD
from demo.seed.accounts import seed_accounts
from demo.seed.assessments import seed_assessments
from demo.seed.books import seed_books
from demo.seed.dataquality import seed_data_quality
from demo.seed.diagnoses import seed_diagnoses
from demo.seed.enterprises import seed_enterprises, seed_organisations
from demo.seed.events import seed_events
from demo.seed.funding import seed_funding
from demo.seed.notifications import seed_notifications
from demo.seed.providers import compute_demo_scorecards, seed_providers
from demo.seed.targets import seed_targets
from demo.seed.unitreports import seed_unit_reports
from enterprises.models import Enterprise
from providers.models import EvaluationBody, Provider
from trail.services import seal_unsealed

SEED = "songjiang-pilot-demo"
SHOWN = (
    "admin",
    "district",
    "finance",
    "finance2",
    "auditor",
    "unit_310117001",
    "unit_310117501",
    "provider1",
    "evaluator1",
)


class Command(BaseCommand):
    help = "Load deterministic demo data and print the demo log-ins."

    def handle(self, *args, **options):
        if not demo_enabled():  # the app installed by hand in settings that turn the demo off
            raise CommandError(demo_off_message())
        factory.random.reseed_random(SEED)
        with transaction.atomic():
            providers, bodies = seed_organisations()
            users = seed_accounts(providers, bodies)
            staff = {u.unit_id: u for name, u in users.items() if name.startswith("unit_")}
            if not Enterprise.objects.exists():
                seed_enterprises(providers, bodies, users["district"], staff)
            seed_providers(district=users["district"], unit_staff=staff)
            # On-site evaluations (baseline and post) that set the enterprises' levels.
            seed_assessments(district=users["district"])
            # Diagnosis reports (一企一报告) and deadlines; after the providers' products exist.
            seed_diagnoses(district=users["district"])
            # Projects, acceptances, recognitions, the fund ledger and the financing list; after the
            # diagnoses and evaluations they build on.
            seed_funding(district=users["district"], finance=users["finance"], cashier=users["finance2"])
            # The units' shares of the district targets (the heat map, the unit dashboards, the assessment).
            seed_targets(district=users["district"])
            # Training, outreach and matchmaking events with their invitations and attendance.
            seed_events(district=users["district"], unit_staff=staff)
        # Keep this the last seeding step: the scorecards read every diagnosis and evaluation seeded above.
        compute_demo_scorecards(district=users["district"], period="2025")
        # After everything else is seeded: the preparation months are closed, with one approved exception.
        seed_books(district=users["district"], finance=users["finance"])
        # The reporting rhythm (定期上报): rounds and the units' reports, from the figures seeded above.
        seed_unit_reports(district=users["district"], staff=staff)
        # Planted duplicates, gaps and stale records for the data-quality centre to find.
        seed_data_quality(district=users["district"])
        # Last: one notification of every kind in the demo inboxes (after the events that notify for real).
        seed_notifications(users)
        # The seed writes some rows in bulk (no history signal): seal them into the audit trail too.
        seal_unsealed()
        self._print_logins(users)

    def _print_logins(self, users):
        with translation.override("zh-hans"):
            lines = ["", f"演示账号 Demo log-ins (password for every demo user: {DEFAULT_PASSWORD})"]
            for key in SHOWN:
                user = users[key]
                org = f" · {user.organisation}" if user.organisation else ""
                lines.append(f"  {user.username:<22} {Role(user.role).label}{org}")
            lines.append(
                f"  (unit staff of every unit: unit_<unit code>; providers: provider1..provider{Provider.objects.count()};"
                f" evaluators: evaluator1..evaluator{EvaluationBody.objects.count()})"
            )
            lines += [
                f"  ({key}: that user name belongs to an account seed_demo did not create, left as it is;"
                f" the demo's is {user.username})"
                for key, user in users.items()
                if user.username != key
            ]
        self.stdout.write("\n".join([*lines, ""]))
