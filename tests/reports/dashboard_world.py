"""A fixture of the dashboard tests (`dash`): small programme states built by hand."""

import datetime
from decimal import Decimal

import pytest

from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from enterprises.choices import Scale, Sector, Size, Status
from funding.choices import BudgetPurpose, CommitmentStatus, DisbursementStatus, ProjectStatus
from funding.models import Acceptance, BudgetLine, Commitment, CommitmentLine, Disbursement, FundSource, Project
from tests.factories import EnterpriseFactory, ProviderFactory

D = datetime.date


@pytest.fixture
def dash(units):
    """Builds enterprises, acceptances, evaluations and money for the dashboard tests."""
    edition = IndexEdition.objects.get(is_current=True)
    provider = ProviderFactory()

    class State:
        def enterprise(self, unit="310117104", **kwargs):
            kwargs.setdefault("size", Size.SMALL)
            kwargs.setdefault("scale", Scale.ABOVE)
            kwargs.setdefault("sector", Sector.AUTO_PARTS)
            kwargs.setdefault("status", Status.ACTIVE)
            return EnterpriseFactory(unit=units[unit], **kwargs)

        def transformed(self, on, unit="310117104", **kwargs):
            enterprise = self.enterprise(unit, **kwargs)
            Diagnosis.objects.create(
                edition=edition, enterprise=enterprise, provider=provider,
                status=DiagnosisStatus.ACCEPTED, is_current=True, accepted_on=D(2024, 12, 1),
            )  # fmt: skip
            project = Project.objects.create(
                enterprise=enterprise, provider=provider, contract_no=f"C-{Project.objects.count() + 1}",
                total_investment=Decimal("100000"), filed_on=D(2024, 12, 1), status=ProjectStatus.PASSED,
                accepted_on=on, acceptance_attempts=1,
            )  # fmt: skip
            Acceptance.objects.create(project=project, attempt=1, accepted_on=on, passed=True)
            return enterprise

        def evaluation(self, enterprise, stage, level, on, method=Method.ONSITE):
            return Assessment.objects.create(
                edition=edition, enterprise=enterprise, stage=stage, method=method,
                status=AssessmentStatus.SUBMITTED, evaluated_on=on, level=level,
            )  # fmt: skip

        def money(self, enterprise, committed, paid=None, source="central"):
            line, _ = BudgetLine.objects.get_or_create(
                source=FundSource.objects.get(code=source),
                purpose=BudgetPurpose.SME_TRANSFORMATION,
                defaults={"name": "SME", "amount": Decimal("80000000")},
            )
            commitment = Commitment.objects.create(
                title=f"补贴 {enterprise.name}", enterprise=enterprise, committed_on=D(2025, 7, 1),
                status=CommitmentStatus.ACTIVE,
            )  # fmt: skip
            commitment_line = CommitmentLine.objects.create(
                commitment=commitment, budget_line=line, amount=Decimal(committed)
            )
            if paid:
                Disbursement.objects.create(
                    commitment_line=commitment_line, amount=Decimal(paid), status=DisbursementStatus.PAID,
                    requested_on=D(2025, 8, 1), paid_on=D(2025, 8, 10),
                )  # fmt: skip
            return commitment

    State.Stage = Stage
    return State()
