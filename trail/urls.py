from django.urls import path

from . import views

app_name = "trail"

urlpatterns = [
    path("", views.chain, name="chain"),
]
