from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("indicators/", views.indicator_dashboard, name="indicators"),
]
