"""Diagnosis reports (一企一报告), their workflow steps, and the deadlines the district sets per enterprise."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    EditedRecord,
    RecordedEvent,
    digital_level_check,
    enterprise_reference,
    user_reference,
)
from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet

from ..choices import DeadlineKind, DiagnosisAction, DiagnosisStatus
from .index import ScoredAnswers


class DiagnosisQuerySet(EnterpriseScopedQuerySet):
    provider_path = "provider_id"

    def scope_filter(self, viewer, role):
        # A provider sees its own reports, never another provider's report on the same enterprise.
        if role == Role.PROVIDER_USER:
            return Q(**{self.provider_path: viewer.provider_id}) if viewer.provider_id else Q(pk__in=[])
        return super().scope_filter(viewer, role)


class Diagnosis(ScoredAnswers, EditedRecord):
    """A diagnosis report (一企一报告) a provider writes for an enterprise after diagnosing it on site.

    Drafted and revised by the provider, reviewed by the district (accepted, or returned with a
    reason). ``is_current`` marks the enterprise's one current accepted report; earlier reports and
    every submitted version (in the transitions' snapshots) are kept.
    """

    enterprise = enterprise_reference("diagnoses")
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="diagnoses"
    )
    status = models.CharField(
        _("status"), max_length=16, choices=DiagnosisStatus.choices, default=DiagnosisStatus.DRAFT
    )
    is_current = models.BooleanField(_("current accepted report"), default=False)
    diagnosed_on = models.DateField(_("diagnosed on site on"), null=True, blank=True)
    #: {scene code: "pain points in that scene"}
    pain_points = models.JSONField(_("pain points"), default=dict, blank=True)
    summary = models.TextField(_("summary of findings"), blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    #: Scene codes the transformation targets (constraint scenes first).
    target_scenes = models.JSONField(_("target scenes"), default=list, blank=True)
    proposed_work = models.TextField(_("proposed work"), blank=True)
    proposed_cost = models.DecimalField(
        _("proposed cost (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    software_cost = models.DecimalField(
        _("software-type cost (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    recommended_products = models.ManyToManyField(
        "providers.Product", verbose_name=_("recommended products"), blank=True, related_name="recommended_in"
    )
    version = models.PositiveSmallIntegerField(_("version"), default=1)
    return_count = models.PositiveSmallIntegerField(_("rounds of return"), default=0)
    submitted_on = models.DateField(_("first submitted on"), null=True, blank=True)
    last_submitted_on = models.DateField(_("last submitted on"), null=True, blank=True)
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    history = HistoricalRecords(m2m_fields=[recommended_products])

    objects = DiagnosisQuerySet.as_manager()

    class Meta:
        verbose_name = _("diagnosis report")
        verbose_name_plural = _("diagnosis reports")
        ordering = ["-updated_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise"],
                condition=Q(is_current=True),
                name="diag_one_current_report",
                violation_error_message=_("An enterprise has one current accepted diagnosis report."),
            ),
            digital_level_check("target_level", name="diag_target_level_range"),
        ]
        indexes = [
            # The report list's order: page 1 without sorting every (wide) report (bench/lists.py).
            models.Index(fields=["-updated_at", "-id"], name="diag_report_list_order"),
            # "An accepted report exists" (selectors.diagnoses._has_accepted_report): an index-only scan.
            models.Index(fields=["status", "enterprise"], name="diag_status_enterprise"),
            # The review queue's order (status, then oldest submission): the home page's first ten
            # submitted reports without sorting every one, and their count from the index alone.
            models.Index(fields=["status", "last_submitted_on", "id"], name="diag_status_submitted_order"),
        ]

    def __str__(self):
        return _("Diagnosis report of %(enterprise)s") % {"enterprise": self.enterprise}


class DiagnosisTransitionQuerySet(DiagnosisQuerySet):
    enterprise_path = "diagnosis__enterprise"
    provider_path = "diagnosis__provider_id"


class DiagnosisTransition(RecordedEvent):
    """A step of a report's workflow (created, submitted, returned, accepted) with actor, day, reason,
    and on submission a snapshot of the report as submitted (the earlier versions)."""

    diagnosis = models.ForeignKey(
        Diagnosis, verbose_name=_("diagnosis report"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=16, choices=DiagnosisAction.choices)
    from_status = models.CharField(_("from status"), max_length=16, blank=True)
    to_status = models.CharField(_("to status"), max_length=16)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    snapshot = models.JSONField(_("report as submitted"), null=True, blank=True)

    objects = DiagnosisTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("report transition")
        verbose_name_plural = _("report transitions")
        ordering = ["diagnosis", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.diagnosis_id} {self.action}"


class Deadline(models.Model):
    """A deadline the district sets for one enterprise: diagnosis report, transformation, evaluation.
    Overdue work is flagged in the queues and on the unit's page (a reason for withdrawal)."""

    enterprise = enterprise_reference("deadlines", on_delete=models.CASCADE)
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    set_by = user_reference(_("set by"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = EnterpriseScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["enterprise", "kind"],
                name="diag_deadline_unique",
                violation_error_message=_("This enterprise already has a deadline of this kind."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_kind_display()} · {self.due_on}"
