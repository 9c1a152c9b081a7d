"""Codes of docs/api.md ("Data quality")."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class FindingKind(models.TextChoices):
    DUPLICATE_NAME = "duplicate_name", _("Same name as another enterprise")
    SIMILAR_NAME = "similar_name", _("Name very like another enterprise's")
    SHARED_PHONE = "shared_phone", _("Same phone as another enterprise")
    SHARED_ADDRESS = "shared_address", _("Same address as another enterprise")
    MISSING_CONTACT = "missing_contact", _("No contact person or phone")
    MISSING_EMPLOYEES = "missing_employees", _("No employee count")
    MISSING_REVENUE = "missing_revenue", _("No revenue")
    MISSING_ADDRESS = "missing_address", _("No registered or production address")
    STALE = "stale", _("Not updated for a long time")
    REVENUE_OUTLIER = "revenue_outlier", _("Revenue per employee far from the sector's")
    EMPLOYEES_OUTLIER = "employees_outlier", _("Employee count far from the sector's")
    CODE_OVERRIDE = "code_override", _("Credit code accepted over its check character")
    CLOUD_UNEVIDENCED = "cloud_unevidenced", _("Cloud adoption without evidence")


#: Kinds computed by the refresh task (the others are computed when read).
REFRESHED_KINDS = (FindingKind.SIMILAR_NAME, FindingKind.REVENUE_OUTLIER, FindingKind.EMPLOYEES_OUTLIER)
#: Kinds that name another enterprise (the pair).
PAIR_KINDS = (
    FindingKind.DUPLICATE_NAME,
    FindingKind.SIMILAR_NAME,
    FindingKind.SHARED_PHONE,
    FindingKind.SHARED_ADDRESS,
)


class Resolution(models.TextChoices):
    FIXED = "fixed", _("Fixed")
    NOT_A_PROBLEM = "not_a_problem", _("Not a problem")
