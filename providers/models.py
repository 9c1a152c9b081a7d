"""Service providers, evaluation bodies, and the district's assignment of enterprises to them."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet, ScopedQuerySet

from .choices import PoolStatus, PriceModel, ProviderType


class ProviderQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        # The resource pool is published to units and evaluators; a provider sees its own record.
        if role == Role.PROVIDER_USER:
            return Q(pk=viewer.provider_id)
        return Q()


class Provider(models.Model):
    """A service provider (服务商) in the district's resource pool: diagnoses and transforms enterprises."""

    credit_code = models.CharField(_("credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    type = models.CharField(_("type"), max_length=20, choices=ProviderType.choices)
    key_provider_since = models.DateField(_("key provider since"), null=True, blank=True)
    pool_status = models.CharField(
        _("resource pool status"), max_length=16, choices=PoolStatus.choices, default=PoolStatus.IN_POOL
    )
    #: Sector codes (enterprises.choices.Sector) and scene codes (diagnostics) the provider serves.
    sectors = models.JSONField(_("sectors served"), default=list, blank=True)
    scenes = models.JSONField(_("scenes served"), default=list, blank=True)
    qualifications = models.TextField(_("qualifications"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProviderQuerySet.as_manager()

    class Meta:
        verbose_name = _("service provider")
        verbose_name_plural = _("service providers")
        ordering = ["name"]

    def __str__(self):
        return self.name


class EvaluationBodyQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        if role == Role.EVALUATOR:
            return Q(pk=viewer.evaluation_body_id)
        if role == Role.PROVIDER_USER:
            return Q(pk__in=[])
        return Q()


class EvaluationBody(models.Model):
    """A third-party evaluation body (第三方机构): evaluates levels on site and accepts projects."""

    credit_code = models.CharField(_("credit code"), max_length=18, unique=True)
    name = models.CharField(_("name"), max_length=200)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = EvaluationBodyQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluation body")
        verbose_name_plural = _("evaluation bodies")
        ordering = ["name"]

    def __str__(self):
        return self.name


class ProviderAssignment(models.Model):
    """The district assigns an enterprise to a provider (which then sees and serves it)."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="provider_assignments",
    )
    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider assignment")
        verbose_name_plural = _("provider assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "provider"],
                name="providers_assignment_unique",
                violation_error_message=_("This enterprise is already assigned to this provider."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.provider}"


class EvaluatorAssignment(models.Model):
    """The district assigns an enterprise to a third-party evaluation body for on-site evaluation."""

    enterprise = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("enterprise"),
        on_delete=models.CASCADE,
        related_name="evaluator_assignments",
    )
    evaluation_body = models.ForeignKey(
        EvaluationBody, verbose_name=_("evaluation body"), on_delete=models.PROTECT, related_name="assignments"
    )
    assigned_on = models.DateField(_("assigned on"))
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("assigned by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "evaluation_body"],
                name="providers_evaluator_assignment_unique",
                violation_error_message=_("This enterprise is already assigned to this body."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.evaluation_body}"


class ProductQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        # The catalogue is public inside the portal; a provider user sees only its own products.
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id)
        return Q()


class Product(models.Model):
    """A 小快轻准 (small, fast, light, precise) product or solution a provider offers; *recognised*
    when the district selects it for the 优秀产品清单."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="products"
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    #: Scene codes of the MIIT index (diagnostics) the product covers.
    scenes = models.JSONField(_("scenes covered"), default=list, blank=True)
    price_model = models.CharField(_("price model"), max_length=16, choices=PriceModel.choices, blank=True)
    price_note = models.CharField(_("price"), max_length=200, blank=True)
    deployments = models.PositiveIntegerField(_("deployments"), default=0)
    recognised_on = models.DateField(_("recognised on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProductQuerySet.as_manager()

    class Meta:
        verbose_name = _("product or solution")
        verbose_name_plural = _("products and solutions")
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "name"],
                name="providers_product_unique_name",
                violation_error_message=_("This provider already has a product of this name."),
            ),
        ]

    def __str__(self):
        return self.name
