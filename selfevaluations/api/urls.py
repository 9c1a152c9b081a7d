from django.urls import path

from .views import (
    NarrativeListView,
    SelfEvaluationCompareView,
    SelfEvaluationDetailView,
    SelfEvaluationDocxView,
    SelfEvaluationListView,
    SelfEvaluationPdfView,
)

urlpatterns = [
    path("self-evaluations/", SelfEvaluationListView.as_view(), name="selfevaluations"),
    path("self-evaluations/narratives/", NarrativeListView.as_view(), name="selfevaluation-narratives"),
    path("self-evaluations/<str:pk>/", SelfEvaluationDetailView.as_view(), name="selfevaluation"),
    path("self-evaluations/<str:pk>/docx/", SelfEvaluationDocxView.as_view(), name="selfevaluation-docx"),
    path("self-evaluations/<str:pk>/pdf/", SelfEvaluationPdfView.as_view(), name="selfevaluation-pdf"),
    path("self-evaluations/<str:pk>/compare/", SelfEvaluationCompareView.as_view(), name="selfevaluation-compare"),
]
