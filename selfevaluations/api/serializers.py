"""What the self-evaluations API reads and answers (docs/api.md "Self-evaluations")."""

from django.urls import reverse
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

START = inline_serializer(
    "SelfEvaluationStart",
    {
        "stage": serializers.ChoiceField(choices=["midterm", "final"]),
        "as_of": serializers.DateField(required=False, help_text="YYYY-MM-DD, default today"),
    },
)
NARRATIVE = inline_serializer(
    "NarrativeRevisionSave",
    {
        "stage": serializers.ChoiceField(choices=["midterm", "final"]),
        "section": serializers.CharField(),
        "text": serializers.CharField(),
    },
)


def _person(user):
    return user.username if user else None


def selfevaluation_as_dict(evaluation):
    done = evaluation.status == evaluation.Status.DONE
    return {
        "id": str(evaluation.pk),
        "status": evaluation.status,
        "stage": evaluation.stage,
        "as_of": evaluation.as_of.isoformat(),
        "version": evaluation.version,
        "snapshot": str(evaluation.snapshot_id) if evaluation.snapshot_id else None,
        "provenance": (evaluation.content or {}).get("provenance"),
        "narratives": [
            {k: n[k] for k in ("section", "revision", "author", "saved_at")} for n in evaluation.narratives or []
        ],
        "requested_by": _person(evaluation.requested_by),
        "created_at": evaluation.created_at.isoformat(),
        "finished_at": evaluation.finished_at.isoformat() if evaluation.finished_at else None,
        "error": evaluation.error or None,
        "docx": reverse("api:selfevaluation-docx", args=[evaluation.pk]) if done else None,
        "pdf": reverse("api:selfevaluation-pdf", args=[evaluation.pk]) if done else None,
    }


def revision_as_dict(revision):
    return {
        "id": revision.pk,
        "stage": revision.stage,
        "section": revision.section,
        "text": revision.text,
        "author": _person(revision.author),
        "saved_at": revision.created_at.isoformat(),
    }
