"""Pages of the notification centre: the inbox (filters, mark read one or all, open an item's record) and
the preferences page. Everyone signed in has an inbox of their own; nobody sees another's."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import found_or_404, list_context, safe_next

from . import selectors, services
from .filters import NotificationFilter
from .forms import PreferencesForm


@login_required
def inbox(request):
    """The viewer's notifications, newest first, with the unread ones marked; filters read and kind."""
    filterset = NotificationFilter(request.GET or None, queryset=selectors.notification_list(viewer=request.user))
    context = list_context(request, filterset, filterset.qs)
    context["unread"] = selectors.unread_count(viewer=request.user)
    return render(request, "notifications/inbox.html", context)


@login_required
def notification_open(request, pk):
    """Open an item: it is marked read and the viewer goes on to its record (or back to the inbox)."""
    note = found_or_404(selectors.notification_get, viewer=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=note)
    target = note.link
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("notifications:inbox")


@require_POST
@login_required
def notification_read(request, pk):
    note = found_or_404(selectors.notification_get, viewer=request.user, pk=pk)
    services.notification_mark_read(actor=request.user, notification=note)
    return redirect(safe_next(request, reverse("notifications:inbox")))


@require_POST
@login_required
def notification_read_all(request):
    n = services.notification_mark_all_read(actor=request.user, kind=request.POST.get("kind") or None)
    messages.success(request, _("{n} notification(s) marked read.").format(n=n))
    return redirect(safe_next(request, reverse("notifications:inbox")))


@login_required
def preferences(request):
    """Per kind of notification: in the portal only, also by e-mail, or in a daily digest e-mail."""
    rows = selectors.preferences_of(viewer=request.user)
    form = PreferencesForm(request.POST or None, rows=rows)
    if request.method == "POST" and form.is_valid():
        services.preferences_set(actor=request.user, channels=form.cleaned_data)
        messages.success(request, _("Your notification settings are saved."))
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form, "has_email": bool(request.user.email)})
