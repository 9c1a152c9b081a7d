from django.urls import path

from .views import PolicyDocumentListView, WorkTaskListView

urlpatterns = [
    path("work-tasks/", WorkTaskListView.as_view(), name="work-tasks"),
    path("policies/", PolicyDocumentListView.as_view(), name="policies"),
]
