"""Transformation projects (数字化改造项目), their transitions, acceptance inspections and corrections.

A project is filed by a provider for an enterprise with an accepted diagnosis, approved by the
district, reports progress, requests acceptance, and is inspected on site by the assigned evaluation
body: passed or failed (a failed project may request acceptance again). Every step is a
:class:`ProjectTransition` with actor, the day it happened and a reason. An :class:`Acceptance` is one
inspection; a mistyped one is corrected by an :class:`AcceptanceCorrection`, never edited.
"""

from decimal import Decimal

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import (
    EditedRecord,
    RecordedEvent,
    enterprise_reference,
    user_reference,
)
from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet

from ..choices import ProjectAction, ProjectStatus
from .common import money


class ProjectQuerySet(EnterpriseScopedQuerySet):
    def scope_filter(self, viewer, role):
        # A provider sees its own projects, never another provider's work on the same enterprise.
        if role == Role.PROVIDER_USER:
            return Q(provider_id=viewer.provider_id) if viewer.provider_id else Q(pk__in=[])
        return super().scope_filter(viewer, role)


class Project(EditedRecord):
    """A transformation project (数字化改造项目) filed (备案) for one enterprise by its provider."""

    enterprise = enterprise_reference("projects")
    provider = models.ForeignKey(
        "providers.Provider", verbose_name=_("service provider"), on_delete=models.PROTECT, related_name="projects"
    )
    diagnosis = models.ForeignKey(
        "diagnostics.Diagnosis",
        verbose_name=_("diagnosis report"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="projects",
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    contract_no = models.CharField(_("contract number"), max_length=64)
    contract_signed_on = models.DateField(_("contract signed on"), null=True, blank=True)
    planned_start_on = models.DateField(_("planned start"), null=True, blank=True)
    planned_end_on = models.DateField(_("planned end"), null=True, blank=True)
    total_investment = money(_("total investment (yuan)"))
    software_amount = money(_("software (yuan)"), default=Decimal("0"))
    cloud_amount = money(_("cloud services (yuan)"), default=Decimal("0"))
    equipment_amount = money(_("data-collection equipment (yuan)"), default=Decimal("0"))
    other_amount = money(_("other eligible spend (yuan)"), default=Decimal("0"))
    #: Scene codes of the index the project targets.
    scenes = models.JSONField(_("scenes targeted"), default=list, blank=True)
    target_level = models.PositiveSmallIntegerField(_("target level"), null=True, blank=True)
    is_chain_project = models.BooleanField(_("chain-transformation project"), default=False)
    status = models.CharField(_("status"), max_length=24, choices=ProjectStatus.choices, default=ProjectStatus.FILED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    filed_on = models.DateField(_("filed on"))
    approved_on = models.DateField(_("approved on"), null=True, blank=True)
    acceptance_requested_on = models.DateField(_("acceptance requested on"), null=True, blank=True)
    accepted_on = models.DateField(_("passed acceptance on"), null=True, blank=True)
    acceptance_attempts = models.PositiveSmallIntegerField(_("acceptance inspections"), default=0)
    history = HistoricalRecords()

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("transformation project")
        verbose_name_plural = _("transformation projects")
        ordering = ["-filed_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(total_investment__gte=0)
                & Q(software_amount__gte=0)
                & Q(cloud_amount__gte=0)
                & Q(equipment_amount__gte=0)
                & Q(other_amount__gte=0),
                name="fund_project_amounts_not_negative",
                violation_error_message=_("Amounts cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100),
                name="fund_project_progress_range",
                violation_error_message=_("Progress runs from 0 to 100%."),
            ),
        ]
        indexes = [
            # The project list's order: a page without sorting every project (bench/lists.py).
            models.Index(fields=["-filed_on", "-id"], name="fund_project_list_order"),
            # A status's projects in filing order (the home page's "projects to approve": its first
            # rows and its count from the index alone; the list filtered by status).
            models.Index(fields=["status", "filed_on", "id"], name="fund_project_status_filed"),
        ]

    def __str__(self):
        return self.title or f"{self.enterprise} · {self.contract_no}"

    @property
    def eligible_spend(self):
        return self.software_amount + self.cloud_amount + self.equipment_amount + self.other_amount

    @property
    def software_share(self):
        """Software-type share of the eligible spend, as a fraction (None without spend)."""
        spend = self.eligible_spend
        return (self.software_amount / spend) if spend else None


class ProjectTransitionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "project__enterprise"


class ProjectTransition(RecordedEvent):
    """A step of a project's life with actor, the day it happened and a reason."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=24, choices=ProjectAction.choices)
    from_status = models.CharField(_("from status"), max_length=24, blank=True)
    to_status = models.CharField(_("to status"), max_length=24)
    date = models.DateField(_("date"))
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("project transition")
        verbose_name_plural = _("project transitions")
        ordering = ["project", "recorded_at", "pk"]

    def __str__(self):
        return f"{self.project_id} {self.action}"


class Acceptance(models.Model):
    """One on-site acceptance inspection (验收) of a project by the evaluation body assigned to it."""

    project = models.ForeignKey(
        Project, verbose_name=_("project"), on_delete=models.CASCADE, related_name="acceptances"
    )
    attempt = models.PositiveSmallIntegerField(_("inspection number"))
    evaluation_body = models.ForeignKey(
        "providers.EvaluationBody",
        verbose_name=_("evaluation body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    accepted_on = models.DateField(_("inspected on"))
    passed = models.BooleanField(_("passed"))
    findings = models.TextField(_("findings"), blank=True)
    #: {checklist item code: true/false}: contract, invoices, payment slips, spend list, self-evaluations …
    checklist = models.JSONField(_("checklist"), default=dict, blank=True)
    post_assessment = models.ForeignKey(
        "diagnostics.Assessment",
        verbose_name=_("post-transformation evaluation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acceptances",
    )
    recorded_by = user_reference(_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ProjectTransitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance inspection")
        verbose_name_plural = _("acceptance inspections")
        ordering = ["project", "attempt"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "attempt"],
                name="fund_acceptance_unique_attempt",
                violation_error_message=_("This project already has an inspection with this number."),
            ),
        ]

    def __str__(self):
        return f"{self.project} #{self.attempt}"


class AcceptanceCorrectionQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "acceptance__project__enterprise"


class AcceptanceCorrection(RecordedEvent):
    """A district official's recorded correction of a mistyped acceptance (result, date or findings)."""

    acceptance = models.ForeignKey(
        Acceptance, verbose_name=_("acceptance inspection"), on_delete=models.CASCADE, related_name="corrections"
    )
    before = models.JSONField(_("before"))
    after = models.JSONField(_("after"))
    reason = models.TextField(_("reason"))
    date = models.DateField(_("date"))

    objects = AcceptanceCorrectionQuerySet.as_manager()

    class Meta:
        verbose_name = _("acceptance correction")
        verbose_name_plural = _("acceptance corrections")
        ordering = ["acceptance", "recorded_at"]

    def __str__(self):
        return f"{self.acceptance} · {self.date}"
