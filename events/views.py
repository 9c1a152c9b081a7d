"""The events pages: the list (filters, export), the figures, an event (create, edit, held, cancel), its
invitations, its attendance (and its export), and the sign-in sheet import (on ``core.tabular.views``)."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.pages import export_format, found_or_404, list_context, run_action, saved_redirect
from core.params import IdParam, QueryForm
from core.permissions import allowed, can_see_history, require
from core.roles import DISTRICT_ROLES, Role, role_of
from core.tabular.views import BatchPages

from . import exports, permissions, selectors, services, signin
from .choices import EventStatus
from .forms import AttendanceForm, CancelForm, EventForm, InviteForm, SignInUploadForm
from .models import Attendance, Event, Invitation


class FiguresQuery(QueryForm):
    year = forms.IntegerField(label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100)


@login_required
def event_list(request):
    filterset, queryset = selectors.event_filtered(viewer=request.user, params=request.GET)
    return render(
        request,
        "events/list.html",
        {**list_context(request, filterset, queryset), "can_create": allowed(permissions.can_create(request.user))},
    )


@login_required
def event_export(request):
    fmt = export_format(request)
    _filterset, queryset = selectors.event_filtered(viewer=request.user, params=request.GET)
    return exports.event_export_response(request, queryset, fmt)


@login_required
def overview(request):
    """The figures per unit and year: events held by kind, enterprises reached, attendance."""
    year = FiguresQuery.read(request.GET).get("year") or timezone.localdate().year
    return render(
        request,
        "events/overview.html",
        {"year": year, "figures": selectors.figures(viewer=request.user, year=year), "years": _years()},
    )


def _years():
    this = timezone.localdate().year
    return list(range(this, this - 5, -1))


def _event_values(form):
    return dict(form.cleaned_data)


@login_required
def event_create(request):
    require(permissions.can_create(request.user))
    form = EventForm(request.POST or None, viewer=request.user)
    done = saved_redirect(
        request,
        form,
        lambda: services.event_create(actor=request.user, **_event_values(form)),
        message=_("The event is planned."),
        then=lambda event: reverse("events:detail", args=[event.pk]),
    )
    return done or render(request, "events/form.html", {"form": form, "creating": True})


@login_required
def event_edit(request, pk):
    event = found_or_404(selectors.event_get, viewer=request.user, pk=pk)
    require(permissions.can_change(request.user, event))
    initial = {
        "kind": event.kind,
        "title": event.title,
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at) if event.ends_at else None,
        "place": event.place,
        "organiser_unit": event.organiser_unit,
        "topic": event.topic,
        "providers": list(event.providers.all()),
        "capacity": event.capacity,
    }
    form = EventForm(request.POST or None, viewer=request.user, initial=initial)
    done = saved_redirect(
        request,
        form,
        lambda: services.event_update(actor=request.user, event=event, **_event_values(form)),
        message=_("The event is saved."),
        then=reverse("events:detail", args=[event.pk]),
    )
    return done or render(request, "events/form.html", {"form": form, "event": event})


@login_required
def event_detail(request, pk):
    user = request.user
    event = found_or_404(selectors.event_get, viewer=user, pk=pk)
    may_manage = allowed(permissions.can_manage(user, event))
    may_change = allowed(permissions.can_change(user, event))
    see_attendance = allowed(permissions.can_see_attendance(user, event))
    context = {
        "event": event,
        "providers": list(event.providers.all()),
        "may_manage": may_manage,
        "may_change": may_change,
        "see_attendance": see_attendance,
        "may_hold": may_manage and event.status == EventStatus.PLANNED and event.starts_at <= timezone.now(),
        "may_cancel": may_manage and event.status == EventStatus.PLANNED,
        "cancel_form": CancelForm(),
        "can_see_history": allowed(can_see_history(user)),
    }
    if see_attendance:
        context["invitations"] = list(selectors.invitations_of(event)[:500])
        context["attendance"] = list(selectors.attendance_of(event)[:500])
    return render(request, "events/detail.html", context)


@login_required
@require_POST
def event_action(request, pk, action):
    """Mark an event held, or cancel it (with a reason)."""
    if action not in ("held", "cancel"):
        raise Http404
    event = found_or_404(selectors.event_get, viewer=request.user, pk=pk)
    require(permissions.can_manage(request.user, event))
    if action == "held":
        run_action(
            request, lambda: services.event_mark_held(actor=request.user, event=event), success=_("Marked held.")
        )
    else:
        form = CancelForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        run_action(
            request,
            lambda: services.event_cancel(actor=request.user, event=event, reason=reason),
            success=_("The event is cancelled; its invitees were told."),
        )
    return redirect("events:detail", pk=event.pk)


@login_required
def event_invite(request, pk):
    """Invite one enterprise (with its contact's address) or every enterprise of a unit at a level."""
    user = request.user
    event = found_or_404(selectors.event_get, viewer=user, pk=pk)
    require(permissions.can_change(user, event))
    form = InviteForm(request.POST or None, viewer=user)

    def invite():
        data = form.cleaned_data
        if data.get("enterprise"):
            enterprise = data["enterprise"]
            emails = {enterprise.pk: data.get("contact_email") or ""}
            return services.invitations_add(actor=user, event=event, enterprises=[enterprise], contact_emails=emails)
        found = selectors.enterprises_by_filter(viewer=user, unit=data["unit"], level=data.get("level"))
        return services.invitations_add(actor=user, event=event, enterprises=list(found[: services.INVITE_MAX + 1]))

    done = saved_redirect(
        request,
        form,
        invite,
        message=lambda new: _("{n} enterprise(s) invited; their contacts were told.").format(n=len(new)),
        then=reverse("events:invite", args=[event.pk]),
    )
    if done:
        return done
    invitations = list(selectors.invitations_of(event)[:1000])
    return render(request, "events/invite.html", {"event": event, "form": form, "invitations": invitations})


@login_required
@require_POST
def invitation_remove(request, pk):
    invitation = get_object_or_404(Invitation.objects.visible_to(request.user).select_related("event"), pk=pk)
    require(permissions.can_manage(request.user, invitation.event))
    run_action(
        request,
        lambda: services.invitation_remove(actor=request.user, invitation=invitation),
        success=_("The invitation is withdrawn."),
    )
    return redirect("events:invite", pk=invitation.event_id)


@login_required
def event_attendance(request, pk):
    """Who came: the list, and (for the organiser) one attendee typed by hand."""
    user = request.user
    event = found_or_404(selectors.event_get, viewer=user, pk=pk)
    require(permissions.can_see_attendance(user, event))
    may_change = allowed(permissions.can_change(user, event))
    form = AttendanceForm(request.POST or None, viewer=user) if may_change else None
    if request.method == "POST":
        require(permissions.can_change(user, event))
        done = saved_redirect(
            request,
            form,
            lambda: services.attendance_record(actor=user, event=event, **form.cleaned_data),
            message=_("The attendee is recorded."),
            then=reverse("events:attendance", args=[event.pk]),
        )
        if done:
            return done
    rows = selectors.attendance_of(event)
    return render(
        request,
        "events/attendance.html",
        {"event": event, "form": form, "rows": list(rows[:2000]), "may_change": may_change, "count": rows.count()},
    )


@login_required
def attendance_export(request, pk):
    fmt = export_format(request)
    event = found_or_404(selectors.event_get, viewer=request.user, pk=pk)
    require(permissions.can_see_attendance(request.user, event))
    return exports.attendance_export_response(request, event, selectors.attendance_of(event), fmt)


@login_required
@require_POST
def attendance_remove(request, pk):
    row = get_object_or_404(Attendance.objects.visible_to(request.user).select_related("event"), pk=pk)
    require(permissions.can_manage(request.user, row.event))
    run_action(request, lambda: services.attendance_remove(actor=request.user, attendance=row), success=_("Removed."))
    return redirect("events:attendance", pk=row.event_id)


# --- The sign-in sheet import --------------------------------------------------------------------


def _event_of(request):
    """The event of ``?event=`` that the viewer manages (404 when unseen or missing, 403 when not theirs)."""
    value = request.GET.get("event", "")
    try:
        pk = IdParam().clean(value)
    except ValidationError as exc:
        raise Http404 from exc
    event = Event.objects.visible_to(request.user).filter(pk=pk).select_related("organiser_unit").first()
    if event is None:
        raise Http404
    require(permissions.can_change(request.user, event))
    return event


class SignInPages(BatchPages):
    """An event's sign-in sheets, under /events/sign-in/ (the upload page names its event: ``?event=<id>``)."""

    batch_import = signin.SIGN_IN_IMPORT
    form_class = SignInUploadForm
    template_prefix = "events/sign_in_"
    url_names = {
        "upload": "events:sign_in",
        "template": "events:sign_in_template",
        "batches": "events:sign_in_batches",
        "batch": "events:sign_in_batch",
        "commit": "events:sign_in_commit",
        "errors": "events:sign_in_errors",
    }
    template_file_name = "活动签到表模板.xlsx"
    template_kind = "sign_in_template"

    def start_options(self, request):
        return {"event": _event_of(request)}

    def start(self, *, actor, upload, commit, event):
        return signin.sign_in_import(actor=actor, event=event, upload=upload, commit=commit)

    def commit(self, *, actor, batch):
        return signin.sign_in_import_commit(actor=actor, batch=batch)

    def write_template(self):
        return signin.write_template()

    def upload_context(self, request):
        return {"event": _event_of(request), "columns": signin.COLUMNS, "max_rows": signin.MAX_ROWS}

    def may_commit(self, user, batch):
        may_write = batch.uploaded_by_id == user.pk or role_of(user) in DISTRICT_ROLES
        return may_write and allowed(permissions.can_change(user, batch.event))

    def batch_context(self, batch):
        return {"event": batch.event, "unmatched": (batch.result or {}).get("unmatched", 0)}

    def can_list(self, user):
        if role_of(user) in (Role.AUDITOR, Role.FINANCE_OFFICER):
            return True, ""
        return permissions.can_import_sign_in(user)


SIGN_IN_PAGES = SignInPages()
