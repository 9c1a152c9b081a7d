"""Serializers of the score endpoint and of assessments (diagnosis reports have their own file)."""

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from diagnostics.choices import AssessmentStatus, Method, Stage
from diagnostics.models import Assessment
from diagnostics.scoring import plain_decimal
from diagnostics.services.assessments import assessment_version

ANSWERS_HELP = (
    "Item code → answer: multi-choice items a list of option numbers (1-based, [] = none); single-choice "
    "items the answer's position (0 = lowest); rate items a percentage 0–100; outcome items better/same/worse."
)
SCENES_HELP = "Scene code → level 0–4 (scenes not given are level 0)."
#: What an assessment and a diagnosis both carry of the MIIT index, in this order: the edition and the answers as
#: entered, then the engine's score, level and result.
SCORED_FIELDS = ["index", "answers", "raw", "scenes", "scene_notes", "score", "level", "result"]


class ScoreRequestSerializer(serializers.Serializer):
    """The body of ``POST /api/v1/assessments/score/`` (docs/api.md). Validation of the answers
    themselves is the engine's: each offending code is named in the 400."""

    index = serializers.CharField(
        required=False, allow_blank=True, help_text="The index edition, default the current one (2024)."
    )
    answers = serializers.JSONField(required=False, help_text=ANSWERS_HELP)
    scenes = serializers.JSONField(required=False, help_text=SCENES_HELP)


class DimensionsSerializer(serializers.Serializer):
    foundation = serializers.FloatField()
    management = serializers.FloatField()
    outcomes = serializers.FloatField()


class ScoreResultSerializer(serializers.Serializer):
    """The result: points as exact JSON numbers, level and scene counts as integers (documentation only)."""

    score = serializers.FloatField(help_text="Exact decimal points (e.g. 43.675).")
    dimensions = DimensionsSerializer()
    scenes_at_or_above = serializers.DictField(child=serializers.IntegerField(), help_text='{"1".."4": count}')
    constraint_scenes_at_or_above = serializers.DictField(child=serializers.IntegerField())
    level = serializers.IntegerField()


def contract_result(result):
    """The contract's result shape from a ScoreResult (points as Decimals, rendered as exact numbers)."""
    data = result.as_dict()
    return {
        "score": data["score"],
        "dimensions": data["dimensions"],
        "scenes_at_or_above": data["scenes_at_or_above"],
        "constraint_scenes_at_or_above": data["constraint_scenes_at_or_above"],
        "level": data["level"],
    }


def stored_result(result):
    """A stored result (decimal strings) as exact numbers, with the per-item points."""
    if not result:
        return None
    data = dict(result)
    for key in ("score",):
        if key in data:
            data[key] = plain_decimal(Decimal(str(data[key])))
    for key in ("dimensions", "items"):
        if key in data:
            data[key] = {k: plain_decimal(Decimal(str(v))) for k, v in data[key].items()}
    return data


@extend_schema_field(
    {"type": "string", "enum": list(AssessmentStatus.values), "description": "`draft` or `submitted`."}
)
class AssessmentStatusField(serializers.ChoiceField):
    """An assessment's status, described inline: as a named enum it would collide with the other ``status`` enums."""

    def __init__(self, **kwargs):
        super().__init__(choices=AssessmentStatus.choices, **kwargs)


class AssessmentSerializer(serializers.ModelSerializer):
    """An assessment as read: its answers, raw numbers, scenes, the computed score, level and result."""

    index = serializers.CharField(source="edition.code", read_only=True)
    enterprise_name = serializers.CharField(source="enterprise.name", read_only=True)
    evaluation_body_name = serializers.CharField(
        source="evaluation_body.name", read_only=True, default=None, allow_null=True
    )
    status = AssessmentStatusField(read_only=True)
    score = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()
    authoritative = serializers.BooleanField(read_only=True)
    created_by = serializers.CharField(source="created_by.username", read_only=True, default=None)
    version = serializers.SerializerMethodField()

    class Meta:
        model = Assessment
        fields = [
            "id",
            "enterprise",
            "enterprise_name",
            "stage",
            "method",
            "status",
            "authoritative",
            "evaluation_body",
            "evaluation_body_name",
            "evaluated_on",
            *SCORED_FIELDS,
            "evaluators",
            "note",
            "submitted_at",
            "created_by",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = fields

    @extend_schema_field({"type": "string", "description": "The token a sync sends back (POST …/{id}/sync/)."})
    def get_version(self, obj):
        return assessment_version(obj)

    @extend_schema_field({"type": "number", "nullable": True})
    def get_score(self, obj):
        return None if obj.score is None else plain_decimal(obj.score)

    @extend_schema_field({"type": "object", "nullable": True})
    def get_result(self, obj):
        return stored_result(obj.result)


class AssessmentCreateSerializer(serializers.Serializer):
    """``POST /api/v1/assessments/``: stored submitted unless ``status`` is ``draft``."""

    enterprise = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=Stage.choices)
    method = serializers.ChoiceField(choices=Method.choices)
    evaluated_on = serializers.DateField()
    index = serializers.CharField(required=False, allow_blank=True)
    answers = serializers.JSONField(required=False, help_text=ANSWERS_HELP)
    scenes = serializers.JSONField(required=False, help_text=SCENES_HELP)
    raw = serializers.JSONField(required=False, help_text="Raw numbers band and outcome answers are derived from.")
    scene_notes = serializers.JSONField(required=False, help_text="Scene code → evidence note.")
    evaluation_body = serializers.IntegerField(required=False, allow_null=True)
    evaluators = serializers.CharField(required=False, allow_blank=True, max_length=255)
    note = serializers.CharField(required=False, allow_blank=True)
    status = serializers.ChoiceField(
        choices=AssessmentStatus.choices, required=False, default=AssessmentStatus.SUBMITTED
    )


class AssessmentUpdateSerializer(serializers.Serializer):
    stage = serializers.ChoiceField(choices=Stage.choices, required=False)
    evaluated_on = serializers.DateField(required=False)
    answers = serializers.JSONField(required=False)
    scenes = serializers.JSONField(required=False)
    raw = serializers.JSONField(required=False)
    scene_notes = serializers.JSONField(required=False)
    evaluators = serializers.CharField(required=False, allow_blank=True, max_length=255)
    note = serializers.CharField(required=False, allow_blank=True)


class SyncSerializer(AssessmentUpdateSerializer):
    """``POST /api/v1/assessments/{id}/sync/``: a draft kept on a tablet, with the version it was taken from."""

    version = serializers.CharField(allow_blank=True, max_length=64)


class SubmitSerializer(serializers.Serializer):
    date = serializers.DateField(required=False, allow_null=True)


class EvidenceSerializer(serializers.Serializer):
    scene = serializers.CharField()
    file = serializers.FileField(allow_empty_file=True)
