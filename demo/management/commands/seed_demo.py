"""Load deterministic demo data: users of every role, providers, evaluation bodies, ~540 enterprises,
then each app's demo records (``demo.seed``), and print the demo log-ins.

Running it twice changes nothing (the data is there already); the demo users' passwords are reset
to the printed ones on every run.
"""

import factory.random
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import translation

from accounts.models import User
from core.roles import Role
from core.selectors import unit_list
from demo.factories import DEFAULT_PASSWORD
from demo.seed.assessments import seed_assessments
from demo.seed.diagnoses import seed_diagnoses
from demo.seed.enterprises import seed_enterprises, seed_organisations
from demo.seed.funding import seed_funding
from demo.seed.providers import compute_demo_scorecards, seed_providers
from enterprises.models import Enterprise
from providers.models import EvaluationBody, Provider

SEED = "songjiang-pilot-demo"


class Command(BaseCommand):
    help = "Load deterministic demo data and print the demo log-ins."

    def handle(self, *args, **options):
        factory.random.reseed_random(SEED)
        with transaction.atomic():
            providers, bodies = seed_organisations()
            users = self._users(providers, bodies)
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
            seed_funding(district=users["district"], finance=users["finance"])
        # Keep this the last seeding step: the scorecards read every diagnosis and evaluation seeded above.
        compute_demo_scorecards(district=users["district"], period="2025")
        self._print_logins(users)

    def _user(self, username, role, display_name, **org):
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "role": role,
                "display_name": display_name,
                "is_active": True,
                "must_change_password": False,
                "is_staff": role == Role.ADMIN,
                "is_superuser": role == Role.ADMIN,
                **org,
            },
        )
        user.set_password(DEFAULT_PASSWORD)
        user.save(update_fields=["password"])
        return user

    def _users(self, providers, bodies):
        units = list(unit_list())
        users = {
            "admin": self._user("admin", Role.ADMIN, "系统管理员"),
            "district": self._user("district", Role.DISTRICT_OFFICIAL, "区经委 王科长", phone="021-57721234"),
            "finance": self._user("finance", Role.FINANCE_OFFICER, "区财政局 李会计", phone="021-57725678"),
            "auditor": self._user("auditor", Role.AUDITOR, "审计 赵审计师"),
        }
        for unit in units:
            users[f"unit_{unit.code}"] = self._user(
                f"unit_{unit.code}",
                Role.UNIT_STAFF,
                f"{unit.short_name} 企服专员",
                unit=unit,
                phone=f"1380000{unit.code[-4:]}",
            )
        for i, provider in enumerate(providers, start=1):
            users[f"provider{i}"] = self._user(
                f"provider{i}", Role.PROVIDER_USER, f"{provider.name[2:6]} 项目经理", provider=provider
            )
        for i, body in enumerate(bodies, start=1):
            users[f"evaluator{i}"] = self._user(
                f"evaluator{i}", Role.EVALUATOR, f"{body.name[2:6]} 评测员", evaluation_body=body
            )
        return users

    def _print_logins(self, users):
        with translation.override("zh-hans"):
            lines = ["", f"演示账号 Demo log-ins (password for every demo user: {DEFAULT_PASSWORD})"]
            for name in (
                "admin",
                "district",
                "finance",
                "auditor",
                "unit_310117001",
                "unit_310117501",
                "provider1",
                "evaluator1",
            ):
                user = users[name]
                org = f" · {user.organisation}" if user.organisation else ""
                lines.append(f"  {name:<22} {Role(user.role).label}{org}")
            lines.append(
                f"  (unit staff of every unit: unit_<unit code>; providers: provider1..provider{Provider.objects.count()};"
                f" evaluators: evaluator1..evaluator{EvaluationBody.objects.count()})"
            )
        self.stdout.write("\n".join([*lines, ""]))
