"""Pages of recognitions (数字化车间, 智能工厂, 示范场景 …): list with counts, export, record, form."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from core.pages import export_format, first_or_404, list_context, run_action, saved_redirect
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
from .common import PAGE_SIZE, valid

# --- recognitions -----------------------------------------------------------------------------


def _recognition(request, pk):
    return first_or_404(selectors.recognition_list(viewer=request.user).prefetch_related("members").filter(pk=pk))


def _recognitions_filtered(request):
    filterset = RecognitionFilter(request.GET, queryset=selectors.recognition_list(viewer=request.user))
    queryset = filterset.qs if filterset.is_valid() else selectors.recognition_list(viewer=request.user).none()
    return filterset, queryset


@login_required
def recognition_list_page(request):
    filterset, queryset = _recognitions_filtered(request)
    counts = {row["kind"]: row["n"] for row in queryset.order_by().values("kind").annotate(n=Count("pk"))}
    listed = queryset.prefetch_related(Prefetch("members")).order_by("-recognised_on", "-pk")
    return render(
        request,
        "funding/recognition_list.html",
        {
            **list_context(request, filterset, listed, per_page=PAGE_SIZE),
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


def _recognition_facts(form):
    """The service's arguments from a valid recognition form: its facts and its member enterprises."""
    facts, members = form.facts()
    return {**facts, "members": members}


@login_required
def recognition_create(request):
    require(permissions.can_decide(request.user))
    form = RecognitionForm(request.POST or None, enterprises=_recognition_enterprises(request.user))
    if done := saved_redirect(
        request,
        form,
        lambda: recognitions.recognition_create(actor=request.user, **_recognition_facts(form)),
        message=_("The recognition has been recorded."),
        then=lambda recognition: reverse("funding:recognition_detail", args=[recognition.pk]),
    ):
        return done
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
    if done := saved_redirect(
        request,
        form,
        lambda: recognitions.recognition_update(
            actor=request.user, recognition=recognition, **_recognition_facts(form)
        ),
        message=_("The recognition has been saved."),
        then=reverse("funding:recognition_detail", args=[recognition.pk]),
    ):
        return done
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

        def attach():
            valid(form)
            evidence.recognition_evidence_attach(
                actor=request.user, recognition=recognition, upload=form.cleaned_data["file"]
            )

        run_action(request, attach, success=_("The file has been attached."))
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
