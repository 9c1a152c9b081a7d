"""What the data-quality centre keeps: resolutions of findings, the findings the refresh task computes,
its runs, the per-unit scores over time and the merges of duplicate enterprises."""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import user_reference
from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet, ScopedQuerySet

from .choices import FindingKind, Resolution


class FindingResolutionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "enterprise"


class FindingResolution(models.Model):
    """A person's answer to one finding: fixed, or "not a problem" with a reason. A finding marked not a
    problem stays closed; one marked fixed opens again if it is still found after the enterprise is next
    changed. Every answer is kept (history), the newest one counts."""

    kind = models.CharField(_("kind"), max_length=32, choices=FindingKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("other enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    resolution = models.CharField(_("resolution"), max_length=16, choices=Resolution.choices)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    resolved_by = user_reference(_("resolved by"), blank=True)
    resolved_at = models.DateTimeField(_("resolved at"), default=timezone.now)
    history = HistoricalRecords()

    objects = FindingResolutionQuerySet.as_manager()

    class Meta:
        verbose_name = _("finding resolution")
        verbose_name_plural = _("finding resolutions")
        ordering = ["-resolved_at", "-pk"]
        indexes = [models.Index(fields=["enterprise", "kind"], name="dq_resolution_ent_kind")]

    def __str__(self):
        return f"{self.kind} {self.enterprise_id} {self.resolution}"


class StoredFinding(models.Model):
    """A finding of a heavier kind (near-duplicate names, outliers), as the last refresh found it."""

    kind = models.CharField(_("kind"), max_length=32, choices=FindingKind.choices)
    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="+"
    )
    other = models.ForeignKey(
        "enterprises.Enterprise",
        verbose_name=_("other enterprise"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    detail = models.CharField(_("detail"), max_length=500, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        verbose_name = _("refreshed finding")
        verbose_name_plural = _("refreshed findings")
        indexes = [models.Index(fields=["enterprise", "kind"], name="dq_stored_ent_kind")]

    def __str__(self):
        return f"{self.kind} {self.enterprise_id}"


class RefreshRun(models.Model):
    """One run of the refresh task: when it ran, how long each part took, and whether the near-duplicate
    search was available (PostgreSQL's pg_trgm; not on SQLite)."""

    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    similarity_available = models.BooleanField(_("near-duplicate search available"), default=False)
    timings = models.JSONField(_("seconds per part"), default=dict, blank=True)
    found = models.JSONField(_("findings per kind"), default=dict, blank=True)

    class Meta:
        verbose_name = _("data-quality refresh")
        verbose_name_plural = _("data-quality refreshes")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"refresh {self.started_at:%Y-%m-%d %H:%M}"


class UnitScoreQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        """Unit staff read their own unit's scores; other roles outside the global readers none."""
        if role == Role.UNIT_STAFF and viewer.unit_id:
            return models.Q(unit_id=viewer.unit_id)
        return models.Q(pk__in=[])


class UnitScore(models.Model):
    """A unit's quality score as measured at one time (the trend): the refresh task writes one per unit."""

    unit = models.ForeignKey("core.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+")
    measured_at = models.DateTimeField(_("measured at"))
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=1)
    findings = models.PositiveIntegerField(_("open findings"))
    enterprises = models.PositiveIntegerField(_("enterprises"))

    objects = UnitScoreQuerySet.as_manager()

    class Meta:
        verbose_name = _("unit quality score")
        verbose_name_plural = _("unit quality scores")
        ordering = ["unit_id", "-measured_at"]
        indexes = [models.Index(fields=["unit", "measured_at"], name="dq_score_unit_time")]

    def __str__(self):
        return f"{self.unit_id} {self.score} {self.measured_at:%Y-%m-%d}"


class EnterpriseMergeQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "survivor"


class EnterpriseMerge(models.Model):
    """A merge of two registrations of one enterprise: the survivor took every record of the other, which
    is kept as an alias (status "merged", its credit code still findable, its own history intact)."""

    survivor = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("survivor"), on_delete=models.PROTECT, related_name="+"
    )
    merged = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("merged enterprise"), on_delete=models.PROTECT, related_name="+"
    )
    merged_name = models.CharField(_("merged enterprise's name"), max_length=200)
    merged_credit_code = models.CharField(_("merged enterprise's credit code"), max_length=18, db_index=True)
    reason = models.CharField(_("reason"), max_length=500)
    moved = models.JSONField(_("records moved, per model"), default=dict)
    kept = models.JSONField(_("records kept with the alias, per model"), default=dict)
    merged_by = user_reference(_("merged by"), blank=True)
    merged_at = models.DateTimeField(_("merged at"), default=timezone.now)
    history = HistoricalRecords()

    objects = EnterpriseMergeQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise merge")
        verbose_name_plural = _("enterprise merges")
        ordering = ["-merged_at", "-pk"]

    def __str__(self):
        return f"{self.merged_credit_code} → {self.survivor_id}"
