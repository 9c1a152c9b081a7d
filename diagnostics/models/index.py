"""The MIIT digital-level index as data (docs/domain.md §5), and the scored answers every assessment and report holds.

The index is versioned by edition: edition → dimensions → items → options with points, the 16
scenes, and the level rule as a table. ``diagnostics.scoring`` reads it; a stored assessment or
report keeps the edition it was scored against and its result, so correcting an edition's data
later never silently changes a stored result.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ..choices import ItemKind

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
