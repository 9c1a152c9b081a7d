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


#: The 16 scenes of 数字化经营 (docs/api.md "Scene codes", docs/domain.md §5 order) with their Chinese
#: names. Providers sits left of diagnostics, so the codes a provider or product covers are checked
#: against this constant list rather than the index data (diagnostics.models.Scene carries the same codes).
SCENE_CODES = (
    ("product_design", "产品设计"),
    ("process_design", "工艺设计"),
    ("marketing", "营销管理"),
    ("after_sales", "售后服务"),
    ("planning_scheduling", "计划排程"),
    ("production_control", "生产管控"),
    ("quality_management", "质量管理"),
    ("equipment_management", "设备管理"),
    ("safety", "安全生产"),
    ("energy_management", "能耗管理"),
    ("procurement", "采购管理"),
    ("warehousing_logistics", "仓储物流"),
    ("finance", "财务管理"),
    ("human_resources", "人力资源"),
    ("collaboration", "协同办公"),
    ("decision_support", "决策支持"),
)
SCENE_LABELS = dict(SCENE_CODES)


class ProviderEventKind(models.TextChoices):
    """Dated events in a provider's standing that the district records (besides field history)."""

    POOL_STATUS = "pool_status", _("Resource pool status changed")
    KEY_DESIGNATED = "key_designated", _("Designated a key provider")
    KEY_REVOKED = "key_revoked", _("Key-provider designation revoked")
