"""Pages of the UI shell: home per role, audit history, protected file downloads, error pages."""

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponsePermanentRedirect, HttpResponseServerError, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template import loader
from django.templatetags.static import static
from django.utils.translation import gettext_lazy as _

from . import registry
from .audit import audited_models, history_entries
from .credit_code import normalise
from .files import attachment_owner_visible, serve_protected_file
from .models import Attachment
from .pages import query_without
from .roles import Role, has_role


class HistoryFilterForm(forms.Form):
    model = forms.ChoiceField(label=_("Record type"), required=False)
    object = forms.CharField(label=_("Record id"), required=False, max_length=64)
    user = forms.ModelChoiceField(
        label=_("User"), required=False, queryset=get_user_model().objects.order_by("username")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", _("All record types"))] + [
            (label, str(model._meta.verbose_name)) for label, model in audited_models().items()
        ]


AUDIT_ROLES = (Role.AUDITOR, Role.DISTRICT_OFFICIAL)
HISTORY_PAGE_SIZE = 50


@login_required
def audit_history(request):
    """Field-level history of any record and of any user, filterable by date and record type."""
    if not has_role(request.user, *AUDIT_ROLES):
        raise PermissionDenied
    form = HistoryFilterForm(request.GET or None)
    entries, has_more, page = [], False, 1
    if form.is_valid() or not request.GET:
        data = form.cleaned_data if request.GET else {}
        try:
            page = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page = 1
        entries, has_more = history_entries(
            model_label=data.get("model") or None,
            object_id=data.get("object") or None,
            user_id=data.get("user").pk if data.get("user") else None,
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            limit=HISTORY_PAGE_SIZE,
            offset=(page - 1) * HISTORY_PAGE_SIZE,
        )
    return render(
        request,
        "core/audit_history.html",
        {
            "form": form,
            "entries": entries,
            "has_more": has_more,
            "page": page,
            "query": query_without(request),
        },
    )


@login_required
def attachment_download(request, pk):
    """An uploaded file, only for those who may see the record it belongs to (404 otherwise)."""
    attachment = get_object_or_404(Attachment.objects.select_related("content_type"), pk=pk)
    if not attachment_owner_visible(attachment, request.user):
        raise Http404
    return serve_protected_file(request, attachment)


@login_required
def api_guide(request):
    """What the REST API is for, how to get a token and where its reference (Swagger) is, in the user's
    language; the Swagger page links back here."""
    return render(request, "core/api_guide.html", {})


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: answer with the portal's icon."""
    return HttpResponsePermanentRedirect(static("favicon.svg"))


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    if request.path.startswith("/api/"):
        # A path under /api/ that matches no route (a malformed id, say): JSON, as every API view answers.
        return JsonResponse({"code": "not_found", "message": str(_("Not found."))}, status=404)
    return render(request, "404.html", status=404)


def error_500(request):
    # No context processors and no database: the page must render whatever broke.
    return HttpResponseServerError(loader.render_to_string("500.html"))


PICK_LIMIT = 20


@login_required
def pick(request, kind):
    """Suggestions for a record picker: the viewer's records of ``kind`` whose name contains the
    typed text or whose credit code starts with it, at most :data:`PICK_LIMIT`, as JSON
    ``{"results": [{"value": credit code, "label": "name · credit code"}]}``."""
    picker = registry.pickers.get(kind)
    if picker is None:
        raise Http404
    text = request.GET.get("q", "").strip()[:100]
    if len(text) < 2:
        return JsonResponse({"results": []})
    rows = picker.queryset(request.user)
    code = normalise(text)
    rows = rows.filter(Q(name__icontains=text) | Q(credit_code__startswith=code)).order_by("name", "pk")
    results = [
        {"value": credit_code, "label": f"{name} · {credit_code}"}
        for name, credit_code in rows.values_list("name", "credit_code")[:PICK_LIMIT]
    ]
    return JsonResponse({"results": results})
