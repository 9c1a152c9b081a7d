"""Service providers, evaluation bodies, and the district's assignment of enterprises to them."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import enterprise_reference, user_reference
from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet, ScopedQuerySet

from .choices import PoolStatus, PriceModel, ProviderEventKind, ProviderType


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
    pool_status_since = models.DateField(_("pool status since"), null=True, blank=True)
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


class ProviderAssignmentQuerySet(EnterpriseScopedQuerySet):
    def scope_filter(self, viewer, role):
        # A provider sees its own assignments only, never which other provider serves the same enterprise.
        condition = super().scope_filter(viewer, role)
        if role == Role.PROVIDER_USER:
            return condition & Q(provider_id=viewer.provider_id)
        return condition


class EvaluatorAssignmentQuerySet(EnterpriseScopedQuerySet):
    def scope_filter(self, viewer, role):
        if role == Role.PROVIDER_USER:
            return Q(pk__in=[])
        condition = super().scope_filter(viewer, role)
        if role == Role.EVALUATOR:
            return condition & Q(evaluation_body_id=viewer.evaluation_body_id)
        return condition


class Assignment(models.Model):
    """The district's assignment of an enterprise to an organisation, the field ``organisation_field``
    names: on which day, by whom. Each concrete assignment declares ``enterprise`` and that field."""

    organisation_field = None

    assigned_on = models.DateField(_("assigned on"))
    assigned_by = user_reference(_("assigned by"))
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.enterprise} → {getattr(self, self.organisation_field)}"


class ProviderAssignment(Assignment):
    """The district assigns an enterprise to a provider (which then sees and serves it)."""

    organisation_field = "provider"

    enterprise = enterprise_reference("provider_assignments", on_delete=models.CASCADE)
    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="assignments"
    )

    objects = ProviderAssignmentQuerySet.as_manager()

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


class EvaluatorAssignment(Assignment):
    """The district assigns an enterprise to a third-party evaluation body for on-site evaluation."""

    organisation_field = "evaluation_body"

    enterprise = enterprise_reference("evaluator_assignments", on_delete=models.CASCADE)
    evaluation_body = models.ForeignKey(
        EvaluationBody, verbose_name=_("evaluation body"), on_delete=models.PROTECT, related_name="assignments"
    )

    objects = EvaluatorAssignmentQuerySet.as_manager()

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


class ProductQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        # The catalogue is public inside the portal. A provider user sees its own products and the
        # recognised ones (the published 优秀产品清单, which a diagnosis may recommend), never another
        # provider's unrecognised entries.
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id) | Q(recognised_on__isnull=False)
        return Q()

    def recognised(self):
        return self.filter(recognised_on__isnull=False)


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


class ProviderEventQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id)
        return Q()


class ProviderEvent(models.Model):
    """A dated change of a provider's standing the district decided: its resource-pool status, or its
    designation as (or revocation of) a 重点服务商. Written by the services with the change itself."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=ProviderEventKind.choices)
    from_value = models.CharField(_("from"), max_length=32, blank=True)
    to_value = models.CharField(_("to"), max_length=32, blank=True)
    happened_on = models.DateField(_("date"))
    note = models.CharField(_("note"), max_length=500, blank=True)
    actor = user_reference(_("by"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = ProviderEventQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider event")
        verbose_name_plural = _("provider events")
        ordering = ["-happened_on", "-recorded_at", "-pk"]

    def __str__(self):
        return f"{self.provider_id} {self.kind} {self.happened_on}"

    def _label(self, value):
        if self.kind == ProviderEventKind.POOL_STATUS and value in PoolStatus.values:
            return PoolStatus(value).label
        return value

    @property
    def from_label(self):
        return self._label(self.from_value)

    @property
    def to_label(self):
        return self._label(self.to_value)


class ProviderRatingQuerySet(EnterpriseScopedQuerySet):
    def scope_filter(self, viewer, role):
        # A provider sees the ratings of its own work (the scorecard is computed from them), no others;
        # evaluators have no business with satisfaction ratings.
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id)
        if role == Role.EVALUATOR:
            return Q(pk__in=[])
        return super().scope_filter(viewer, role)


class ProviderRating(models.Model):
    """An enterprise's satisfaction with a provider assigned to it (1–5), recorded by the staff of the
    enterprise's street/town (or the district) on the day the enterprise gave it."""

    enterprise = enterprise_reference("provider_ratings", on_delete=models.CASCADE)
    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="ratings"
    )
    rated_on = models.DateField(_("rated on"))
    score = models.PositiveSmallIntegerField(
        _("satisfaction (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_by = user_reference(_("recorded by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProviderRatingQuerySet.as_manager()

    class Meta:
        verbose_name = _("satisfaction rating")
        verbose_name_plural = _("satisfaction ratings")
        ordering = ["-rated_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1, score__lte=5),
                name="providers_rating_score_range",
                violation_error_message=_("A satisfaction rating runs from 1 to 5."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} → {self.provider}: {self.score}"


class ScorecardWeights(models.Model):
    """The one set of weights the provider scorecard uses: ``{metric code: weight}`` (whole numbers;
    only their proportions matter). Editable by the district; every change is kept in the history and
    each scorecard stores the weights it was computed with."""

    weights = models.JSONField(_("weights"), default=dict)
    note = models.CharField(_("note"), max_length=500, blank=True)
    updated_by = user_reference(_("updated by"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scorecard weights")
        verbose_name_plural = _("scorecard weights")

    def __str__(self):
        return ", ".join(f"{code} {weight}" for code, weight in sorted(self.weights.items()))


class ProviderScorecardQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id)
        return Q(pk__in=[])


class ProviderScorecard(models.Model):
    """A provider's performance over one period (``2025``, ``2025H1``, ``2025Q3``), computed from what
    the portal records. ``metrics`` holds ``{code: {"value", "points", "detail"}}`` (``value`` null when
    the provider has no data for the metric); ``total`` is the weighted mean of the points of the metrics
    with data (null when none has). The provider may answer in writing (``reply``)."""

    provider = models.ForeignKey(
        Provider, verbose_name=_("service provider"), on_delete=models.CASCADE, related_name="scorecards"
    )
    period = models.CharField(_("period"), max_length=8)
    starts_on = models.DateField(_("period starts on"))
    ends_on = models.DateField(_("period ends on"))
    metrics = models.JSONField(_("metrics"), default=dict, blank=True)
    weights = models.JSONField(_("weights used"), default=dict, blank=True)
    total = models.DecimalField(_("total score"), max_digits=5, decimal_places=2, null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"))
    computed_by = user_reference(_("computed by"), blank=True)
    reply = models.TextField(_("provider's reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = user_reference(_("replied by"), blank=True)
    history = HistoricalRecords()

    objects = ProviderScorecardQuerySet.as_manager()

    class Meta:
        verbose_name = _("provider scorecard")
        verbose_name_plural = _("provider scorecards")
        ordering = ["-ends_on", "provider__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["provider", "period"],
                name="providers_scorecard_unique_period",
                violation_error_message=_("This provider already has a scorecard for this period."),
            ),
        ]

    def __str__(self):
        return f"{self.provider} · {self.period}"
