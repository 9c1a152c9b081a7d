"""Pages of recognitions (数字化车间, 智能工厂, 示范场景 …): list with counts, export, record, form."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.permissions import allowed, can_see_history, require
from enterprises.selectors import enterprise_list

from .. import permissions, selectors
from ..choices import RecognitionKind
from ..exports import export_recognitions
from ..filters import RecognitionFilter
from ..forms import (
    FileForm,
    RecognitionForm,
)
from ..services import evidence, recognitions
from .common import PAGE_SIZE, export_format, valid

# --- recognitions -----------------------------------------------------------------------------


def _recognition(request, pk):
    recognition = selectors.recognition_list(viewer=request.user).prefetch_related("members").filter(pk=pk).first()
    if recognition is None:
        raise Http404
    return recognition


def _recognitions_filtered(request):
    filterset = RecognitionFilter(request.GET, queryset=selectors.recognition_list(viewer=request.user))
    queryset = filterset.qs if filterset.is_valid() else selectors.recognition_list(viewer=request.user).none()
    return filterset, queryset


@login_required
def recognition_list_page(request):
    filterset, queryset = _recognitions_filtered(request)
    counts = {row["kind"]: row["n"] for row in queryset.order_by().values("kind").annotate(n=Count("pk"))}
    page = Paginator(
        queryset.prefetch_related(Prefetch("members")).order_by("-recognised_on", "-pk"), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "funding/recognition_list.html",
        {
            "filter": filterset,
            "page_obj": page,
            "query": query.urlencode(),
            "counts": [(label, counts.get(value, 0)) for value, label in RecognitionKind.choices],
            "can_create": permissions.can_decide(request.user)[0],
        },
    )


@login_required
def recognition_export(request):
    fmt = export_format(request)
    _filterset, queryset = _recognitions_filtered(request)
    return export_recognitions(request, queryset, fmt)


def _recognition_enterprises(user):
    return enterprise_list(viewer=user).order_by("name")


@login_required
def recognition_create(request):
    require(permissions.can_decide(request.user))
    form = RecognitionForm(request.POST or None, enterprises=_recognition_enterprises(request.user))
    if request.method == "POST" and form.is_valid():
        facts, members = form.facts()
        try:
            recognition = recognitions.recognition_create(actor=request.user, members=members, **facts)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The recognition has been recorded."))
            return redirect("funding:recognition_detail", pk=recognition.pk)
    return render(request, "funding/recognition_form.html", {"form": form, "creating": True})


@login_required
def recognition_edit(request, pk):
    recognition = _recognition(request, pk)
    require(permissions.can_decide(request.user))
    initial = {
        name: getattr(recognition, name)
        for name in ("kind", "level", "recognised_on", "title", "issuer", "platform_name", "gongfu_lianzhu", "note")
    }
    initial["enterprise"] = recognition.enterprise_id
    initial["members"] = [m.pk for m in recognition.members.all()]
    form = RecognitionForm(request.POST or None, initial=initial, enterprises=_recognition_enterprises(request.user))
    if request.method == "POST" and form.is_valid():
        facts, members = form.facts()
        try:
            recognitions.recognition_update(actor=request.user, recognition=recognition, members=members, **facts)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, _("The recognition has been saved."))
            return redirect("funding:recognition_detail", pk=recognition.pk)
    return render(
        request, "funding/recognition_form.html", {"form": form, "recognition": recognition, "creating": False}
    )


@login_required
def recognition_detail(request, pk):
    recognition = _recognition(request, pk)
    can_decide = permissions.can_decide(request.user)[0]
    if request.method == "POST":
        require(permissions.can_decide(request.user))
        form = FileForm(request.POST, request.FILES)
        try:
            valid(form)
            evidence.recognition_evidence_attach(
                actor=request.user, recognition=recognition, upload=form.cleaned_data["file"]
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("The file has been attached."))
        return redirect("funding:recognition_detail", pk=recognition.pk)
    return render(
        request,
        "funding/recognition_detail.html",
        {
            "recognition": recognition,
            "members": recognition.members.all().order_by("name"),
            "attachments": evidence.attachments_of(recognition),
            "can_edit": can_decide,
            "file_form": FileForm(),
            "can_see_history": allowed(can_see_history(request.user)),
        },
    )
