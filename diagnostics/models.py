"""The MIIT digital-level index as data, scored answers, on-site evaluations and diagnosis reports.

The index (DOMAIN.md §5) is data, versioned by edition: edition → dimensions → items → options with
points, the 16 scenes, and the level rule as a table. ``diagnostics.scoring`` reads it; a stored
assessment or report keeps the edition it was scored against and its result, so correcting an
edition's data later never silently changes a stored result.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import Role
from core.scoping import EnterpriseScopedQuerySet

from .choices import AssessmentStatus, DeadlineKind, DiagnosisAction, DiagnosisStatus, ItemKind, Method, Stage

# --- The index as data ------------------------------------------------------------------------


class IndexEdition(models.Model):
    """One edition of the MIIT index (2024: 中小企业数字化水平评测指标（2024年版）)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=200)
    document = models.CharField(_("issuing document"), max_length=100, blank=True)
    is_current = models.BooleanField(_("current edition"), default=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("index edition")
        verbose_name_plural = _("index editions")
        ordering = ["-code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=Q(is_current=True),
                name="diag_one_current_edition",
                violation_error_message=_("Only one edition can be the current one."),
            ),
        ]

    def __str__(self):
        return self.name


class Dimension(models.Model):
    """A first-level dimension: 数字化基础 (50), 数字化经营 (scenes, not scored), 数字化管理 (30), 数字化成效 (20)."""

    edition = models.ForeignKey(
        IndexEdition, verbose_name=_("index edition"), on_delete=models.CASCADE, related_name="dimensions"
    )
    code = models.CharField(_("code"), max_length=32)
    name = models.CharField(_("name"), max_length=100)
    scored = models.BooleanField(_("scored"), default=True)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=4, null=True, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("dimension")
        verbose_name_plural = _("dimensions")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="diag_dimension_unique_code",
                violation_error_message=_("This edition already has a dimension with this code."),
            ),
        ]

    def __str__(self):
        return self.name


class Item(models.Model):
    """A scored question (网络建设, 设备数字化率, …) with its kind and maximum points."""

    dimension = models.ForeignKey(
        Dimension, verbose_name=_("dimension"), on_delete=models.CASCADE, related_name="items"
    )
    code = models.CharField(_("code"), max_length=64)
    secondary = models.CharField(_("secondary indicator"), max_length=64, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    max_points = models.DecimalField(_("maximum points"), max_digits=7, decimal_places=4)
    help_text = models.CharField(_("how it is computed"), max_length=255, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("index item")
        verbose_name_plural = _("index items")
        ordering = ["dimension__order", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["dimension", "code"],
                name="diag_item_unique_code",
                violation_error_message=_("This dimension already has an item with this code."),
            ),
        ]

    def __str__(self):
        return self.name


class Option(models.Model):
    """An answer of an item and its points.

    ``number``: for multi-choice items the 1-based option number (an empty choice is 无 = 0 points);
    for single-choice, band and outcome items the answer's position, 0 = the lowest answer.
    ``upper_bound``: for band items, the band's upper edge in percent (a value on the edge belongs
    to the band); empty for the top band. ``code``: for outcome items, ``better``/``same``/``worse``.
    """

    item = models.ForeignKey(Item, verbose_name=_("index item"), on_delete=models.CASCADE, related_name="options")
    number = models.PositiveSmallIntegerField(_("number"))
    code = models.CharField(_("code"), max_length=16, blank=True)
    label = models.CharField(_("label"), max_length=200)
    points = models.DecimalField(_("points"), max_digits=7, decimal_places=4)
    upper_bound = models.DecimalField(_("upper edge (%)"), max_digits=7, decimal_places=3, null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("answer option")
        verbose_name_plural = _("answer options")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["item", "number"],
                name="diag_option_unique_number",
                violation_error_message=_("This item already has an option with this number."),
            ),
        ]

    def __str__(self):
        return self.label


class Scene(models.Model):
    """One of the 16 scenes of 数字化经营, judged at level 0–4; ten are constraint scenes (约束性)."""

    edition = models.ForeignKey(
        IndexEdition, verbose_name=_("index edition"), on_delete=models.CASCADE, related_name="scenes"
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=100)
    group = models.CharField(_("group"), max_length=64)
    constraint = models.BooleanField(_("constraint scene"), default=False)
    #: {"1": "…", "2": "…", "3": "…", "4": "…"}: what each level means for this scene.
    level_descriptions = models.JSONField(_("level descriptions"), default=dict, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("scene")
        verbose_name_plural = _("scenes")
        ordering = ["edition", "order"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "code"],
                name="diag_scene_unique_code",
                violation_error_message=_("This edition already has a scene with this code."),
            ),
        ]

    def __str__(self):
        return self.name


