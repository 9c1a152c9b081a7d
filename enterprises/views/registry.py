"""Registry pages: the list, the enterprise file, forms, the confirmation queue, units, exports."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.pages import (
    confirmation_page,
    export_format,
    form_problems,
    found_or_404,
    is_confirmed,
    list_context,
    query_without,
    run_action,
    saved_redirect,
)
from core.pagination import KeysFirstPaginator
from core.permissions import allowed, can_see_history
from core.roles import DISTRICT_ROLES, Role, role_of
from core.selectors import unit_list

from .. import permissions, services
from ..choices import Status, WithdrawalReason
from ..exports import export_response
from ..forms import CodeForm, EnterpriseForm, MoveForm, QuotaForm, ReasonForm, WithdrawForm
from ..models import UnitQuota
from ..sections import sections_for, unit_sections_for
from ..selectors import (
    enterprise_filtered,
    enterprise_get,
    enterprise_list,
    enterprise_status_counts,
    enterprise_status_history,
    proposed_queue,
    replaced_by_this,
    unit_enterprise_counts,
)


def _get(request, pk):
    return found_or_404(enterprise_get, viewer=request.user, pk=pk)


@login_required
def enterprise_list_page(request):
    """The registry in the viewer's scope, with filters, sortable columns and counts by status."""
    filterset, queryset = enterprise_filtered(viewer=request.user, params=request.GET)
    return render(
        request,
        "enterprises/list.html",
        {
            **list_context(request, filterset, queryset, paginator_class=KeysFirstPaginator),
            "sort_query": query_without(request, "page", "sort"),
            "sort": request.GET.get("sort", ""),
            "counts": enterprise_status_counts(viewer=request.user, queryset=queryset),
            "can_create": role_of(request.user) in (*DISTRICT_ROLES, Role.UNIT_STAFF),
        },
    )


@login_required
def enterprise_export(request):
    """The 试点企业清单 as xlsx or csv, in the viewer's scope and with the list's filters."""
    _filterset, queryset = enterprise_filtered(viewer=request.user, params=request.GET)
    return export_response(request, queryset, export_format(request))


def _created_message(enterprise):
    if enterprise.status == Status.PROPOSED:
        return _("{name} has been added and awaits the district's confirmation.").format(name=enterprise.name)
    return _("{name} has been added to the pilot list.").format(name=enterprise.name)


@login_required
def enterprise_create(request):
    role = role_of(request.user)
    if role not in (*DISTRICT_ROLES, Role.UNIT_STAFF):
        raise PermissionDenied
    fixed_unit = request.user.unit if role == Role.UNIT_STAFF else None
    form = EnterpriseForm(request.POST or None, fixed_unit=fixed_unit)
    if done := saved_redirect(
        request,
        form,
        lambda: services.enterprise_create(
            actor=request.user,
            credit_code=form.cleaned_data["credit_code"],
            unit=form.cleaned_data["unit"],
            **form.facts(),
        ),
        message=_created_message,
        then=lambda enterprise: reverse("enterprises:detail", args=[enterprise.pk]),
    ):
        return done
    return render(request, "enterprises/form.html", {"form": form, "creating": True})


@login_required
def enterprise_edit(request, pk):
    enterprise = _get(request, pk)
    allowed, reason = permissions.can_edit(request.user, enterprise)
    if not allowed:
        raise PermissionDenied(reason)
    initial = {name: getattr(enterprise, name) for name in services.EDITABLE_FIELDS}
    form = EnterpriseForm(request.POST or None, initial=initial, editing=True)
    if done := saved_redirect(
        request,
        form,
        lambda: services.enterprise_update(actor=request.user, enterprise=enterprise, **form.facts()),
        message=_("The enterprise file has been saved."),
        then=reverse("enterprises:detail", args=[enterprise.pk]),
    ):
        return done
    return render(request, "enterprises/form.html", {"form": form, "enterprise": enterprise, "creating": False})


