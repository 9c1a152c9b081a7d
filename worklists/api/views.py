"""The work lists' API: read-only, paginated, with the list pages' filters. Every signed-in role reads."""

from django.db.models import F
from rest_framework import generics

from .. import selectors
from ..filters import PolicyFilter, TaskFilter
from .serializers import PolicyDocumentSerializer, WorkTaskSerializer


class WorkTaskListView(generics.ListAPIView):
    """The 任务清单: tasks of the work plan with their responsibility, deadline and progress."""

    serializer_class = WorkTaskSerializer
    filterset_class = TaskFilter

    def get_queryset(self):
        return selectors.task_list(viewer=self.request.user).order_by("position", "deadline", "pk")


class PolicyDocumentListView(generics.ListAPIView):
    """The 政策清单: policy documents, whether in force and whether their application window is open."""

    serializer_class = PolicyDocumentSerializer
    filterset_class = PolicyFilter

    def get_queryset(self):
        return selectors.policy_list(viewer=self.request.user).order_by(
            F("issued_on").desc(nulls_last=True), "title", "pk"
        )
