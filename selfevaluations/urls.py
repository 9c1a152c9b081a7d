from django.urls import path

from . import views

app_name = "selfevaluations"

urlpatterns = [
    path("", views.selfevaluation_list_page, name="list"),
    path("start/", views.start, name="start"),
    path("<str:pk>/", views.selfevaluation_detail, name="detail"),
    path("<str:pk>/regenerate/", views.regenerate, name="regenerate"),
    path("<str:pk>/narrative/", views.save_narrative, name="narrative"),
    path("<str:pk>/compare/", views.compare, name="compare"),
    path("<str:pk>/docx/", views.download_docx, name="docx"),
    path("<str:pk>/pdf/", views.download_pdf, name="pdf"),
]
