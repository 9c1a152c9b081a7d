from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("history/", views.audit_history, name="audit_history"),
    path("files/<uuid:pk>/", views.attachment_download, name="attachment_download"),
    path("pick/<slug:kind>/", views.pick, name="pick"),
]
