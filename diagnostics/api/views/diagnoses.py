"""The API of diagnosis reports and deadlines (docs/api.md "Programme records").

``POST /api/v1/diagnoses/`` ``{"enterprise", "provider"}`` opens a draft; ``…/{id}/submit/``,
``…/{id}/accept/``, ``…/{id}/return/`` (with ``reason``) move it, each with an optional ``date``.
A report outside the caller's scope answers 404; a role that may not act 403; a step the report's
state does not allow 409 with a message.
"""

from django.utils.translation import gettext as _
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from core.api.mixins import JsonErrorsMixin
from core.api.renderers import PdfRenderer
from core.api.viewsets import ReadServiceViewSet, service_action
from core.errors import DomainError
from core.files import serve_protected_file
from diagnostics.filters import DeadlineFilter, DiagnosisFilter
from diagnostics.models import Diagnosis
from diagnostics.selectors.diagnoses import (
    attach_signed_pdfs,
    deadline_list,
    diagnosis_list,
    diagnosis_transitions,
    signed_pdf_of,
)
from diagnostics.services import diagnoses as services
from enterprises.models import Enterprise
from providers.models import Provider

from ..serializers.diagnoses import (
    AcceptRequestSerializer,
    DeadlineSerializer,
    DeadlineWriteSerializer,
    DiagnosisCreateSerializer,
    DiagnosisSerializer,
    DiagnosisTransitionSerializer,
    DiagnosisUpdateSerializer,
    ReturnRequestSerializer,
    SignedPdfSerializer,
    TransitionRequestSerializer,
)


def _visible_enterprise(user, pk, field="enterprise"):
    enterprise = Enterprise.objects.visible_to(user).filter(pk=pk).first()
    if enterprise is None:
        raise DomainError("unknown_enterprise", _("No enterprise you can see has this id."), field=field)
    return enterprise


class DiagnosisViewSet(JsonErrorsMixin, mixins.CreateModelMixin, ReadServiceViewSet):
    """Diagnosis reports (一企一报告) in the caller's scope: a provider user sees its provider's
    reports only; unit staff their unit's; evaluators those of the enterprises they evaluate."""

    serializer_class = DiagnosisSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DiagnosisFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema generator has no user
            return Diagnosis.objects.none()
        return (
            diagnosis_list(viewer=self.request.user)
            .prefetch_related("recommended_products")
            .order_by("-updated_at", "-pk")
        )

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        return attach_signed_pdfs(page) if page is not None else None

    def answer_object(self, diagnosis):
        return self.get_queryset().get(pk=diagnosis.pk)

    @extend_schema(request=DiagnosisCreateSerializer, responses={201: DiagnosisSerializer})
    def create(self, request):
        values = self.validated(DiagnosisCreateSerializer)
        enterprise = _visible_enterprise(request.user, values["enterprise"])
        provider = Provider.objects.filter(pk=values["provider"]).first()
        if provider is None:
            raise DomainError("unknown_provider", _("No provider has this id."), field="provider")
        diagnosis = services.diagnosis_create(
            actor=request.user, enterprise=enterprise, provider=provider, date=values.get("date")
        )
        return self.answer(diagnosis, status.HTTP_201_CREATED)

    @extend_schema(request=DiagnosisUpdateSerializer, responses=DiagnosisSerializer)
    def partial_update(self, request, pk=None):
        diagnosis = self.get_object()
        values = self.validated(DiagnosisUpdateSerializer)
        return self.answer(services.diagnosis_update(actor=request.user, diagnosis=diagnosis, **values))

    @service_action(TransitionRequestSerializer)
    def submit(self, diagnosis, date=None):
        return services.diagnosis_submit(actor=self.request.user, diagnosis=diagnosis, date=date)

    @service_action(AcceptRequestSerializer)
    def accept(self, diagnosis, date=None, reason=""):
        return services.diagnosis_accept(actor=self.request.user, diagnosis=diagnosis, date=date, reason=reason)

    @service_action(ReturnRequestSerializer, url_path="return", url_name="return")
    def return_(self, diagnosis, reason, date=None):
        return services.diagnosis_return(actor=self.request.user, diagnosis=diagnosis, reason=reason, date=date)

    @extend_schema(responses=DiagnosisTransitionSerializer(many=True))
    # A plain array of the record's history: neither paginated nor filtered like the list.
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def transitions(self, request, pk=None):
        diagnosis = self.get_object()
        rows = diagnosis_transitions(diagnosis=diagnosis)
        return Response(DiagnosisTransitionSerializer(rows, many=True).data)

    @extend_schema(
        methods=["POST"],
        request={"multipart/form-data": SignedPdfSerializer},
        responses={201: DiagnosisSerializer},
    )
    @extend_schema(methods=["GET"], responses={(200, "application/pdf"): OpenApiResponse(description="The signed PDF")})
    @action(
        detail=True,
        methods=["get", "post"],
        url_path="signed-pdf",
        url_name="signed-pdf",
        parser_classes=[MultiPartParser, FormParser],
        renderer_classes=[JSONRenderer, PdfRenderer],
    )
    def signed_pdf(self, request, pk=None):
        """POST the signed report (multipart ``file``, a PDF); GET downloads the one shown."""
        diagnosis = self.get_object()
        if request.method == "GET":
            pdf = signed_pdf_of(diagnosis)
            if pdf is None:
                raise DomainError("no_signed_pdf", _("No signed PDF has been attached yet."), status=404)
            return serve_protected_file(request, pdf)
        upload = request.FILES.get("file")
        if upload is None:
            raise DomainError("file_required", _("Choose the signed PDF to upload."), field="file")
        services.diagnosis_attach_signed_pdf(actor=request.user, diagnosis=diagnosis, upload=upload)
        return self.answer(diagnosis, status.HTTP_201_CREATED)