@login_required
def enterprise_detail(request, pk):
    """The enterprise's whole file: facts, status history, replacements, assignments, history link."""
    enterprise = _get(request, pk)
    user = request.user
    can_decide = permissions.can_decide(user)[0]
    context = {
        "enterprise": enterprise,
        "status_history": enterprise_status_history(enterprise=enterprise),
        "replaces": replaced_by_this(enterprise=enterprise),
        "can_edit": permissions.can_edit(user, enterprise)[0],
        "can_decide": can_decide,
        "can_withdraw": permissions.can_withdraw(user, enterprise)[0] and enterprise.status == Status.ACTIVE,
        "can_see_history": allowed(can_see_history(user)),
        "withdraw_form": WithdrawForm(),
        "reason_form": ReasonForm(),
        "move_form": MoveForm(),
        "code_form": CodeForm(initial={"credit_code": enterprise.credit_code}),
        # Through the assignments' own scope: a provider never learns which other provider serves the enterprise.
        "provider_assignments": enterprise.provider_assignments.visible_to(user).select_related("provider"),
        "evaluator_assignments": enterprise.evaluator_assignments.visible_to(user).select_related("evaluation_body"),
        "sections": sections_for(request, enterprise),
    }
    return render(request, "enterprises/detail.html", context)


def _withdraw_confirmation(request, enterprise, data):
    replacement = data.get("replacement")
    if replacement:
        consequence = _(
            "{name} leaves the pilot list of {unit}; {replacement} takes its place, so the unit's total stays as it is."
        ).format(name=enterprise.name, unit=enterprise.unit, replacement=replacement.name)
    else:
        consequence = _(
            "{name} leaves the pilot list of {unit} and no enterprise takes its place: the unit's and the district's "
            "totals fall by one. A wrong withdrawal can be corrected with “Reinstate”."
        ).format(name=enterprise.name, unit=enterprise.unit)
    return confirmation_page(
        request,
        question=_("Withdraw this enterprise from the pilot list?"),
        subject=enterprise.name,
        facts=[
            (_("Enterprise"), f"{enterprise.name} · {enterprise.credit_code}"),
            (_("Unit"), enterprise.unit),
            (_("Reason"), dict(WithdrawalReason.choices).get(data["reason"], data["reason"])),
            (_("Date"), data["date"]),
            (
                _("Replacement enterprise"),
                f"{replacement.name} · {replacement.credit_code}" if replacement else _("none"),
            ),
            (_("Note"), data.get("note")),
        ],
        consequence=consequence,
        button=_("Withdraw"),
        back_url=reverse("enterprises:detail", args=[enterprise.pk]),
    )


ACTIONS = {"confirm", "decline", "withdraw", "reinstate", "move", "code", "replacement"}


