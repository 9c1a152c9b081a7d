from django.urls import path

from . import ledger_views, views

app_name = "funding"

urlpatterns = [
    # Projects and acceptance
    path("projects/", views.project_list_page, name="project_list"),
    path("projects/export/", views.project_export, name="project_export"),
    path("projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/", views.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/acceptance/", views.acceptance_create, name="acceptance_create"),
    path("projects/<int:pk>/commit/", ledger_views.project_commit, name="project_commit"),
    path("projects/<int:pk>/<str:action>/", views.project_action, name="project_action"),
    path("acceptances/", views.acceptance_queue, name="acceptance_queue"),
    path("acceptances/<int:pk>/correct/", views.acceptance_correct, name="acceptance_correct"),
    # Recognitions
    path("recognitions/", views.recognition_list_page, name="recognition_list"),
    path("recognitions/export/", views.recognition_export, name="recognition_export"),
    path("recognitions/new/", views.recognition_create, name="recognition_create"),
    path("recognitions/<int:pk>/", views.recognition_detail, name="recognition_detail"),
    path("recognitions/<int:pk>/edit/", views.recognition_edit, name="recognition_edit"),
    # The ledger
    path("ledger/", ledger_views.ledger_overview, name="ledger"),
    path("ledger/export/", ledger_views.ledger_export, name="ledger_export"),
    path("ledger/lines/new/", ledger_views.budget_line_form, name="budget_line_create"),
    path("ledger/lines/<int:pk>/", ledger_views.budget_line_detail, name="budget_line"),
    path("ledger/lines/<int:pk>/edit/", ledger_views.budget_line_form, name="budget_line_edit"),
    path("ledger/<slug:code>/", ledger_views.ledger_source, name="ledger_source"),
    path("commitments/", ledger_views.commitment_list_page, name="commitment_list"),
    path("commitments/new/", ledger_views.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/", ledger_views.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/<str:action>/", ledger_views.commitment_action, name="commitment_action"),
    path("payments/", ledger_views.payment_queue, name="payment_queue"),
    path("payments/<int:pk>/", ledger_views.disbursement_detail, name="disbursement_detail"),
    path("payments/<int:pk>/<str:action>/", ledger_views.disbursement_action, name="disbursement_action"),
    path("policy/", ledger_views.policy_list, name="policy_list"),
    path("policy/<int:pk>/edit/", ledger_views.policy_edit, name="policy_edit"),
    # 金融清单
    path("financing/", ledger_views.financing_page, name="financing"),
    path("financing/export/", ledger_views.financing_export, name="financing_export"),
    path("financing/products/new/", ledger_views.financial_product_form, name="product_create"),
    path("financing/products/<int:pk>/edit/", ledger_views.financial_product_form, name="product_edit"),
    path("financing/subsidies/new/", ledger_views.interest_subsidy_create, name="interest_subsidy_create"),
]
