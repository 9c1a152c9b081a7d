from django.db import models
from django.utils.translation import gettext_lazy as _


class ItemKind(models.TextChoices):
    MULTI = "multi", _("Multiple choice (points per option)")
    SINGLE = "single", _("Single choice (ordered answers)")
    BAND = "band", _("Percentage in bands")
    OUTCOME = "outcome", _("Outcome (better / same / worse)")


class Stage(models.TextChoices):
    BASELINE = "baseline", _("Baseline (before transformation)")
    POST = "post", _("Post-transformation")


class Method(models.TextChoices):
    ONSITE = "onsite", _("On-site evaluation")
    SELF = "self", _("Self-assessment")


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class DiagnosisStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned for revision")
    ACCEPTED = "accepted", _("Accepted")


class DiagnosisAction(models.TextChoices):
    CREATE = "create", _("Created")
    SUBMIT = "submit", _("Submitted")
    RETURN = "return", _("Returned for revision")
    ACCEPT = "accept", _("Accepted")
    SUPERSEDE = "supersede", _("Superseded by a later accepted report")


class DeadlineKind(models.TextChoices):
    DIAGNOSIS = "diagnosis", _("Diagnosis report")
    TRANSFORMATION = "transformation", _("Transformation")
    EVALUATION = "evaluation", _("On-site evaluation")
