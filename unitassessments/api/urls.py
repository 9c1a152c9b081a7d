from django.urls import path

from .views import UnitAssessmentListView

urlpatterns = [
    path("unit-assessments/", UnitAssessmentListView.as_view(), name="unit-assessments"),
]