class LevelRule(models.Model):
    """A row of the level rule: level L is reached when the scored total is at least ``min_score``,
    at least ``min_scenes`` scenes are at ``scene_level`` or higher, and at least
    ``min_constraint_scenes`` of them are constraint scenes. The highest row that holds wins."""

    edition = models.ForeignKey(
        IndexEdition, verbose_name=_("index edition"), on_delete=models.CASCADE, related_name="level_rules"
    )
    level = models.PositiveSmallIntegerField(_("level"))
    min_score = models.DecimalField(_("minimum score"), max_digits=7, decimal_places=3)
    scene_level = models.PositiveSmallIntegerField(_("scene level counted"))
    min_scenes = models.PositiveSmallIntegerField(_("minimum scenes"))
    min_constraint_scenes = models.PositiveSmallIntegerField(_("minimum constraint scenes"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("level rule")
        verbose_name_plural = _("level rules")
        ordering = ["edition", "-level"]
        constraints = [
            models.UniqueConstraint(
                fields=["edition", "level"],
                name="diag_level_rule_unique",
                violation_error_message=_("This edition already has a rule for this level."),
            ),
            models.CheckConstraint(
                condition=Q(level__gte=1, level__lte=4, scene_level__gte=1, scene_level__lte=4),
                name="diag_level_rule_range",
                violation_error_message=_("Levels run from 1 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.edition.code} L{self.level}"


# --- Scored answers ---------------------------------------------------------------------------


class ScoredAnswers(models.Model):
    """Answers to the index and the result the engine computed from them, against one edition.

    ``answers`` and ``scenes`` are in the form of ``POST /api/v1/assessments/score/``; ``raw``
    keeps the raw numbers band and outcome answers were derived from (equipment counts, spend, …);
    ``result`` is the engine's whole result as stored (score, dimensions, items, scene counts, level).
    """

    edition = models.ForeignKey(
        IndexEdition, verbose_name=_("index edition"), on_delete=models.PROTECT, related_name="+"
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    raw = models.JSONField(_("raw numbers"), default=dict, blank=True)
    scenes = models.JSONField(_("scene levels"), default=dict, blank=True)
    scene_notes = models.JSONField(_("scene evidence notes"), default=dict, blank=True)
    score = models.DecimalField(_("score"), max_digits=7, decimal_places=4, null=True, blank=True)
    level = models.PositiveSmallIntegerField(_("level"), null=True, blank=True)
    result = models.JSONField(_("result"), default=dict, blank=True)

    class Meta:
        abstract = True


class AssessmentQuerySet(EnterpriseScopedQuerySet):
    def authoritative(self):
        """On-site evaluations that were submitted: the only ones the indicators count."""
        return self.filter(method=Method.ONSITE, status=AssessmentStatus.SUBMITTED)


class Assessment(ScoredAnswers):
    """A digital-level assessment (数字化水平评测) of an enterprise, before or after transformation.

    The on-site evaluation (现场评定) by the evaluation body assigned to the enterprise is the
    authoritative one; a self-assessment (自评) informs but never counts.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="assessments"
    )
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    method = models.CharField(_("method"), max_length=16, choices=Method.choices)
    status = models.CharField(
        _("status"), max_length=16, choices=AssessmentStatus.choices, default=AssessmentStatus.DRAFT
    )
    evaluation_body = models.ForeignKey(
        "providers.EvaluationBody",
        verbose_name=_("evaluation body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    evaluated_on = models.DateField(_("evaluated on"))
    evaluators = models.CharField(_("evaluators on site"), max_length=255, blank=True)
    note = models.TextField(_("note"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["enterprise", "-evaluated_on", "-pk"]
        indexes = [models.Index(fields=["enterprise", "stage", "method", "status"], name="diag_assessment_lookup")]
        constraints = [
            models.CheckConstraint(
                condition=Q(level__isnull=True) | Q(level__lte=4),
                name="diag_assessment_level_range",
                violation_error_message=_("Digital levels run from 0 to 4."),
            ),
        ]

    def __str__(self):
        return f"{self.enterprise} · {self.get_stage_display()} · {self.get_method_display()}"

    @property
    def authoritative(self):
        return self.method == Method.ONSITE and self.status == AssessmentStatus.SUBMITTED


class DiagnosisQuerySet(EnterpriseScopedQuerySet):
    provider_path = "provider_id"

    def scope_filter(self, viewer, role):
        # A provider sees its own reports, never another provider's report on the same enterprise.
        if role == Role.PROVIDER_USER:
            return Q(**{self.provider_path: viewer.provider_id}) if viewer.provider_id else Q(pk__in=[])
        return super().scope_filter(viewer, role)


class Diagnosis(ScoredAnswers):
    """A diagnosis report (一企一报告) a provider writes for an enterprise after diagnosing it on site.

    Drafted and revised by the provider, reviewed by the district (accepted, or returned with a
    reason). ``is_current`` marks the enterprise's one current accepted report; earlier reports and
    every submitted version (in the transitions' snapshots) are kept.
    """

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.PROTECT, related_name="diagnoses"
    )
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
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
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
            models.CheckConstraint(
                condition=Q(target_level__isnull=True) | Q(target_level__lte=4),
                name="diag_target_level_range",
                violation_error_message=_("Digital levels run from 0 to 4."),
            ),
        ]
        indexes = [
            # The report list's order: page 1 without sorting every (wide) report (bench/lists.py).
            models.Index(fields=["-updated_at", "-id"], name="diag_report_list_order"),
            # "An accepted report exists" (diagnosis_selectors._has_accepted_report): an index-only scan.
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


class DiagnosisTransition(models.Model):
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
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

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

    enterprise = models.ForeignKey(
        "enterprises.Enterprise", verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due on"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("set by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
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
