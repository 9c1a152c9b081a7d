"""The period-close pages: the closures with their exceptions, the close form, reopening and exceptions."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.pages import found_or_404, run_action, saved_redirect
from core.permissions import allowed, require

from . import selectors, services
from .forms import CloseForm, ExceptionRequestForm, ReasonForm
from .permissions import can_close_books, can_view_closures


@login_required
def closures(request):
    """Every closure, newest first, with its exceptions; the close form for those who close the books."""
    require(can_view_closures(request.user))
    form = CloseForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        require(can_close_books(request.user))
        done = saved_redirect(
            request,
            form,
            lambda: services.close_books(actor=request.user, **form.cleaned_data),
            message=lambda c: _("The books are closed through {day}.").format(day=c.through.isoformat()),
            then="books:closures",
        )
        if done:
            return done
    return render(
        request,
        "books/closures.html",
        {
            "closures": selectors.closure_list(viewer=request.user),
            "closed_through": selectors.closed_through(),
            "form": form,
            "reason_form": ReasonForm(),
            "exception_form": ExceptionRequestForm(initial=request.GET or None),
            "may_close": allowed(can_close_books(request.user)),
        },
    )


@require_POST
@login_required
def reopen(request, pk):
    closure = found_or_404(selectors.closure_get, viewer=request.user, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_action(
        request,
        lambda: services.request_reopen(actor=request.user, closure=closure, reason=reason),
        success=_("Reopening asked for; another person approves it."),
    )
    return redirect("books:closures")


@require_POST
@login_required
def approve_reopen(request, pk):
    closure = found_or_404(selectors.closure_get, viewer=request.user, pk=pk)
    run_action(
        request,
        lambda: services.approve_reopen(actor=request.user, closure=closure),
        success=_("The closure is reopened."),
    )
    return redirect("books:closures")


@login_required
def exception_request(request):
    """Ask for an exception: leave to correct one record in the closed period."""
    require(can_view_closures(request.user))
    require(can_close_books(request.user))
    form = ExceptionRequestForm(request.POST if request.method == "POST" else None, initial=request.GET or None)

    def save():
        record = services.record_from_label(form.cleaned_data["record_model"], form.cleaned_data["record_id"])
        return services.request_exception(actor=request.user, record=record, reason=form.cleaned_data["reason"])

    done = saved_redirect(
        request,
        form,
        save,
        message=lambda e: _("Exception #{number} asked for; another person approves it.").format(number=e.pk),
        then="books:closures",
    )
    return done or render(request, "books/exception_form.html", {"form": form})


def _decide(request, pk, step, message):
    exception = found_or_404(selectors.exception_get, viewer=request.user, pk=pk)
    run_action(request, lambda: step(actor=request.user, exception=exception), success=message)
    return redirect("books:closures")


@require_POST
@login_required
def exception_approve(request, pk):
    return _decide(request, pk, services.approve_exception, _("The exception is approved."))


@require_POST
@login_required
def exception_reject(request, pk):
    return _decide(request, pk, services.reject_exception, _("The exception is rejected."))