@login_required
@require_POST
def enterprise_action(request, pk, action):
    """One workflow action on an enterprise, from the buttons of its file."""
    if action not in ACTIONS:
        raise Http404
    enterprise = _get(request, pk)
    actor = request.user
    try:
        if action == "confirm":
            services.enterprise_confirm(actor=actor, enterprise=enterprise)
            messages.success(request, _("{name} is now in the pilot list.").format(name=enterprise.name))
        elif action == "decline":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError("reason_required", _("Say why the enterprise is declined."))
            if not is_confirmed(request):
                return confirmation_page(
                    request,
                    question=_("Decline this enterprise?"),
                    subject=enterprise.name,
                    facts=[
                        (_("Enterprise"), f"{enterprise.name} · {enterprise.credit_code}"),
                        (_("Unit"), enterprise.unit),
                        (_("Reason"), form.cleaned_data["note"]),
                        (_("Date"), form.cleaned_data.get("date") or _("today")),
                    ],
                    consequence=_(
                        "The enterprise does not enter the pilot list; the street/town that proposed it is told why. "
                        "A wrong decision can be corrected with “Reinstate”."
                    ),
                    button=_("Decline"),
                    back_url=reverse("enterprises:detail", args=[enterprise.pk]),
                )
            services.enterprise_decline(
                actor=actor, enterprise=enterprise, reason=form.cleaned_data["note"], date=form.cleaned_data.get("date")
            )
            messages.success(request, _("{name} has been declined.").format(name=enterprise.name))
        elif action == "withdraw":
            form = WithdrawForm(request.POST, enterprises=enterprise_list(viewer=actor))
            if not form.is_valid():
                raise DomainError("invalid", form_problems(form))
            if not is_confirmed(request):
                return _withdraw_confirmation(request, enterprise, form.cleaned_data)
            services.enterprise_withdraw(
                actor=actor,
                enterprise=enterprise,
                reason=form.cleaned_data["reason"],
                date=form.cleaned_data["date"],
                replacement=form.cleaned_data.get("replacement"),
                note=form.cleaned_data.get("note") or "",
            )
            messages.success(request, _("{name} has been withdrawn from the pilot list.").format(name=enterprise.name))
        elif action == "reinstate":
            form = ReasonForm(request.POST)
            if not form.is_valid():
                raise DomainError("reason_required", _("Say why the enterprise is reinstated."))
            services.enterprise_reinstate(
                actor=actor, enterprise=enterprise, note=form.cleaned_data["note"], date=form.cleaned_data.get("date")
            )
            messages.success(request, _("{name} is back in the pilot list.").format(name=enterprise.name))
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Choose the new unit and say why."))
            services.enterprise_move(
                actor=actor, enterprise=enterprise, unit=form.cleaned_data["unit"], note=form.cleaned_data["note"]
            )
            messages.success(
                request, _("{name} now belongs to {unit}.").format(name=enterprise.name, unit=form.cleaned_data["unit"])
            )
        elif action == "code":
            form = CodeForm(request.POST)
            if not form.is_valid():
                raise DomainError("invalid", _("Enter the credit code."))
            services.enterprise_update(
                actor=actor,
                enterprise=enterprise,
                credit_code=form.cleaned_data["credit_code"],
                credit_code_override_reason=form.cleaned_data.get("credit_code_override_reason") or None,
            )
            messages.success(request, _("The credit code has been saved."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("enterprises:detail", pk=enterprise.pk)


@login_required
def confirm_queue(request):
    """Proposed enterprises awaiting the district: confirm them singly or in batches."""
    if not permissions.can_decide(request.user)[0]:
        raise PermissionDenied
    queue = proposed_queue(viewer=request.user)
    if request.method == "POST":
        chosen = list(queue.filter(pk__in=request.POST.getlist("ids")))
        if not chosen:
            messages.error(request, _("Tick the enterprises to confirm."))
        else:
            run_action(
                request,
                lambda: services.enterprise_confirm_many(actor=request.user, enterprises=chosen),
                success=_("{n} enterprises are now in the pilot list.").format(n=len(chosen)),
            )
        return redirect("enterprises:confirm_queue")
    return render(request, "enterprises/confirm_queue.html", {"queue": queue})


@login_required
def unit_overview(request):
    """Every unit's active count against the number it must keep, with warnings when short."""
    if role_of(request.user) not in (
        Role.ADMIN,
        Role.DISTRICT_OFFICIAL,
        Role.FINANCE_OFFICER,
        Role.AUDITOR,
        Role.UNIT_STAFF,
    ):
        raise PermissionDenied
    rows = unit_enterprise_counts(viewer=request.user)
    return render(
        request,
        "enterprises/unit_overview.html",
        {
            "rows": rows,
            "totals": {key: sum(r[key] or 0 for r in rows) for key in ("active", "proposed", "withdrawn", "required")},
        },
    )


@login_required
def unit_detail(request, code):
    """One unit's page: its count against its quota, withdrawals and replacements, its proposals."""
    unit = unit_list().filter(code=code).first()
    role = role_of(request.user)
    if unit is None or (role == Role.UNIT_STAFF and request.user.unit_id != unit.pk):
        raise Http404
    if role in (Role.PROVIDER_USER, Role.EVALUATOR, None):
        raise PermissionDenied
    quota = UnitQuota.objects.filter(unit=unit).first()
    form = QuotaForm(
        request.POST or None,
        initial={"required": quota.required if quota else None, "note": quota.note if quota else ""},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and run_action(
            request,
            lambda: services.unit_quota_set(actor=request.user, unit=unit, **form.cleaned_data),
            success=_("The quota has been saved."),
        )
    ):
        return redirect("enterprises:unit_detail", code=unit.code)
    mine = enterprise_list(viewer=request.user).filter(unit=unit)
    counts = enterprise_status_counts(viewer=request.user, queryset=mine)
    withdrawn = mine.filter(status=Status.WITHDRAWN).select_related("replacement").order_by("-withdrawn_on")
    return render(
        request,
        "enterprises/unit_detail.html",
        {
            "unit": unit,
            "quota": quota,
            "counts": counts,
            "form": form,
            "short": max(0, quota.required - counts["active"]) if quota else 0,
            "withdrawn": withdrawn,
            "without_replacement": [e for e in withdrawn if e.replacement_id is None],
            "proposed": mine.filter(status=Status.PROPOSED).order_by("created_at"),
            "can_decide": permissions.can_decide(request.user)[0],
            "sections": unit_sections_for(request, unit),
        },
    )
