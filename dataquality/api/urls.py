from django.urls import path

from .views import FindingListView

urlpatterns = [
    path("data-quality/", FindingListView.as_view(), name="data-quality"),
]
