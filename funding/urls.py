from django.urls import path

from .views import financing, ledger, projects, recognitions

app_name = "funding"

urlpatterns = [
    # Projects and acceptance
    path("projects/", projects.project_list_page, name="project_list"),
    path("projects/export/", projects.project_export, name="project_export"),
    path("projects/new/", projects.project_create, name="project_create"),
    path("projects/<int:pk>/", projects.project_detail, name="project_detail"),
    path("projects/<int:pk>/edit/", projects.project_edit, name="project_edit"),
    path("projects/<int:pk>/acceptance/", projects.acceptance_create, name="acceptance_create"),
    path("projects/<int:pk>/commit/", ledger.project_commit, name="project_commit"),
    path("projects/<int:pk>/<str:action>/", projects.project_action, name="project_action"),
    path("acceptances/", projects.acceptance_queue, name="acceptance_queue"),
    path("acceptances/<int:pk>/correct/", projects.acceptance_correct, name="acceptance_correct"),
    # Recognitions
    path("recognitions/", recognitions.recognition_list_page, name="recognition_list"),
    path("recognitions/export/", recognitions.recognition_export, name="recognition_export"),
    path("recognitions/new/", recognitions.recognition_create, name="recognition_create"),
    path("recognitions/<int:pk>/", recognitions.recognition_detail, name="recognition_detail"),
    path("recognitions/<int:pk>/edit/", recognitions.recognition_edit, name="recognition_edit"),
    # The ledger
    path("ledger/", ledger.ledger_overview, name="ledger"),
    path("ledger/export/", ledger.ledger_export, name="ledger_export"),
    path("ledger/lines/new/", ledger.budget_line_form, name="budget_line_create"),
    path("ledger/lines/<int:pk>/", ledger.budget_line_detail, name="budget_line"),
    path("ledger/lines/<int:pk>/edit/", ledger.budget_line_form, name="budget_line_edit"),
    path("ledger/<slug:code>/", ledger.ledger_source, name="ledger_source"),
    path("commitments/", ledger.commitment_list_page, name="commitment_list"),
    path("commitments/new/", ledger.commitment_create, name="commitment_create"),
    path("commitments/<int:pk>/", ledger.commitment_detail, name="commitment_detail"),
    path("commitments/<int:pk>/<str:action>/", ledger.commitment_action, name="commitment_action"),
    path("payments/", ledger.payment_queue, name="payment_queue"),
    path("payments/<int:pk>/", ledger.disbursement_detail, name="disbursement_detail"),
    path("payments/<int:pk>/<str:action>/", ledger.disbursement_action, name="disbursement_action"),
    path("policy/", ledger.policy_list, name="policy_list"),
    path("policy/<int:pk>/edit/", ledger.policy_edit, name="policy_edit"),
    # 金融清单
    path("financing/", financing.financing_page, name="financing"),
    path("financing/export/", financing.financing_export, name="financing_export"),
    path("financing/products/new/", financing.financial_product_form, name="product_create"),
    path("financing/products/<int:pk>/edit/", financing.financial_product_form, name="product_edit"),
    path("financing/subsidies/new/", financing.interest_subsidy_create, name="interest_subsidy_create"),
]
