from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive provider (diagnosis + integrated solutions)")
    SPECIALISED = "specialised", _("Specialised provider")


class PoolStatus(models.TextChoices):
    """A provider's standing in the district's resource pool (资源池)."""

    APPLIED = "applied", _("Applied")
    IN_POOL = "in_pool", _("In the resource pool")
    SUSPENDED = "suspended", _("Suspended")
    REMOVED = "removed", _("Removed from the pool")


class PriceModel(models.TextChoices):
    SUBSCRIPTION = "subscription", _("Subscription (SaaS)")
    ONE_OFF = "one_off", _("One-off licence")
    PROJECT = "project", _("Priced per project")
    FREE = "free", _("Free of charge")
