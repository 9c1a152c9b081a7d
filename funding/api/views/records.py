"""The funding API: projects and their workflow, acceptance corrections, recognitions, the ledger
(budget lines, commitments, disbursements) and the financing list (金融清单). Views only translate
HTTP; services decide.

``GET /api/v1/financial-products/`` (any signed-in user), ``POST`` and ``PATCH`` (district officials);
``GET /api/v1/interest-subsidies/`` (district, finance, auditors; unit staff for their enterprises),
``POST`` (district officials): grants the subsidy and commits it on the district's interest-subsidy line.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.viewsets import ReadServiceViewSet, service_action
from core.errors import DomainError
from diagnostics.models import Assessment
from enterprises.models import Enterprise
from funding import selectors
from funding.models import BudgetLine, FinancialProduct, FundSource, Project, SubsidyPolicy
from funding.services import financing, ledger, projects, recognitions
from providers.models import Provider

from .. import serializers as s


def visible(model, user, pk, field):
    """The record ``pk`` of ``model`` if the caller may see it, else a 400 naming ``field``."""
    if pk is None:
        return None
    record = model.objects.visible_to(user).filter(pk=pk).first()
    if record is None:
        raise DomainError("unknown_" + field, _("No record you can see has this id."), field=field)
    return record


class ProjectViewSet(ReadServiceViewSet):
    """Transformation projects (数字化改造项目), scoped to the caller (404 outside scope)."""

    serializer_class = s.ProjectSerializer
    filterset_fields = ["status", "enterprise", "provider"]

    def get_queryset(self):
        return selectors.project_list(viewer=self.request.user).prefetch_related("acceptances").order_by("pk")

    def answer_object(self, project):
        return self.get_queryset().get(pk=project.pk)

    @extend_schema(request=s.ProjectCreateSerializer, responses={201: s.ProjectSerializer})
    def create(self, request):
        values = self.validated(s.ProjectCreateSerializer)
        values["enterprise"] = visible(Enterprise, request.user, values["enterprise"], "enterprise")
        values["provider"] = visible(Provider, request.user, values["provider"], "provider")
        project = projects.project_file(actor=request.user, **values)
        return self.answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectUpdateSerializer, responses=s.ProjectSerializer)
    def partial_update(self, request, pk=None):
        project = self.get_object()
        values = self.validated(s.ProjectUpdateSerializer)
        return self.answer(projects.project_update(actor=request.user, project=project, **values))

    @service_action(s.ProjectStepSerializer)
    def approve(self, project, **values):
        return projects.project_approve(actor=self.request.user, project=project, **values)

    @service_action(s.ProgressSerializer)
    def progress(self, project, **values):
        return projects.project_progress(actor=self.request.user, project=project, **values)

    @service_action(s.ProjectStepSerializer, url_path="request-acceptance")
    def request_acceptance(self, project, **values):
        return projects.project_request_acceptance(actor=self.request.user, project=project, **values)

    @service_action(s.AcceptanceInputSerializer)
    def acceptance(self, project, date=None, **values):
        values["accepted_on"] = values.get("accepted_on") or date
        values["post_assessment"] = visible(
            Assessment, self.request.user, values.get("post_assessment"), "post_assessment"
        )
        projects.project_accept(actor=self.request.user, project=project, **values)
        return project

    @service_action(s.ProjectReasonSerializer)
    def cancel(self, project, **values):
        return projects.project_cancel(actor=self.request.user, project=project, **values)

    @extend_schema(responses=s.ProjectTransitionSerializer(many=True))
    # A plain array of the record's history: neither paginated nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        project = self.get_object()
        steps = project.transitions.select_related("actor")
        return Response(s.ProjectTransitionSerializer(steps, many=True).data)


class AcceptanceViewSet(ReadServiceViewSet):
    serializer_class = s.AcceptanceSerializer
    filterset_fields = ["project", "passed"]

    def get_queryset(self):
        return selectors.acceptance_list(viewer=self.request.user).order_by("pk")

    @service_action(s.CorrectionSerializer)
    def correct(self, acceptance, **values):
        return projects.acceptance_correct(actor=self.request.user, acceptance=acceptance, **values)


class RecognitionViewSet(ReadServiceViewSet):
    serializer_class = s.RecognitionSerializer
    filterset_fields = ["kind", "level", "enterprise"]

    def get_queryset(self):
        return selectors.recognition_list(viewer=self.request.user).prefetch_related("members").order_by("pk")

    @extend_schema(request=s.RecognitionInputSerializer, responses={201: s.RecognitionSerializer})
    def create(self, request):
        values = self.validated(s.RecognitionInputSerializer)
        values["enterprise"] = visible(Enterprise, request.user, values.get("enterprise"), "enterprise")
        values["members"] = [visible(Enterprise, request.user, pk, "members") for pk in values.get("members", [])]
        recognition = recognitions.recognition_create(actor=request.user, **values)
        return self.answer(recognition, status.HTTP_201_CREATED)


class BudgetLineViewSet(ReadServiceViewSet):
    """The ledger's budget lines with budget, committed, claimed, paid and available (元)."""

    serializer_class = s.BudgetLineSerializer

    def get_queryset(self):
        return selectors.budget_lines(viewer=self.request.user).order_by("source__kind", "purpose")

    @extend_schema(request=s.BudgetLineInputSerializer, responses={201: s.BudgetLineSerializer})
    def create(self, request):
        values = self.validated(s.BudgetLineInputSerializer)
        source = FundSource.objects.filter(code=values.pop("source")).first()
        if source is None:
            raise DomainError("unknown_source", _("No fund source has this code."), field="source")
        line = ledger.budget_line_set(actor=request.user, source=source, **values)
        return self.answer(self.get_queryset().get(pk=line.pk), status.HTTP_201_CREATED)


