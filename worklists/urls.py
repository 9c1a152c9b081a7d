from django.urls import path

from . import views

app_name = "worklists"

urlpatterns = [
    path("", views.hub, name="hub"),
    # 任务清单
    path("tasks/", views.task_list_page, name="task_list"),
    path("tasks/export/", views.task_export, name="task_export"),
    path("tasks/new/", views.task_form, name="task_create"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/edit/", views.task_form, name="task_edit"),
    path("tasks/<int:pk>/progress/", views.task_progress, name="task_progress"),
    # 政策清单
    path("policies/", views.policy_list_page, name="policy_list"),
    path("policies/export/", views.policy_export, name="policy_export"),
    path("policies/new/", views.policy_form, name="policy_create"),
    path("policies/<int:pk>/edit/", views.policy_form, name="policy_edit"),
]
