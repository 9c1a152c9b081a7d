"""The funding app's data, by area: projects (and acceptance), recognitions, the ledger, financing.

Every model is importable from ``funding.models``; the history back-fill's upload record
(``BackfillBatch``) lives with the back-fill and is re-exported here.
"""

from .backfill import BackfillBatch
from .common import LEDGER_READ_ROLES, EnterpriseMoneyQuerySet, LedgerQuerySet, money
from .financing import FinancialProduct, InterestSubsidy
from .ledger import BudgetLine, Commitment, CommitmentLine, Disbursement, FundSource, SubsidyPolicy
from .projects import Acceptance, AcceptanceCorrection, Project, ProjectTransition
from .recognitions import Recognition

__all__ = [
    "LEDGER_READ_ROLES",
    "Acceptance",
    "AcceptanceCorrection",
    "BackfillBatch",
    "BudgetLine",
    "Commitment",
    "CommitmentLine",
    "Disbursement",
    "EnterpriseMoneyQuerySet",
    "FinancialProduct",
    "FundSource",
    "InterestSubsidy",
    "LedgerQuerySet",
    "Project",
    "ProjectTransition",
    "Recognition",
    "SubsidyPolicy",
    "money",
]
