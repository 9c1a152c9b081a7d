"""What the dossiers API reads and answers (docs/api.md "Auditor dossier")."""

from drf_spectacular.utils import inline_serializer
from rest_framework import serializers

#: The body of a dossier request: exactly one subject (read by the view field by field, checked by the service).
DOSSIER_REQUEST = inline_serializer(
    "DossierRequest",
    {
        "project": serializers.IntegerField(required=False, help_text="a project's id"),
        "enterprise": serializers.IntegerField(required=False, help_text="an enterprise's id"),
        "unit": serializers.CharField(required=False, help_text="a unit's 9-digit code (with period)"),
        "period": serializers.CharField(required=False, help_text="2025, 2026 or total (with unit)"),
    },
)


def dossier_as_dict(dossier):
    """A dossier as the API answers it: status, progress, subject, the zip's size and SHA-256 once built, and
    the audit chain's head it was made at."""
    return {
        "id": str(dossier.pk),
        "status": dossier.status,
        "progress": {
            "done": dossier.progress_done,
            "total": dossier.progress_total,
            "percent": dossier.progress_percent,
            "message": dossier.progress_message,
        },
        "subject": dossier.subject_dict(),
        "audit_head": dossier.audit_head,
        "audit_entries": dossier.audit_entries,
        "bytes": dossier.size,
        "sha256": dossier.sha256 or None,
        "files": len(dossier.manifest.get("files", [])) + 1 if dossier.manifest else None,
        "requested_by": dossier.requested_by.username if dossier.requested_by_id else None,
        "created_at": dossier.created_at.isoformat(),
        "finished_at": dossier.finished_at.isoformat() if dossier.finished_at else None,
        "error": dossier.error or None,
    }
