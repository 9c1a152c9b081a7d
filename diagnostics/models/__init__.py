"""The models of diagnostics: the index (``index``), assessments (``assessments``) and diagnosis reports
with deadlines (``diagnoses``), one Django app."""

from .assessments import Assessment, AssessmentQuerySet
from .diagnoses import Deadline, Diagnosis, DiagnosisQuerySet, DiagnosisTransition, DiagnosisTransitionQuerySet
from .index import Dimension, IndexEdition, Item, LevelRule, Option, Scene, ScoredAnswers

__all__ = [
    "Assessment",
    "AssessmentQuerySet",
    "Deadline",
    "Diagnosis",
    "DiagnosisQuerySet",
    "DiagnosisTransition",
    "DiagnosisTransitionQuerySet",
    "Dimension",
    "IndexEdition",
    "Item",
    "LevelRule",
    "Option",
    "ScoredAnswers",
    "Scene",
]
