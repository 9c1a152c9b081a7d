"""Pages of the providers app: the resource pool, the product catalogue, evaluation bodies, the
district's assignments, satisfaction ratings and the scorecards. Views only translate HTTP: a form
(or the query string) in, a selector or a service call, a page or a redirect out. A record outside
the viewer's scope is a 404, as a missing one."""

import functools

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.models import BackgroundJob
from core.pages import (
    add_form_error,
    export_format,
    first_or_404,
    form_problems,
    found_or_404,
    list_context,
    query_without,
    run_action,
    safe_next,
    saved_redirect,
)
from core.permissions import allowed, can_see_history, require
from core.roles import Role, role_of
from enterprises.models import Enterprise
from enterprises.selectors import enterprise_get, enterprise_list

from . import permissions, selectors, services
from .choices import SCENE_LABELS, PoolStatus
from .exports import product_export_response, provider_export_response
from .forms import (
    AssignForm,
    AssignOneForm,
    EndAssignmentForm,
    EvaluationBodyForm,
    KeyProviderForm,
    PeriodForm,
    PoolStatusForm,
    ProductForm,
    ProviderForm,
    RatingForm,
    RecogniseForm,
    ReplyForm,
    RevokeKeyForm,
    WeightsForm,
    WithdrawRecognitionForm,
)
from .models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment
from .scorecard import METRIC_HELP, normalise_period, scorecard_metrics

ASSIGN_PAGE_SIZE = 100


# --- The resource pool -------------------------------------------------------------------------------


@login_required
def provider_list_page(request):
    """The resource pool with filters (type, sector, scene, pool status, key provider, search) and counts."""
    require(permissions.can_view_providers(request.user))
    filterset, queryset = selectors.provider_filtered(viewer=request.user, params=request.GET)
    return render(
        request,
        "providers/list.html",
        {
            **list_context(request, filterset, queryset),
            "counts": selectors.provider_counts(queryset=queryset),
            "sort_query": query_without(request, "page", "sort"),
            "sort": request.GET.get("sort", ""),
            "can_manage": permissions.can_manage_providers(request.user)[0],
            "scene_labels": SCENE_LABELS,
        },
    )


@login_required
def provider_export(request):
    """The 服务商清单 in the viewer's scope, with the list's filters."""
    require(permissions.can_view_providers(request.user))
    fmt = export_format(request)
    _filterset, queryset = selectors.provider_filtered(viewer=request.user, params=request.GET)
    return provider_export_response(request, queryset, fmt)


@login_required
def provider_create(request):
    require(permissions.can_manage_providers(request.user))
    form = ProviderForm(request.POST or None)
    if done := saved_redirect(
        request,
        form,
        lambda: services.provider_create(actor=request.user, **form.facts()),
        message=lambda provider: _("{name} has been added to the resource pool.").format(name=provider.name),
        then=lambda provider: reverse("providers:detail", args=[provider.pk]),
    ):
        return done
    return render(request, "providers/form.html", {"form": form, "creating": True})


