from django.urls import path

from . import views

app_name = "books"

urlpatterns = [
    path("", views.closures, name="closures"),
    path("<int:pk>/reopen/", views.reopen, name="reopen"),
    path("<int:pk>/approve-reopen/", views.approve_reopen, name="approve_reopen"),
    path("exceptions/", views.exception_request, name="exception_request"),
    path("exceptions/<int:pk>/approve/", views.exception_approve, name="exception_approve"),
    path("exceptions/<int:pk>/reject/", views.exception_reject, name="exception_reject"),
]
