from django.urls import path

from . import views

app_name = "providers"

urlpatterns = [
    # The resource pool
    path("", views.provider_list_page, name="list"),
    path("export/", views.provider_export, name="export"),
    path("new/", views.provider_create, name="create"),
    path("<int:pk>/", views.provider_detail, name="detail"),
    path("<int:pk>/edit/", views.provider_edit, name="edit"),
    path("<int:pk>/assign/", views.provider_assign, name="assign"),
    path("<int:pk>/<str:action>/", views.provider_action, name="action"),
    # Assignments and ratings
    path("assignments/<str:kind>/<int:pk>/end/", views.assignment_end, name="assignment_end"),
    path("enterprise/<int:pk>/assign/<str:kind>/", views.enterprise_assign, name="enterprise_assign"),
    path("ratings/new/", views.rating_create, name="rating_create"),
    # The 小快轻准 catalogue
    path("products/", views.product_list_page, name="product_list"),
    path("products/export/", views.product_export, name="product_export"),
    path("products/new/", views.product_create, name="product_create"),
    path("products/<int:pk>/", views.product_detail, name="product_detail"),
    path("products/<int:pk>/edit/", views.product_edit, name="product_edit"),
    path("products/<int:pk>/<str:action>/", views.product_action, name="product_action"),
    # Evaluation bodies
    path("bodies/", views.body_list_page, name="body_list"),
    path("bodies/new/", views.body_create, name="body_create"),
    path("bodies/<int:pk>/", views.body_detail, name="body_detail"),
    path("bodies/<int:pk>/edit/", views.body_edit, name="body_edit"),
    path("bodies/<int:pk>/assign/", views.body_assign, name="body_assign"),
    # Scorecards
    path("scorecards/", views.scorecard_list, name="scorecards"),
    path("scorecards/weights/", views.scorecard_weights, name="scorecard_weights"),
    path("scorecards/<int:pk>/", views.scorecard_detail, name="scorecard_detail"),
]
