from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectStatus(models.TextChoices):
    FILED = "filed", _("Filed")
    APPROVED = "approved", _("Approved, in progress")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
    PASSED = "passed", _("Passed acceptance")
    FAILED = "failed", _("Failed acceptance")
    CANCELLED = "cancelled", _("Cancelled")


class ProjectAction(models.TextChoices):
    FILE = "file", _("Filed")
    APPROVE = "approve", _("Approved")
    PROGRESS = "progress", _("Progress reported")
    REQUEST_ACCEPTANCE = "request_acceptance", _("Acceptance requested")
    PASS = "pass", _("Passed acceptance")
    FAIL = "fail", _("Failed acceptance")
    CORRECT = "correct", _("Acceptance corrected")
    CANCEL = "cancel", _("Cancelled")


class RecognitionKind(models.TextChoices):
    DIGITAL_WORKSHOP = "digital_workshop", _("Digital workshop")
    SMART_FACTORY = "smart_factory", _("Smart factory")
    DEMO_SCENARIO = "demo_scenario", _("Demonstration scenario")
    TYPICAL_SCENARIO = "typical_scenario", _("Typical scenario case")
    CHAIN_MODEL = "chain_model", _("Chain-transformation model")
    PLATFORM = "platform", _("Public service platform")


class RecognitionLevel(models.TextChoices):
    DISTRICT = "district", _("District")
    MUNICIPAL = "municipal", _("Municipal")
    NATIONAL = "national", _("National")


class FundSourceKind(models.TextChoices):
    CENTRAL = "central", _("Central grant")
    DISTRICT = "district", _("District matching funds")


class BudgetPurpose(models.TextChoices):
    # Central grant: at least 80% to SME transformation (and diagnosis) subsidies ...
    SME_TRANSFORMATION = "sme_transformation", _("SME transformation and diagnosis subsidies")
    # ... and at most 20% to these four together.
    PLATFORM = "platform", _("Platforms")
    PROVIDER_CAPABILITY = "provider_capability", _("Providers' capability")
    CHAIN_TRANSFORMATION = "chain_transformation", _("Chain transformation")
    PURCHASED_SERVICES = "purchased_services", _("Purchased services")
    # District funds.
    BENCHMARK_DEMO = "benchmark_demo", _("Benchmark demonstrations")
    CHAIN_MODEL = "chain_model", _("Chain models")
    PROCESS_MANAGEMENT = "process_management", _("Whole-process management")
    PUBLIC_PLATFORM = "public_platform", _("Public service platform")
    INTEREST_SUBSIDY = "interest_subsidy", _("Loan interest and fee subsidies")
    PUBLICITY = "publicity", _("Publicity and matchmaking")
    EVALUATION_ACCEPTANCE = "evaluation_acceptance", _("Evaluation and acceptance")
    AUDIT = "audit", _("Audit")


#: Purposes of the central grant that together may take at most 20% of it.
CENTRAL_CAPPED_PURPOSES = frozenset(
    {
        BudgetPurpose.PLATFORM,
        BudgetPurpose.PROVIDER_CAPABILITY,
        BudgetPurpose.CHAIN_TRANSFORMATION,
        BudgetPurpose.PURCHASED_SERVICES,
    }
)
#: The central purpose that should take at least 80% of it (reported, not blocked).
CENTRAL_FLOOR_PURPOSES = frozenset({BudgetPurpose.SME_TRANSFORMATION})
PURPOSES_BY_SOURCE = {
    FundSourceKind.CENTRAL: frozenset(CENTRAL_CAPPED_PURPOSES | CENTRAL_FLOOR_PURPOSES),
    FundSourceKind.DISTRICT: frozenset(
        {
            BudgetPurpose.BENCHMARK_DEMO,
            BudgetPurpose.CHAIN_MODEL,
            BudgetPurpose.PROCESS_MANAGEMENT,
            BudgetPurpose.PUBLIC_PLATFORM,
            BudgetPurpose.INTEREST_SUBSIDY,
            BudgetPurpose.PUBLICITY,
            BudgetPurpose.EVALUATION_ACCEPTANCE,
            BudgetPurpose.AUDIT,
        }
    ),
}


class CommitmentStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    CANCELLED = "cancelled", _("Cancelled")


class DisbursementStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    REJECTED = "rejected", _("Rejected")