@login_required
def provider_edit(request, pk):
    provider = found_or_404(selectors.provider_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    initial = {field: getattr(provider, field) for field in (*services.PROVIDER_FIELDS, "credit_code")}
    form = ProviderForm(request.POST or None, initial=initial, editing=True)
    if done := saved_redirect(
        request,
        form,
        lambda: services.provider_update(actor=request.user, provider=provider, **form.facts()),
        message=_("The provider's record has been saved."),
        then=reverse("providers:detail", args=[provider.pk]),
    ):
        return done
    return render(request, "providers/form.html", {"form": form, "provider": provider, "creating": False})


@login_required
def provider_detail(request, pk):
    """A provider's page: facts, its users, products, enterprises, diagnoses, ratings, scorecards, events."""
    user = request.user
    provider = found_or_404(selectors.provider_get, viewer=user, pk=pk)
    can_manage = permissions.can_manage_providers(user)[0]
    assignments = list(selectors.provider_assignments(viewer=user, provider=provider))
    context = {
        "provider": provider,
        "scene_labels": SCENE_LABELS,
        "users": selectors.provider_users(provider=provider),
        "products": selectors.product_list(viewer=user).filter(provider=provider).order_by("name"),
        "assignments": assignments,
        "diagnosis_count": selectors.provider_diagnosis_count(provider=provider),
        "events": selectors.provider_events(viewer=user, provider=provider)[:50],
        "can_manage": can_manage,
        "can_add_product": permissions.can_create_product(user, provider)[0],
        "can_see_history": allowed(can_see_history(user)),
    }
    if permissions.can_view_scorecards(user)[0]:
        context["scorecards"] = selectors.provider_scorecards(viewer=user, provider=provider)
    if permissions.can_view_ratings(user)[0]:
        context["ratings"] = selectors.rating_list(viewer=user, params={"provider": provider.pk})[:50]
        context["rating_summary"] = selectors.rating_summary(viewer=user, provider=provider)
    rateable = [a.enterprise for a in assignments if permissions.can_rate(user, a.enterprise)[0]]
    if rateable:
        context["rating_form"] = RatingForm(
            enterprises=enterprise_list(viewer=user).filter(pk__in=[e.pk for e in rateable]).order_by("name")
        )
    if can_manage:
        context.update(
            pool_form=PoolStatusForm(initial={"date": timezone.localdate()}),
            key_form=KeyProviderForm(initial={"date": timezone.localdate()}),
            revoke_form=RevokeKeyForm(),
            end_form=EndAssignmentForm(),
        )
    return render(request, "providers/detail.html", context)


@login_required
@require_POST
def provider_action(request, pk, action):
    """The district's dated decisions on a provider: pool status, key-provider designation or revocation."""
    if action not in ("pool", "key", "revoke"):
        raise Http404
    provider = found_or_404(selectors.provider_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    try:
        if action == "pool":
            form = PoolStatusForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", form_problems(form))
            services.provider_set_pool_status(
                actor=request.user,
                provider=provider,
                status=form.cleaned_data["status"],
                date=form.cleaned_data.get("date"),
                note=form.cleaned_data.get("note") or "",
            )
            messages.success(
                request,
                _("{name} is now: {status}.").format(
                    name=provider.name, status=PoolStatus(form.cleaned_data["status"]).label
                ),
            )
        elif action == "key":
            form = KeyProviderForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", form_problems(form))
            services.provider_designate_key(
                actor=request.user,
                provider=provider,
                date=form.cleaned_data["date"],
                note=form.cleaned_data.get("note") or "",
            )
            messages.success(request, _("{name} is designated a key provider.").format(name=provider.name))
        else:
            form = RevokeKeyForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Say why the designation is revoked."))
            services.provider_revoke_key(actor=request.user, provider=provider, note=form.cleaned_data["note"])
            messages.success(request, _("The key-provider designation has been revoked."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("providers:detail", pk=provider.pk)


# --- Assignments -------------------------------------------------------------------------------------


def _assign_page(request, *, organisation, assigned_ids, assign_many, template_context):
    """Pick several pilot enterprises from a filtered list and assign them (GET shows, POST assigns)."""
    filterset, candidates = selectors.assignable_enterprises(
        viewer=request.user, params=request.GET, exclude_ids=assigned_ids
    )
    form = AssignForm(request.POST or None, initial={"assigned_on": timezone.localdate()})
    if request.method == "POST":
        ids = [value for value in request.POST.getlist("ids") if value.isdigit()]
        chosen = list(enterprise_list(viewer=request.user).filter(pk__in=ids))
        if not chosen:
            messages.error(request, _("Tick the enterprises to assign."))
        elif form.is_valid():
            if run_action(
                request,
                lambda: assign_many(chosen, form.cleaned_data.get("assigned_on")),
                success=lambda count: _("{n} enterprises assigned to {name}.").format(n=count, name=organisation.name),
            ):
                return redirect(request.get_full_path())
        else:
            messages.error(request, form_problems(form))
    return render(
        request,
        "providers/assign.html",
        {
            **list_context(request, filterset, candidates.select_related("unit"), per_page=ASSIGN_PAGE_SIZE),
            "form": form,
            "organisation": organisation,
            **template_context,
        },
    )


@login_required
def provider_assign(request, pk):
    provider = found_or_404(selectors.provider_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    assigned = ProviderAssignment.objects.filter(provider=provider).values_list("enterprise_id", flat=True)
    return _assign_page(
        request,
        organisation=provider,
        assigned_ids=assigned,
        assign_many=lambda chosen, on: services.provider_assign_many(
            actor=request.user, enterprises=chosen, provider=provider, assigned_on=on
        ),
        template_context={"back_url": reverse("providers:detail", args=[provider.pk]), "kind": "provider"},
    )


@login_required
def body_assign(request, pk):
    require(permissions.can_view_evaluation_bodies(request.user))
    body = found_or_404(selectors.evaluation_body_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    assigned = EvaluatorAssignment.objects.filter(evaluation_body=body).values_list("enterprise_id", flat=True)
    return _assign_page(
        request,
        organisation=body,
        assigned_ids=assigned,
        assign_many=lambda chosen, on: services.evaluator_assign_many(
            actor=request.user, enterprises=chosen, evaluation_body=body, assigned_on=on
        ),
        template_context={"back_url": reverse("providers:body_detail", args=[body.pk]), "kind": "body"},
    )


@login_required
@require_POST
def assignment_end(request, pk, kind):
    """End a provider's (``kind="provider"``) or an evaluation body's (``"body"``) assignment."""
    if kind == "provider":
        queryset = ProviderAssignment.objects.visible_to(request.user).select_related("provider", "enterprise")
    elif kind == "body":
        queryset = EvaluatorAssignment.objects.visible_to(request.user).select_related("evaluation_body", "enterprise")
    else:
        raise Http404
    assignment = first_or_404(queryset.filter(pk=pk))
    require(permissions.can_manage_providers(request.user))
    fallback = (
        reverse("providers:detail", args=[assignment.provider_id])
        if kind == "provider"
        else reverse("providers:body_detail", args=[assignment.evaluation_body_id])
    )
    form = EndAssignmentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(safe_next(request, fallback))
    end = services.provider_unassign if kind == "provider" else services.evaluator_unassign
    run_action(
        request,
        lambda: end(
            actor=request.user,
            assignment=assignment,
            date=form.cleaned_data.get("date"),
            reason=form.cleaned_data["reason"],
        ),
        success=_("The assignment of {name} has been ended.").format(name=assignment.enterprise),
    )
    return redirect(safe_next(request, fallback))


@login_required
@require_POST
def enterprise_assign(request, pk, kind):
    """From the enterprise's page: assign it to one provider or evaluation body."""
    if kind not in ("provider", "body"):
        raise Http404
    enterprise = found_or_404(enterprise_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    queryset = Provider.objects.all() if kind == "provider" else EvaluationBody.objects.all()
    form = AssignOneForm(request.POST, queryset=queryset, prefix=kind)
    if not form.is_valid():
        messages.error(request, form_problems(form))
    else:
        target = form.cleaned_data["target"]
        if kind == "provider":
            assign = functools.partial(services.provider_assign, provider=target)
        else:
            assign = functools.partial(services.evaluator_assign, evaluation_body=target)
        run_action(
            request,
            lambda: assign(actor=request.user, enterprise=enterprise, assigned_on=form.cleaned_data.get("assigned_on")),
            success=_("{name} has been assigned.").format(name=target.name),
        )
    return redirect(reverse("enterprises:detail", args=[enterprise.pk]) + "#section-assignments")


# --- Satisfaction ratings ----------------------------------------------------------------------------


@login_required
@require_POST
def rating_create(request):
    """Record a satisfaction rating, from a provider's page or an enterprise's page (``next``)."""
    user = request.user
    enterprise = enterprise_list(viewer=user).filter(pk=request.POST.get("enterprise") or 0).first()
    provider = selectors.provider_list(viewer=user).filter(pk=request.POST.get("provider") or 0).first()
    if enterprise is None or provider is None:
        raise Http404
    require(permissions.can_rate(user, enterprise))
    fallback = reverse("providers:detail", args=[provider.pk])
    form = RatingForm(
        request.POST,
        enterprises=Enterprise.objects.filter(pk=enterprise.pk),
        providers=Provider.objects.filter(pk=provider.pk),
    )
    if not form.is_valid():
        messages.error(request, form_problems(form))
        return redirect(safe_next(request, fallback))
    run_action(
        request,
        lambda: services.rating_create(
            actor=user,
            enterprise=enterprise,
            provider=provider,
            score=form.cleaned_data["score"],
            rated_on=form.cleaned_data.get("rated_on"),
            comment=form.cleaned_data.get("comment") or "",
        ),
        success=_("The satisfaction rating has been recorded."),
    )
    return redirect(safe_next(request, fallback))


# --- Products ----------------------------------------------------------------------------------------


@login_required
def product_list_page(request):
    filterset, queryset = selectors.product_filtered(viewer=request.user, params=request.GET)
    user = request.user
    can_add = role_of(user) in (Role.ADMIN, Role.DISTRICT_OFFICIAL) or (
        role_of(user) == Role.PROVIDER_USER and user.provider_id is not None
    )
    return render(
        request,
        "providers/product_list.html",
        {
            **list_context(request, filterset, queryset),
            "recognised_count": queryset.filter(recognised_on__isnull=False).count(),
            "can_add": can_add,
            "scene_labels": SCENE_LABELS,
        },
    )


@login_required
def product_export(request):
    """The 优秀产品清单: recognised products in the viewer's scope, with the catalogue's filters."""
    fmt = export_format(request)
    _filterset, queryset = selectors.product_filtered(viewer=request.user, params=request.GET)
    return product_export_response(request, queryset.filter(recognised_on__isnull=False), fmt)


def _product_form(request, *, data=None, initial=None, editing=False):
    user = request.user
    fixed = user.provider if role_of(user) == Role.PROVIDER_USER else None
    return ProductForm(
        data,
        initial=initial,
        providers=selectors.provider_list(viewer=user).order_by("name"),
        fixed_provider=fixed,
        can_recognise=permissions.can_recognise_products(user)[0],
        editing=editing,
    )


@login_required
def product_create(request):
    user = request.user
    if role_of(user) not in (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.PROVIDER_USER):
        raise PermissionDenied
    initial = {"deployments": 0}
    if request.GET.get("provider", "").isdigit():
        initial["provider"] = request.GET["provider"]
    form = _product_form(request, data=request.POST or None, initial=initial)
    if done := saved_redirect(
        request,
        form,
        lambda: services.product_create(
            actor=user,
            provider=form.cleaned_data["provider"],
            recognised_on=form.cleaned_data.get("recognised_on"),
            **form.facts(),
        ),
        message=lambda product: _("{name} has been added to the catalogue.").format(name=product.name),
        then=lambda product: reverse("providers:product_detail", args=[product.pk]),
    ):
        return done
    return render(request, "providers/product_form.html", {"form": form, "creating": True})


@login_required
def product_edit(request, pk):
    product = found_or_404(selectors.product_get, viewer=request.user, pk=pk)
    require(permissions.can_edit_product(request.user, product))
    initial = {field: getattr(product, field) for field in services.PRODUCT_FIELDS}
    form = _product_form(request, data=request.POST or None, initial=initial, editing=True)
    if done := saved_redirect(
        request,
        form,
        lambda: services.product_update(actor=request.user, product=product, **form.facts()),
        message=_("The product has been saved."),
        then=reverse("providers:product_detail", args=[product.pk]),
    ):
        return done
    return render(request, "providers/product_form.html", {"form": form, "product": product, "creating": False})


@login_required
def product_detail(request, pk):
    user = request.user
    product = found_or_404(selectors.product_get, viewer=user, pk=pk)
    return render(
        request,
        "providers/product_detail.html",
        {
            "product": product,
            "scene_labels": SCENE_LABELS,
            "can_edit": permissions.can_edit_product(user, product)[0],
            "can_recognise": permissions.can_recognise_products(user)[0],
            "provider_visible": selectors.provider_list(viewer=user).filter(pk=product.provider_id).exists(),
            "recognise_form": RecogniseForm(initial={"date": timezone.localdate()}),
            "withdraw_form": WithdrawRecognitionForm(),
            "can_see_history": allowed(can_see_history(user)),
        },
    )


@login_required
@require_POST
def product_action(request, pk, action):
    """The district recognises a product (selects it for the 优秀产品清单) or withdraws the recognition."""
    if action not in ("recognise", "withdraw"):
        raise Http404
    product = found_or_404(selectors.product_get, viewer=request.user, pk=pk)
    require(permissions.can_recognise_products(request.user))
    try:
        if action == "recognise":
            form = RecogniseForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", form_problems(form))
            services.product_recognise(actor=request.user, product=product, date=form.cleaned_data.get("date"))
            messages.success(request, _("{name} is recognised.").format(name=product.name))
        else:
            form = WithdrawRecognitionForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Say why the recognition is withdrawn."))
            services.product_withdraw_recognition(
                actor=request.user, product=product, reason=form.cleaned_data["reason"]
            )
            messages.success(request, _("The recognition has been withdrawn."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("providers:product_detail", pk=product.pk)


# --- Evaluation bodies -------------------------------------------------------------------------------


@login_required
def body_list_page(request):
    require(permissions.can_view_evaluation_bodies(request.user))
    filterset, queryset = selectors.evaluation_body_filtered(viewer=request.user, params=request.GET)
    return render(
        request,
        "providers/body_list.html",
        {
            **list_context(request, filterset, queryset),
            "can_manage": permissions.can_manage_providers(request.user)[0],
        },
    )


@login_required
def body_detail(request, pk):
    require(permissions.can_view_evaluation_bodies(request.user))
    body = found_or_404(selectors.evaluation_body_get, viewer=request.user, pk=pk)
    can_manage = permissions.can_manage_providers(request.user)[0]
    return render(
        request,
        "providers/body_detail.html",
        {
            "body": body,
            "staff": selectors.evaluation_body_staff(evaluation_body=body),
            "assignments": selectors.evaluator_assignments(viewer=request.user, evaluation_body=body),
            "can_manage": can_manage,
            "end_form": EndAssignmentForm() if can_manage else None,
            "can_see_history": allowed(can_see_history(request.user)),
        },
    )


@login_required
def body_create(request):
    require(permissions.can_manage_providers(request.user))
    form = EvaluationBodyForm(request.POST or None)
    if done := saved_redirect(
        request,
        form,
        lambda: services.evaluation_body_create(actor=request.user, **form.facts()),
        message=lambda body: _("{name} has been registered.").format(name=body.name),
        then=lambda body: reverse("providers:body_detail", args=[body.pk]),
    ):
        return done
    return render(request, "providers/body_form.html", {"form": form, "creating": True})


@login_required
def body_edit(request, pk):
    require(permissions.can_view_evaluation_bodies(request.user))
    body = found_or_404(selectors.evaluation_body_get, viewer=request.user, pk=pk)
    require(permissions.can_manage_providers(request.user))
    initial = {f: getattr(body, f) for f in ("credit_code", "name", "contact_name", "contact_phone")}
    form = EvaluationBodyForm(request.POST or None, initial=initial)
    if done := saved_redirect(
        request,
        form,
        lambda: services.evaluation_body_update(actor=request.user, evaluation_body=body, **form.facts()),
        message=_("The evaluation body's record has been saved."),
        then=reverse("providers:body_detail", args=[body.pk]),
    ):
        return done
    return render(request, "providers/body_form.html", {"form": form, "body": body, "creating": False})


# --- Scorecards --------------------------------------------------------------------------------------

SCORECARD_SORTS = ("total", "-total", "name", "-name")


def _default_period(periods):
    return periods[0] if periods else str(max(2025, min(timezone.localdate().year, 2026)))


def _sort_cards(cards, sort):
    """Sort by total or a metric's points (descending by default); cards without a value go last."""
    key = sort.lstrip("-")
    descending = not sort.startswith("-")
    if key == "name":
        return sorted(cards, key=lambda c: c.provider.name, reverse=sort.startswith("-"))

    def value(card):
        if key == "total":
            return card.total
        return (card.metrics.get(key) or {}).get("points")

    with_value = [c for c in cards if value(c) is not None]
    without = [c for c in cards if value(c) is None]
    with_value.sort(key=lambda c: (value(c), c.provider.name), reverse=descending)
    return with_value + sorted(without, key=lambda c: c.provider.name)


@login_required
def scorecard_list(request):
    """The district's comparison table for one period (sortable), with the weights and the recompute
    button; a provider user sees its own cards, one per period."""
    user = request.user
    require(permissions.can_view_scorecards(user))
    metrics = scorecard_metrics()
    if request.method == "POST":
        require(permissions.can_compute_scorecards(user))
    if not permissions.can_compare_scorecards(user)[0]:
        cards = selectors.scorecard_list(viewer=user)
        return render(
            request, "providers/scorecard_own.html", {"cards": cards, "metrics": metrics, "metric_help": METRIC_HELP}
        )
    can_compute = permissions.can_compute_scorecards(user)[0]
    period_form = PeriodForm(request.POST or None)
    if request.method == "POST":
        if period_form.is_valid():
            period = normalise_period(period_form.cleaned_data["period"])
            try:
                job = services.scorecard_recompute_request(actor=user, period=period)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                job.refresh_from_db()
                if job.status == BackgroundJob.Status.DONE:
                    messages.success(
                        request, _("The scorecards of {period} have been recomputed.").format(period=period)
                    )
                else:
                    messages.info(request, _("The scorecards of {period} are being recomputed.").format(period=period))
                return redirect(reverse("providers:scorecards") + f"?period={period}")
        else:
            messages.error(request, form_problems(period_form))
    periods = selectors.scorecard_periods(viewer=user)
    period = normalise_period(request.GET.get("period")) or _default_period(periods)
    sort = request.GET.get("sort", "total")
    valid_sorts = {*SCORECARD_SORTS, *(m.code for m in metrics), *(f"-{m.code}" for m in metrics)}
    if sort not in valid_sorts:
        sort = "total"
    cards = _sort_cards(list(selectors.scorecard_list(viewer=user, params={"period": period})), sort)
    return render(
        request,
        "providers/scorecard_list.html",
        {
            "cards": cards,
            "metrics": metrics,
            "period": period,
            "periods": periods,
            "sort": sort,
            "weights": selectors.current_weights(),
            "can_compute": can_compute,
            "period_form": PeriodForm(initial={"period": period}),
            "last_job": BackgroundJob.objects.filter(kind="scorecard_compute").order_by("-created_at").first(),
            "metric_help": METRIC_HELP,
        },
    )


def _effective_weights(card, metrics):
    """``{code: share %}``: each metric's share of the total after leaving out metrics without data."""
    with_data = {
        m.code: card.weights.get(m.code, 0) or 0
        for m in metrics
        if (card.metrics.get(m.code) or {}).get("value") is not None
    }
    total = sum(w for w in with_data.values() if w > 0)
    return {code: (round(100 * w / total, 1) if total and w > 0 else 0) for code, w in with_data.items()}


@login_required
def scorecard_detail(request, pk):
    """One provider's card: each metric's value, points, weight and the records behind it; the
    provider's cards of other periods; the card's recomputation history; the reply."""
    user = request.user
    require(permissions.can_view_scorecards(user))
    card = found_or_404(selectors.scorecard_get, viewer=user, pk=pk)
    metrics = scorecard_metrics()
    known = {m.code for m in metrics}
    rows = []
    effective = _effective_weights(card, metrics)
    for metric in metrics:
        entry = card.metrics.get(metric.code) or {}
        rows.append({"metric": metric, "entry": entry, "share": effective.get(metric.code)})
    extra = [code for code in card.metrics if code not in known]
    can_reply = permissions.can_reply(user, card)[0]
    form = ReplyForm(request.POST or None, initial={"reply": card.reply})
    if request.method == "POST":
        require(permissions.can_reply(user, card))
        if form.is_valid():
            try:
                services.scorecard_reply(actor=user, scorecard=card, reply=form.cleaned_data["reply"])
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(request, _("Your reply has been saved."))
                return redirect("providers:scorecard_detail", pk=card.pk)
    return render(
        request,
        "providers/scorecard_detail.html",
        {
            "card": card,
            "rows": rows,
            "extra_codes": extra,
            "other_cards": selectors.provider_scorecards(viewer=user, provider=card.provider).exclude(pk=card.pk),
            "versions": card.history.select_related("history_user").order_by("-history_date")[:20],
            "can_reply": can_reply,
            "form": form,
            "metric_help": METRIC_HELP,
            "provider_visible": selectors.provider_list(viewer=user).filter(pk=card.provider_id).exists(),
        },
    )


@login_required
def scorecard_weights(request):
    """The district sets the weights (history kept); everyone who compares cards sees them."""
    user = request.user
    require(permissions.can_compare_scorecards(user))
    metrics = scorecard_metrics()
    can_edit = permissions.can_compute_scorecards(user)[0]
    form = WeightsForm(request.POST or None, metrics=metrics, initial_weights=selectors.current_weights())
    if request.method == "POST":
        require(permissions.can_compute_scorecards(user))
        if form.is_valid():
            try:
                services.scorecard_weights_set(actor=user, weights=form.weights(), note=form.cleaned_data["note"])
            except DomainError as exc:
                add_form_error(form, exc)
            else:
                messages.success(
                    request, _("The weights have been saved. Recompute a period to apply them to its cards.")
                )
                return redirect("providers:scorecard_weights")
    return render(
        request,
        "providers/scorecard_weights.html",
        {
            "form": form,
            "can_edit": can_edit,
            "metrics": metrics,
            "weights": selectors.current_weights(),
            "record": selectors.weights_record(),
            "history": selectors.weights_history(),
            "metric_help": METRIC_HELP,
        },
    )
