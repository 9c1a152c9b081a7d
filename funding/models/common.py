"""What the funding models share: the money field, and the two scoping rules of ledger money."""

from django.db import models
from django.db.models import Q

from core.roles import GLOBAL_READ_ROLES, Role, role_of
from core.scoping import EnterpriseScopedQuerySet


def money(verbose_name, **kwargs):
    return models.DecimalField(verbose_name, max_digits=16, decimal_places=2, **kwargs)


#: Roles that read the whole ledger: fund sources, budget lines, every commitment and payment.
LEDGER_READ_ROLES = GLOBAL_READ_ROLES


class LedgerQuerySet(models.QuerySet):
    """Fund sources and budget lines: read by the ledger's readers (the district, finance officers,
    auditors, admins); by nobody else, whatever the path (page, API, export, PDF)."""

    def visible_to(self, viewer):
        return self if role_of(viewer) in LEDGER_READ_ROLES else self.none()


class EnterpriseMoneyQuerySet(EnterpriseScopedQuerySet):
    """Money granted to an enterprise (commitments, their lines, payments, interest subsidies): the
    ledger's readers see all of it; unit staff the money of their own unit's enterprises; provider
    users and evaluators none, even for the enterprises they serve."""

    def scope_filter(self, viewer, role):
        if role == Role.UNIT_STAFF:
            return super().scope_filter(viewer, role)
        return Q(pk__in=[])
