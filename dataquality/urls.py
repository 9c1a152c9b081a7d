from django.urls import path

from . import views

app_name = "dataquality"

urlpatterns = [
    path("", views.centre, name="centre"),
    path("resolve/", views.resolve, name="resolve"),
    path("merge/", views.merge, name="merge"),
    path("refresh/", views.refresh, name="refresh"),
    path("units/", views.units, name="units"),
]