class DeadlineViewSet(mixins.DestroyModelMixin, ReadServiceViewSet):
    """Deadlines the district sets per enterprise (diagnosis, transformation, evaluation), with
    ``overdue`` computed now. POST sets one (``enterprise``) or the same for many (``enterprises``);
    DELETE clears one. Past due dates are accepted (deadlines are back-filled)."""

    serializer_class = DeadlineSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = DeadlineFilter
    http_method_names = ["get", "post", "delete", "head", "options"]

    def get_queryset(self):
        return deadline_list(viewer=self.request.user)

    @extend_schema(
        request=DeadlineWriteSerializer,
        responses={
            201: PolymorphicProxySerializer(
                component_name="DeadlineSet",
                serializers=[DeadlineSerializer, DeadlineSerializer(many=True)],
                resource_type_field_name=None,
                many=False,
            )
        },
        description="One deadline for `enterprise`, or the list of those set for `enterprises`.",
    )
    def create(self, request):
        values = self.validated(DeadlineWriteSerializer)
        ids = values.get("enterprises") or [values["enterprise"]]
        visible = {e.pk: e for e in Enterprise.objects.visible_to(request.user).filter(pk__in=ids)}
        missing = [str(pk) for pk in ids if pk not in visible]
        if missing:
            raise DomainError(
                "unknown_enterprise",
                _("No enterprise you can see has the id {ids}.").format(ids=", ".join(missing)),
                field="enterprises" if values.get("enterprises") else "enterprise",
            )
        saved = services.deadline_set_many(
            actor=request.user,
            enterprises=[visible[pk] for pk in dict.fromkeys(ids)],
            kind=values["kind"],
            due_on=values["due_on"],
            note=values.get("note", ""),
        )
        rows = self.get_queryset().filter(pk__in=[d.pk for d in saved])
        data = DeadlineSerializer(rows, many=True).data
        if values.get("enterprises"):
            return Response(data, status=status.HTTP_201_CREATED)
        return Response(data[0], status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        deadline = self.get_object()
        services.deadline_clear(actor=request.user, enterprise=deadline.enterprise, kind=deadline.kind)
        return Response(status=status.HTTP_204_NO_CONTENT)
