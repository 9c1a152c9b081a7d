"""What the HTML pages of every app share: the record or a 404, a domain error shown on its form, the
form page's save-and-redirect, a POSTed action's flash message, a filtered list's page and query
string, and an export's format.

Views stay function views (docs/architecture.md, "The shape of an app"); these helpers are the steps
they all take the same way. Permission checks (``require``) stay in the views, before any of them.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from .errors import DomainError

#: Rows per page of a list page, unless the list says otherwise.
PAGE_SIZE = 50


def found_or_404(read, **kwargs):
    """``read(**kwargs)`` (a selector's ``<entity>_get``); a missing or unseen record is a 404."""
    try:
        return read(**kwargs)
    except ObjectDoesNotExist as exc:
        raise Http404 from exc


def add_form_error(form, exc):
    """Show a ``DomainError`` on ``form``: on the field it names when the form has one, else above the form."""
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def form_problems(form):
    """Every error of ``form`` in one line of text, for a flash message."""
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def saved_redirect(request, form, save, *, message, then):
    """The POST half of a form page. On a valid POST, ``save()`` (the service call) and answer the
    redirect to ``then``, with ``message`` flashed; ``message`` and ``then`` may be callables of what
    ``save`` returned. ``None`` otherwise (a GET, an invalid form, or a ``DomainError``, which is shown
    on the form), and the view renders the form page again."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        saved = save()
    except DomainError as exc:
        add_form_error(form, exc)
        return None
    messages.success(request, message(saved) if callable(message) else message)
    return redirect(then(saved) if callable(then) else then)


def run_action(request, step, *, success=None):
    """Run ``step()``, the service call of a POSTed action, and flash how it went: ``success`` (text,
    or a callable of what ``step`` returned; when ``None``, ``step`` returns the text itself) once it
    is done, or the message of the ``DomainError`` it raised. True when it was done."""
    try:
        result = step()
    except DomainError as exc:
        messages.error(request, exc.message)
        return False
    if success is None:
        messages.success(request, result)
    else:
        messages.success(request, success(result) if callable(success) else success)
    return True


def safe_next(request, fallback):
    """The ``next`` of the POST or the query when it points to this host, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return fallback


def query_without(request, *names):
    """The page's query string without the parameters ``names`` (the page number, by default)."""
    query = request.GET.copy()
    for name in names or ("page",):
        query.pop(name, None)
    return query.urlencode()


def list_context(request, filterset, queryset, *, per_page=PAGE_SIZE, paginator_class=Paginator):
    """What a filtered list page shows: ``filter`` (the filter bar), ``page_obj`` (the page ``?page=``
    asks for, the last one when it is past the end) and ``query`` (the query string without the page,
    for the export and sort links)."""
    return {
        "filter": filterset,
        "page_obj": paginator_class(queryset, per_page).get_page(request.GET.get("page")),
        "query": query_without(request),
    }


def export_format(request):
    """``xlsx`` (the default) or ``csv`` from ``?format=``; anything else is a 404."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in ("xlsx", "csv"):
        raise Http404
    return fmt


def first_or_404(queryset):
    """The first row of ``queryset`` (a viewer's scoped rows filtered to one record), or a 404."""
    row = queryset.first()
    if row is None:
        raise Http404
    return row


CONFIRM_FIELD = "confirmed"


def is_confirmed(request):
    """True when the POST comes from a confirmation page (:func:`confirmation_page`)."""
    return request.POST.get(CONFIRM_FIELD) == "1"


def confirmation_page(
    request, *, question, subject, facts, consequence, button, back_url, status=200, post_url=None, hidden=None
):
    """The server-rendered confirmation of a destructive step (withdraw, decline, cancel…): restates what will
    happen (``facts``: ``[(label, value)]``; ``consequence``: a sentence) and posts the same fields again with
    ``confirmed=1`` (or ``hidden`` to ``post_url``); "Back" changes nothing. Money steps have their own page
    (templates/funding/money_confirm.html)."""
    hidden = (
        hidden
        if hidden is not None
        else [
            (name, value)
            for name in request.POST
            if name not in ("csrfmiddlewaretoken", CONFIRM_FIELD)
            for value in request.POST.getlist(name)
        ]
    )
    context = {
        "question": question,
        "subject": subject,
        "facts": facts,
        "consequence": consequence,
        "button": button,
        "back_url": back_url,
        "post_url": post_url or request.path,
        "hidden": hidden,
    }
    return render(request, "core/action_confirm.html", context, status=status)
