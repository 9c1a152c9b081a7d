from django.urls import path

from . import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("export/", views.event_export, name="export"),
    path("overview/", views.overview, name="overview"),
    path("new/", views.event_create, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/invite/", views.event_invite, name="invite"),
    path("<int:pk>/attendance/", views.event_attendance, name="attendance"),
    path("<int:pk>/attendance/export/", views.attendance_export, name="attendance_export"),
    path("<int:pk>/<str:action>/", views.event_action, name="action"),
    path("invitations/<int:pk>/remove/", views.invitation_remove, name="invitation_remove"),
    path("attendance/<int:pk>/remove/", views.attendance_remove, name="attendance_remove"),
    *views.SIGN_IN_PAGES.urlpatterns("sign-in/"),
]