class CommitmentViewSet(ReadServiceViewSet):
    serializer_class = s.CommitmentSerializer
    filterset_fields = ["status", "project", "enterprise"]

    def get_queryset(self):
        return selectors.commitment_list(viewer=self.request.user).select_related("created_by").order_by("pk")

    @extend_schema(request=s.CommitmentInputSerializer, responses={201: s.CommitmentSerializer})
    def create(self, request):
        values = self.validated(s.CommitmentInputSerializer)
        values["project"] = visible(Project, request.user, values.get("project"), "project")
        values["enterprise"] = visible(Enterprise, request.user, values.get("enterprise"), "enterprise")
        policy_id = values.get("policy")
        values["policy"] = SubsidyPolicy.objects.filter(pk=policy_id).first() if policy_id else None
        if policy_id and values["policy"] is None:
            raise DomainError("unknown_policy", _("No subsidy policy has this id."), field="policy")
        lines = []
        for row in values.pop("lines"):
            line = BudgetLine.objects.filter(pk=row["budget_line"]).first()
            if line is None:
                raise DomainError("unknown_budget_line", _("No budget line has this id."), field="lines")
            lines.append((line, row["amount"]))
        commitment = ledger.commitment_create(actor=request.user, lines=lines, **values)
        return self.answer(commitment, status.HTTP_201_CREATED)

    @service_action(s.ProjectReasonSerializer)
    def cancel(self, commitment, reason, date=None):
        return ledger.commitment_cancel(actor=self.request.user, commitment=commitment, reason=reason)


class DisbursementViewSet(ReadServiceViewSet):
    serializer_class = s.DisbursementSerializer
    filterset_fields = ["status", "commitment_line"]

    def get_queryset(self):
        return (
            selectors.disbursement_list(viewer=self.request.user)
            .select_related("requested_by", "approved_by", "paid_by", "rejected_by")
            .order_by("pk")
        )

    @extend_schema(request=s.DisbursementInputSerializer, responses={201: s.DisbursementSerializer})
    def create(self, request):
        values = self.validated(s.DisbursementInputSerializer)
        line = selectors.commitment_line_list(viewer=request.user).filter(pk=values.pop("commitment_line")).first()
        if line is None:
            raise DomainError("unknown_commitment_line", _("No commitment line you can see has this id."))
        values["requested_on"] = values.pop("date", None)
        return self.answer(
            ledger.disbursement_request(actor=request.user, commitment_line=line, **values), status.HTTP_201_CREATED
        )

    @service_action(s.ProjectStepSerializer)
    def approve(self, disbursement, date=None, reason=""):
        return ledger.disbursement_approve(actor=self.request.user, disbursement=disbursement, date=date)

    @service_action(s.PaySerializer)
    def pay(self, disbursement, **values):
        return ledger.disbursement_pay(actor=self.request.user, disbursement=disbursement, **values)

    @service_action(s.ProjectReasonSerializer)
    def reject(self, disbursement, **values):
        return ledger.disbursement_reject(actor=self.request.user, disbursement=disbursement, **values)

    @service_action(s.ProjectReasonSerializer, code=status.HTTP_201_CREATED, responses={201: s.DisbursementSerializer})
    def reverse(self, disbursement, **values):
        return ledger.disbursement_reverse(actor=self.request.user, disbursement=disbursement, **values)


class FinancialProductViewSet(ReadServiceViewSet):
    """Banks' loan products for transformation (金融清单)."""

    serializer_class = s.FinancialProductSerializer
    filterset_fields = ["bank", "is_active"]

    def get_queryset(self):
        return selectors.financial_product_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.FinancialProductInputSerializer, responses={201: s.FinancialProductSerializer})
    def create(self, request):
        values = self.validated(s.FinancialProductInputSerializer)
        product = financing.financial_product_create(actor=request.user, **values)
        return self.answer(product, status.HTTP_201_CREATED)

    @extend_schema(request=s.FinancialProductPatchSerializer, responses=s.FinancialProductSerializer)
    def partial_update(self, request, pk=None):
        product = self.get_object()
        values = self.validated(s.FinancialProductPatchSerializer)
        return self.answer(financing.financial_product_update(actor=request.user, product=product, **values))


class InterestSubsidyViewSet(ReadServiceViewSet):
    """Interest and fee subsidies (贴息贴费) granted to enterprises, each with its commitment."""

    serializer_class = s.InterestSubsidySerializer
    filterset_fields = ["enterprise", "financial_product"]

    def get_queryset(self):
        return selectors.interest_subsidy_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.InterestSubsidyInputSerializer, responses={201: s.InterestSubsidySerializer})
    def create(self, request):
        values = self.validated(s.InterestSubsidyInputSerializer)
        values["enterprise"] = visible(Enterprise, request.user, values["enterprise"], "enterprise")
        product_id = values.get("financial_product")
        values["financial_product"] = FinancialProduct.objects.filter(pk=product_id).first() if product_id else None
        if product_id and values["financial_product"] is None:
            raise DomainError(
                "unknown_financial_product", _("No financial product has this id."), field="financial_product"
            )
        line_id = values.get("budget_line")
        if line_id:
            line = BudgetLine.objects.select_related("source").filter(pk=line_id).first()
            if line is None:
                raise DomainError("unknown_budget_line", _("No budget line has this id."), field="budget_line")
        else:
            # Default: the district's one loan interest and fee subsidy line.
            line = (
                BudgetLine.objects.select_related("source")
                .filter(source__kind="district", purpose="interest_subsidy")
                .first()
            )
        values["budget_line"] = line
        subsidy = financing.interest_subsidy_grant(actor=request.user, **values)
        return self.answer(self.get_queryset().get(pk=subsidy.pk), status.HTTP_201_CREATED)
