"""The funding API: projects and their workflow, acceptance corrections, recognitions, the ledger
(budget lines, commitments, disbursements) and the financing list (金融清单). Views only translate
HTTP; services decide.

``GET /api/v1/financial-products/`` (any signed-in user), ``POST`` and ``PATCH`` (district officials);
``GET /api/v1/interest-subsidies/`` (district, finance, auditors; unit staff for their enterprises),
``POST`` (district officials): grants the subsidy and commits it on the district's interest-subsidy line.
"""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

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


class _Base(viewsets.GenericViewSet):
    def _validated(self, serializer_class):
        data = serializer_class(data=self.request.data)
        data.is_valid(raise_exception=True)
        return dict(data.validated_data)


class ProjectViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Transformation projects (数字化改造项目), scoped to the caller (404 outside scope)."""

    serializer_class = s.ProjectSerializer
    filterset_fields = ["status", "enterprise", "provider"]

    def get_queryset(self):
        return selectors.project_list(viewer=self.request.user).prefetch_related("acceptances").order_by("pk")

    def _answer(self, project, code=status.HTTP_200_OK):
        project = self.get_queryset().get(pk=project.pk)
        return Response(s.ProjectSerializer(project).data, status=code)

    @extend_schema(request=s.ProjectCreateSerializer, responses={201: s.ProjectSerializer})
    def create(self, request):
        values = self._validated(s.ProjectCreateSerializer)
        values["enterprise"] = visible(Enterprise, request.user, values["enterprise"], "enterprise")
        values["provider"] = visible(Provider, request.user, values["provider"], "provider")
        project = projects.project_file(actor=request.user, **values)
        return self._answer(project, status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectUpdateSerializer, responses=s.ProjectSerializer)
    def partial_update(self, request, pk=None):
        project = self.get_object()
        values = self._validated(s.ProjectUpdateSerializer)
        return self._answer(projects.project_update(actor=request.user, project=project, **values))

    @extend_schema(request=s.ProjectStepSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectStepSerializer)
        return self._answer(projects.project_approve(actor=request.user, project=target, **values))

    @extend_schema(request=s.ProgressSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def progress(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProgressSerializer)
        return self._answer(projects.project_progress(actor=request.user, project=target, **values))

    @extend_schema(request=s.ProjectStepSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"], url_path="request-acceptance")
    def request_acceptance(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectStepSerializer)
        return self._answer(projects.project_request_acceptance(actor=request.user, project=target, **values))

    @extend_schema(request=s.AcceptanceInputSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def acceptance(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.AcceptanceInputSerializer)
        date = values.pop("date", None)
        values["accepted_on"] = values.get("accepted_on") or date
        values["post_assessment"] = visible(Assessment, request.user, values.get("post_assessment"), "post_assessment")
        project = target
        projects.project_accept(actor=request.user, project=project, **values)
        return self._answer(project)

    @extend_schema(request=s.ProjectReasonSerializer, responses=s.ProjectSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectReasonSerializer)
        return self._answer(projects.project_cancel(actor=request.user, project=target, **values))

    @extend_schema(responses=s.ProjectTransitionSerializer(many=True))
    # A plain array of the record's history: neither paginated nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        project = self.get_object()
        steps = project.transitions.select_related("actor")
        return Response(s.ProjectTransitionSerializer(steps, many=True).data)


class AcceptanceViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.AcceptanceSerializer
    filterset_fields = ["project", "passed"]

    def get_queryset(self):
        return selectors.acceptance_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.CorrectionSerializer, responses=s.AcceptanceSerializer)
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.CorrectionSerializer)
        acceptance = projects.acceptance_correct(actor=request.user, acceptance=target, **values)
        return Response(s.AcceptanceSerializer(acceptance).data)


class RecognitionViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.RecognitionSerializer
    filterset_fields = ["kind", "level", "enterprise"]

    def get_queryset(self):
        return selectors.recognition_list(viewer=self.request.user).prefetch_related("members").order_by("pk")

    @extend_schema(request=s.RecognitionInputSerializer, responses={201: s.RecognitionSerializer})
    def create(self, request):
        values = self._validated(s.RecognitionInputSerializer)
        values["enterprise"] = visible(Enterprise, request.user, values.get("enterprise"), "enterprise")
        values["members"] = [visible(Enterprise, request.user, pk, "members") for pk in values.get("members", [])]
        recognition = recognitions.recognition_create(actor=request.user, **values)
        return Response(s.RecognitionSerializer(recognition).data, status=status.HTTP_201_CREATED)


class BudgetLineViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """The ledger's budget lines with budget, committed, claimed, paid and available (元)."""

    serializer_class = s.BudgetLineSerializer

    def get_queryset(self):
        return selectors.budget_lines(viewer=self.request.user).order_by("source__kind", "purpose")

    @extend_schema(request=s.BudgetLineInputSerializer, responses={201: s.BudgetLineSerializer})
    def create(self, request):
        values = self._validated(s.BudgetLineInputSerializer)
        source = FundSource.objects.filter(code=values.pop("source")).first()
        if source is None:
            raise DomainError("unknown_source", _("No fund source has this code."), field="source")
        line = ledger.budget_line_set(actor=request.user, source=source, **values)
        line = self.get_queryset().get(pk=line.pk)
        return Response(s.BudgetLineSerializer(line).data, status=status.HTTP_201_CREATED)


class CommitmentViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.CommitmentSerializer
    filterset_fields = ["status", "project", "enterprise"]

    def get_queryset(self):
        return selectors.commitment_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.CommitmentInputSerializer, responses={201: s.CommitmentSerializer})
    def create(self, request):
        values = self._validated(s.CommitmentInputSerializer)
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
        return Response(s.CommitmentSerializer(commitment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.ProjectReasonSerializer, responses=s.CommitmentSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectReasonSerializer)
        commitment = ledger.commitment_cancel(actor=request.user, commitment=target, reason=values["reason"])
        return Response(s.CommitmentSerializer(commitment).data)


class DisbursementViewSet(_Base, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    serializer_class = s.DisbursementSerializer
    filterset_fields = ["status", "commitment_line"]

    def get_queryset(self):
        return selectors.disbursement_list(viewer=self.request.user).order_by("pk")

    def _answer(self, disbursement, code=status.HTTP_200_OK):
        return Response(s.DisbursementSerializer(disbursement).data, status=code)

    @extend_schema(request=s.DisbursementInputSerializer, responses={201: s.DisbursementSerializer})
    def create(self, request):
        values = self._validated(s.DisbursementInputSerializer)
        line = selectors.commitment_line_list(viewer=request.user).filter(pk=values.pop("commitment_line")).first()
        if line is None:
            raise DomainError("unknown_commitment_line", _("No commitment line you can see has this id."))
        values["requested_on"] = values.pop("date", None)
        return self._answer(
            ledger.disbursement_request(actor=request.user, commitment_line=line, **values), status.HTTP_201_CREATED
        )

    @extend_schema(request=s.ProjectStepSerializer, responses=s.DisbursementSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectStepSerializer)
        return self._answer(
            ledger.disbursement_approve(actor=request.user, disbursement=target, date=values.get("date"))
        )

    @extend_schema(request=s.PaySerializer, responses=s.DisbursementSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.PaySerializer)
        return self._answer(ledger.disbursement_pay(actor=request.user, disbursement=target, **values))

    @extend_schema(request=s.ProjectReasonSerializer, responses=s.DisbursementSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectReasonSerializer)
        return self._answer(ledger.disbursement_reject(actor=request.user, disbursement=target, **values))

    @extend_schema(request=s.ProjectReasonSerializer, responses={201: s.DisbursementSerializer})
    @action(detail=True, methods=["post"])
    def reverse(self, request, pk=None):
        target = self.get_object()  # scope first: outside it, 404 whatever the body
        values = self._validated(s.ProjectReasonSerializer)
        reversal = ledger.disbursement_reverse(actor=request.user, disbursement=target, **values)
        return self._answer(reversal, status.HTTP_201_CREATED)


class FinancialProductViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Banks' loan products for transformation (金融清单)."""

    serializer_class = s.FinancialProductSerializer
    filterset_fields = ["bank", "is_active"]

    def get_queryset(self):
        return selectors.financial_product_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.FinancialProductInputSerializer, responses={201: s.FinancialProductSerializer})
    def create(self, request):
        data = s.FinancialProductInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = financing.financial_product_create(actor=request.user, **data.validated_data)
        return Response(s.FinancialProductSerializer(product).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=s.FinancialProductPatchSerializer, responses=s.FinancialProductSerializer)
    def partial_update(self, request, pk=None):
        product = self.get_object()
        data = s.FinancialProductPatchSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        product = financing.financial_product_update(actor=request.user, product=product, **data.validated_data)
        return Response(s.FinancialProductSerializer(product).data)


class InterestSubsidyViewSet(viewsets.GenericViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Interest and fee subsidies (贴息贴费) granted to enterprises, each with its commitment."""

    serializer_class = s.InterestSubsidySerializer
    filterset_fields = ["enterprise", "financial_product"]

    def get_queryset(self):
        return selectors.interest_subsidy_list(viewer=self.request.user).order_by("pk")

    @extend_schema(request=s.InterestSubsidyInputSerializer, responses={201: s.InterestSubsidySerializer})
    def create(self, request):
        data = s.InterestSubsidyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
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
        subsidy = self.get_queryset().get(pk=subsidy.pk)
        return Response(s.InterestSubsidySerializer(subsidy).data, status=status.HTTP_201_CREATED)
