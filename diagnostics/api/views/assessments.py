"""The score endpoint and the assessments API (docs/api.md)."""

from django import forms
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.viewsets import ReadServiceViewSet, service_action
from core.errors import DomainError
from core.params import QueryForm
from diagnostics.filters import AssessmentFilter
from diagnostics.scoring import ScoreInputError, index_spec, rule_table, score
from diagnostics.selectors.assessments import assessment_list
from diagnostics.selectors.index import edition_by_code
from diagnostics.services import assessments as services
from enterprises.selectors import enterprise_list
from providers.models import EvaluationBody

from ..serializers.assessments import (
    AssessmentCreateSerializer,
    AssessmentSerializer,
    AssessmentUpdateSerializer,
    EvidenceSerializer,
    ScoreRequestSerializer,
    ScoreResultSerializer,
    SubmitSerializer,
    SyncSerializer,
    contract_result,
)

# The body is the shared field → messages map (core/api/schema.py), keyed here by item, scene or raw-number code.
ERRORS_BODY = OpenApiResponse(description="Each offending item, scene or raw-number code → its messages.")


def _edition(code):
    edition = edition_by_code(code)
    if edition is None:
        raise ScoreInputError({"index": [_("No index edition has the code {code}.").format(code=code)]})
    return edition


def _bad(errors):
    return Response(errors, status=status.HTTP_400_BAD_REQUEST)


class ScoreView(APIView):
    """Score a set of answers against the index; nothing is stored (any signed-in user)."""

    @extend_schema(
        request=ScoreRequestSerializer,
        responses={200: ScoreResultSerializer, 400: ERRORS_BODY},
        summary="Score answers against the MIIT index",
    )
    def post(self, request):
        if not isinstance(request.data, dict):
            return _bad({"answers": [_("Send a JSON object with index, answers and scenes.")]})
        data = ScoreRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        try:
            edition = _edition(values.get("index"))
            result = score(index_spec(edition), values.get("answers"), values.get("scenes"))
        except ScoreInputError as exc:
            return _bad(exc.errors)
        return Response(contract_result(result))


class RulesQuery(QueryForm):
    index = forms.CharField(max_length=32, required=False)


class RulesView(APIView):
    """The rule table the server scores with, for the browser's scorer (static/js/scoring.js)."""

    @extend_schema(
        parameters=[OpenApiParameter("index", str, description="The index edition, default the current one.")],
        responses={200: OpenApiResponse(description="The rule table (docs/api.md).")},
        summary="The scoring rules of an index edition",
    )
    def get(self, request):
        code = RulesQuery.read(request.query_params).get("index")
        edition = edition_by_code(code)
        if edition is None:
            return _bad({"index": [_("No index edition has the code {code}.").format(code=code)]})
        return Response(rule_table(index_spec(edition)))


class AssessmentViewSet(mixins.DestroyModelMixin, ReadServiceViewSet):
    """Assessments in the caller's scope (404 outside it). A create is stored submitted (scored by the
    engine) unless ``status`` is ``draft``; drafts may be changed, submitted or deleted."""

    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return assessment_list(viewer=self.request.user).order_by("-evaluated_on", "-pk")

    def answer_object(self, assessment):
        return assessment_list(viewer=self.request.user).get(pk=assessment.pk)

    @extend_schema(request=AssessmentCreateSerializer, responses={201: AssessmentSerializer, 400: ERRORS_BODY})
    def create(self, request):
        values = self.validated(AssessmentCreateSerializer)
        enterprise = enterprise_list(viewer=request.user).filter(pk=values.pop("enterprise")).first()
        if enterprise is None:
            raise DomainError("unknown_enterprise", _("No enterprise you can see has this id."), field="enterprise")
        code = values.pop("index", None)
        edition = edition_by_code(code)
        if edition is None:
            return _bad({"index": [_("No index edition has the code {code}.").format(code=code)]})
        body = None
        body_id = values.pop("evaluation_body", None)
        if body_id is not None:
            body = EvaluationBody.objects.visible_to(request.user).filter(pk=body_id).first()
            if body is None:
                raise DomainError(
                    "unknown_body", _("No evaluation body you can see has this id."), field="evaluation_body"
                )
        submit = values.pop("status") == "submitted"
        assessment = services.assessment_create(
            actor=request.user, enterprise=enterprise, edition=edition, evaluation_body=body, submit=submit, **values
        )
        return self.answer(assessment, status.HTTP_201_CREATED)

    @extend_schema(request=AssessmentUpdateSerializer, responses={200: AssessmentSerializer, 400: ERRORS_BODY})
    def partial_update(self, request, pk=None):
        assessment = self.get_object()
        values = self.validated(AssessmentUpdateSerializer)
        services.assessment_update(actor=request.user, assessment=assessment, **values)
        return self.answer(assessment)

    @service_action(SubmitSerializer)
    def submit(self, assessment, date=None):
        services.assessment_submit(actor=self.request.user, assessment=assessment, date=date)
        return assessment

    @extend_schema(
        request=SyncSerializer,
        responses={
            200: AssessmentSerializer,
            409: OpenApiResponse(description="`conflict`: the server's version under `server`, nothing written."),
        },
    )
    @action(detail=True, methods=["post"])
    def sync(self, request, pk=None):
        """Store a draft kept on a tablet, unless the assessment changed since the draft's ``version``."""
        assessment = self.get_object()
        values = self.validated(SyncSerializer)
        version = values.pop("version")
        try:
            services.assessment_sync(actor=request.user, assessment=assessment, version=version, **values)
        except services.StaleDraft as exc:
            body = {**exc.as_dict(), "server": AssessmentSerializer(self.answer_object(exc.current)).data}
            return Response(body, status=status.HTTP_409_CONFLICT)
        return self.answer(assessment)

    def destroy(self, request, pk=None):
        services.assessment_delete(actor=request.user, assessment=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"multipart/form-data": EvidenceSerializer},
        responses={
            201: inline_serializer("EvidenceFile", {"id": serializers.UUIDField(), "name": serializers.CharField()})
        },
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def evidence(self, request, pk=None):
        """Attach an evidence file to one scene (types and size limits of core.files)."""
        assessment = self.get_object()
        values = self.validated(EvidenceSerializer)
        attachment = services.assessment_attach_evidence(
            actor=request.user, assessment=assessment, scene=values["scene"], upload=values["file"]
        )
        return Response({"id": str(attachment.pk), "name": attachment.original_name}, status=status.HTTP_201_CREATED)
