"""Helpers of the report tests: a builder of small programme states by hand, the reporting windows the
counting tests use, and stored snapshots as the snapshot task leaves them."""

import datetime
from decimal import Decimal

from django.test import Client
from django.utils import timezone

from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis, IndexEdition
from funding.choices import BudgetPurpose, CommitmentStatus, DisbursementStatus, ProjectStatus, RecognitionLevel
from funding.models import (
    Acceptance,
    BudgetLine,
    Commitment,
    CommitmentLine,
    Disbursement,
    FundSource,
    Project,
    Recognition,
)
from reports.models import ReportingPeriod, ReportSnapshot
from reports.selectors import indicators
from tests.factories import EnterpriseFactory, ProviderFactory

D = datetime.date
Y2025 = {"start": D(2024, 10, 1), "end": D(2025, 12, 31)}
Y2026 = {"start": D(2026, 1, 1), "end": D(2026, 10, 31)}


class ProgrammeBuilder:
    """Builds one small programme state: enterprises (of ``unit`` unless told, with
    ``enterprise_defaults``), accepted diagnoses, passed acceptances, evaluations, recognitions and
    subsidy money, all served by one provider.

    ``diagnosed_on`` and ``filed_on`` date the diagnosis and the project behind every acceptance; a unit
    is given as an ``OrgUnit`` or by its code."""

    Stage = Stage

    def __init__(self, units, *, unit, provider=None, diagnosed_on, filed_on, **enterprise_defaults):
        self.units = units
        self.unit = units[unit]
        self.provider = provider or ProviderFactory()
        self.edition = IndexEdition.objects.get(is_current=True)
        self.diagnosed_on = diagnosed_on
        self.filed_on = filed_on
        self.enterprise_defaults = enterprise_defaults

    def _unit(self, unit):
        if unit is None:
            return self.unit
        return self.units[unit] if isinstance(unit, str) else unit

    def enterprise(self, unit=None, **kwargs):
        return EnterpriseFactory(unit=self._unit(unit), **{**self.enterprise_defaults, **kwargs})

    def diagnosis(self, enterprise, *, status=DiagnosisStatus.ACCEPTED, current=True):
        return Diagnosis.objects.create(
            edition=self.edition,
            enterprise=enterprise,
            provider=self.provider,
            status=status,
            is_current=current,
            accepted_on=self.diagnosed_on if status == DiagnosisStatus.ACCEPTED else None,
        )

    def acceptance(self, enterprise, on, *, passed=True):
        project = Project.objects.create(
            enterprise=enterprise,
            provider=self.provider,
            contract_no=f"C-{Project.objects.count() + 1}",
            total_investment=Decimal("100000"),
            filed_on=self.filed_on,
            status=ProjectStatus.PASSED if passed else ProjectStatus.FAILED,
            accepted_on=on if passed else None,
            acceptance_attempts=1,
        )
        return Acceptance.objects.create(project=project, attempt=1, accepted_on=on, passed=passed)

    def transformed(self, on, unit=None, *, diagnosed=True, **kwargs):
        """A pilot enterprise with (unless ``diagnosed`` is false) an accepted current diagnosis, that
        passed acceptance on ``on``."""
        enterprise = self.enterprise(unit, **kwargs)
        if diagnosed:
            self.diagnosis(enterprise)
        self.acceptance(enterprise, on)
        return enterprise

    def evaluation(self, enterprise, stage, level, on, *, method=Method.ONSITE, status=AssessmentStatus.SUBMITTED):
        return Assessment.objects.create(
            edition=self.edition,
            enterprise=enterprise,
            stage=stage,
            method=method,
            status=status,
            evaluated_on=on,
            level=level,
        )

    def recognition(self, kind, on, *, level=RecognitionLevel.DISTRICT, enterprise=None, members=()):
        recognition = Recognition.objects.create(
            kind=kind, level=level, recognised_on=on, title=f"{kind} {on}", enterprise=enterprise
        )
        if members:
            recognition.members.set(members)
        return recognition

    def money(self, enterprise, committed, paid=None, source="central"):
        """A subsidy of ``committed`` on the source's SME line, of which ``paid`` is paid."""
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


# --- snapshots ----------------------------------------------------------------------------------


def page(user):
    """A test client signed in as ``user`` (anonymous for ``None``)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def snapshot(period_code="2026", *, unit=None, as_of=None, status="done", trigger="request", hour=1, by=None):
    """A stored snapshot as the task leaves it (rows with ids; the annex for a district snapshot)."""
    as_of = as_of or D(2026, 3, 1)
    rows = [
        {
            "number": number,
            "name": f"指标{number}",
            "unit_of_measure": "%" if number.startswith("R") else "家",
            "target": "0.9" if number.startswith("R") else "10",
            "actual": "0.5" if number.startswith("R") else "2",
            "completion": None,
            "record_type": "enterprise",
            "ids": [],
            **({"denominator_ids": []} if number.startswith("R") else {}),
        }
        for number in indicators.NUMBERS
    ]
    annex = []
    if unit is None:
        annex = [
            {
                "unit": "310117001",
                "name": "岳阳街道",
                "indicators": [
                    {"number": n, "target": "4", "actual": "3", "completion": "0.75"} for n in indicators.NUMBERS
                ],
            }
        ]
    created = ReportSnapshot.objects.create(
        period=ReportingPeriod.objects.get(code=period_code),
        unit=unit,
        as_of=as_of,
        status=status,
        trigger=trigger,
        indicators=rows if status == "done" else [],
        units=annex if status == "done" else [],
        requested_by=by,
    )
    finished = timezone.make_aware(datetime.datetime(2026, 3, 1, hour)) if status in ("done", "failed") else None
    ReportSnapshot.objects.filter(pk=created.pk).update(finished_at=finished)
    created.refresh_from_db()
    return created
