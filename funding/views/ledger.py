"""Pages of the fund ledger: fund sources and budget lines with their figures and chart, budget
editing (finance), commitments (district), the finance officer's payment queue, payments with their
invoices and reversals, the subsidy policy, and the financing list (金融清单).

Who: finance officers set budgets, approve, pay, reject and reverse; district officials commit and
request payments; auditors read everything; admins may do everything. The services enforce the money
rules; these views only translate HTTP.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.money import WAN, format_wan, format_yuan
from core.pages import first_or_404, run_action, saved_redirect
from core.permissions import require
from enterprises.selectors import enterprise_list

from .. import balances, ledger_terms, permissions, selectors
from ..balances import ZERO, commitment_line_claimed, commitment_line_paid
from ..choices import BudgetPurpose, DisbursementStatus, FundSourceKind, ProjectStatus
from ..exports import export_ledger
from ..forms import (
    BudgetLineForm,
    CommitmentForm,
    DateOnlyForm,
    DisbursementRequestForm,
    FileForm,
    PayForm,
    PolicyForm,
    ProjectCommitmentForm,
    ReasonForm,
)
from ..models import BudgetLine, Commitment, SubsidyPolicy
from ..services import evidence, financing, ledger
from .common import FormStep, project_or_404, valid


def _ledger_reader(request):
    require(permissions.can_see_ledger(request.user))


def _chart(lines):
    """Bar-chart data per budget line, in 万元 (floats are fine for drawing; the table shows exact figures)."""
    return {
        "names": [ln.name for ln in lines],
        "budget": [float(ln.amount / WAN) for ln in lines],
        "committed": [float(ln.committed / WAN) for ln in lines],
        "paid": [float(ln.paid / WAN) for ln in lines],
        "available": [float((ln.amount - ln.committed) / WAN) for ln in lines],
    }


def _ledger_page(request, summary, *, single):
    """The ledger page of the fund sources in ``summary`` (``single``: the one source shown alone), a chart each."""
    for entry in summary:
        code = entry["source"].code
        entry.update(chart=_chart(entry["lines"]), chart_id=f"chart-{code}", chart_data_id=f"chart-{code}-data")
    return render(
        request,
        "funding/ledger.html",
        {
            "summary": summary,
            "can_budget": permissions.can_manage_ledger(request.user)[0],
            "single": single,
            "terms": ledger_terms.FIGURES,
            "terms_note": ledger_terms.FIGURE_NOTE,
        },
    )


@login_required
def ledger_overview(request):
    """Both fund sources: totals, the central grant's 80% floor and 20% cap, a chart per source."""
    _ledger_reader(request)
    return _ledger_page(request, selectors.ledger_summary(viewer=request.user), single=None)


@login_required
def ledger_source(request, code):
    """One fund source's page: its lines, figures and chart."""
    _ledger_reader(request)
    summary = [e for e in selectors.ledger_summary(viewer=request.user) if e["source"].code == code]
    if not summary:
        raise Http404
    return _ledger_page(request, summary, single=summary[0]["source"])


def _line(request, pk):
    line = first_or_404(selectors.budget_lines(viewer=request.user).filter(pk=pk))
    line.available = line.amount - line.committed
    return line


@login_required
def budget_line_detail(request, pk):
    """One budget line: its figures, the commitments charged to it and their payments."""
    _ledger_reader(request)
    line = _line(request, pk)
    commitment_lines = list(
        line.commitment_lines.select_related("commitment__enterprise", "commitment__project").order_by(
            "-commitment__committed_on", "-pk"
        )
    )
    for cl in commitment_lines:
        cl.claimed = commitment_line_claimed(cl)
        cl.paid = commitment_line_paid(cl)
    disbursements = selectors.disbursement_list(viewer=request.user).filter(commitment_line__budget_line=line)
    return render(
        request,
        "funding/budget_line_detail.html",
        {
            "line": line,
            "commitment_lines": commitment_lines,
            "disbursements": disbursements.order_by("-requested_on", "-pk")[:200],
            "can_budget": permissions.can_manage_ledger(request.user)[0],
            "chart": _chart([line]),
        },
    )


@login_required
def budget_line_form(request, pk=None):
    """Set a line's budget (finance officers): a new line for a source and purpose, or a change."""
    require(permissions.can_manage_ledger(request.user))
    line = _line(request, pk) if pk else None
    if line:
        initial = {"source": line.source_id, "purpose": line.purpose, "amount": line.amount, "name": line.name}
    else:
        initial = {k: request.GET[k] for k in ("source", "purpose") if request.GET.get(k)}
    form = BudgetLineForm(request.POST or None, initial=initial)
    if line:
        form.fields["source"].disabled = True
        form.fields["purpose"].disabled = True
    if done := saved_redirect(
        request,
        form,
        lambda: ledger.budget_line_set(
            actor=request.user,
            source=form.cleaned_data["source"],
            purpose=form.cleaned_data["purpose"],
            amount=form.cleaned_data["amount"],
            name=form.cleaned_data.get("name") or "",
        ),
        message=_("The budget has been saved."),
        then=lambda saved: reverse("funding:budget_line", args=[saved.pk]),
    ):
        return done
    return render(request, "funding/budget_line_form.html", {"form": form, "line": line})


# --- commitments ------------------------------------------------------------------------------


def _commitment_url(commitment):
    return reverse("funding:commitment_detail", args=[commitment.pk])


@login_required
def commitment_list_page(request):
    _ledger_reader(request)
    commitments = (
        selectors.commitment_list(viewer=request.user)
        .select_related("project", "interest_subsidy", "created_by")
        .prefetch_related("lines__budget_line__source")
        .order_by("-committed_on", "-pk")[:500]
    )
    return render(
        request,
        "funding/commitment_list.html",
        {"commitments": commitments, "can_commit": permissions.can_commit(request.user)[0]},
    )


@login_required
def commitment_create(request):
    """Commit money outside a project subsidy (a platform contract, an evaluation contract…)."""
    require(permissions.can_commit(request.user))
    form = CommitmentForm(request.POST or None, enterprises=enterprise_list(viewer=request.user).order_by("name"))

    def save():
        data = form.cleaned_data
        return ledger.commitment_create(
            actor=request.user,
            title=data["title"],
            lines=[(data["budget_line"], data["amount"])],
            committed_on=data.get("committed_on"),
            enterprise=data.get("enterprise"),
            note=data.get("note") or "",
        )

    if done := saved_redirect(
        request, form, save, message=_("The commitment has been recorded."), then=_commitment_url
    ):
        return done
    return render(request, "funding/commitment_form.html", {"form": form})


@login_required
def project_commit(request, pk):
    """Commit a project's subsidy as the policy computes it, split between the two sources."""
    project = project_or_404(request, pk)
    require(permissions.can_commit(request.user))
    if project.status not in ledger.COMMITTABLE_PROJECT_STATES:
        messages.error(request, _("A subsidy is committed for a project the district has approved."))
        return redirect("funding:project_detail", pk=project.pk)
    policies = SubsidyPolicy.objects.filter(is_active=True)
    policy = policies.filter(pk=request.POST.get("policy") or request.GET.get("policy") or 0).first()
    policy = policy or policies.first()
    if policy is None:
        messages.error(request, _("No subsidy policy is in force: set one first."))
        return redirect("funding:policy_list")
    allowed = ledger.subsidy_for(project, policy)
    central_line = BudgetLine.objects.filter(
        source__kind=FundSourceKind.CENTRAL, purpose=BudgetPurpose.SME_TRANSFORMATION
    ).first()
    form = ProjectCommitmentForm(
        request.POST or None,
        initial={
            "title": _("Transformation subsidy: {project}").format(project=project),
            "policy": policy.pk,
            "central_line": central_line.pk if central_line else None,
            "central_amount": allowed,
        },
    )

    def save():
        data = form.cleaned_data
        return ledger.commitment_create(
            actor=request.user,
            title=data["title"],
            lines=data["lines"],
            committed_on=data.get("committed_on"),
            project=project,
            policy=data["policy"],
            note=data.get("note") or "",
        )

    if done := saved_redirect(request, form, save, message=_("The subsidy has been committed."), then=_commitment_url):
        return done
    return render(
        request,
        "funding/project_commit.html",
        {
            "project": project,
            "form": form,
            "policy": policy,
            "allowed": allowed,
            "computed": project.eligible_spend * policy.ratio,
            "already": selectors.subsidy_totals(
                queryset_commitments=Commitment.objects.filter(project__enterprise=project.enterprise).exclude(
                    project=project
                )
            ),
            "post_level": ledger.latest_post_level(project.enterprise),
            "passed": project.status == ProjectStatus.PASSED,
        },
    )


def _commitment(request, pk):
    _ledger_reader(request)
    return first_or_404(
        selectors.commitment_list(viewer=request.user)
        .select_related("project__enterprise", "interest_subsidy", "policy", "created_by")
        .filter(pk=pk)
    )


@login_required
def commitment_detail(request, pk):
    """A commitment: its lines with claimed and paid, its payments, the request form and release."""
    commitment = _commitment(request, pk)
    lines = list(commitment.lines.select_related("budget_line__source"))
    for cl in lines:
        cl.claimed = commitment_line_claimed(cl)
        cl.paid = commitment_line_paid(cl)
        cl.left = cl.amount - cl.claimed
    disbursements = (
        selectors.disbursement_list(viewer=request.user)
        .filter(commitment_line__commitment=commitment)
        .select_related("requested_by", "approved_by", "paid_by")
        .order_by("requested_on", "pk")
    )
    can_request = permissions.can_request_payment(request.user)[0] and commitment.status == "active"
    return render(
        request,
        "funding/commitment_detail.html",
        {
            "commitment": commitment,
            "lines": lines,
            "disbursements": disbursements,
            "can_request": can_request,
            "request_form": DisbursementRequestForm(
                commitment=commitment,
                prefix="pay",
                initial={"amount": next((cl.left for cl in lines if cl.left > 0), None)},
            ),
            "can_cancel": permissions.can_commit(request.user)[0] and commitment.status == "active",
            "cancel_refusal": ledger.four_eyes_refusal(request.user, commitment, "cancel"),
            "cancel_form": ReasonForm(prefix="cancel"),
        },
    )


@login_required
@require_POST
def commitment_action(request, pk, action):
    commitment = _commitment(request, pk)
    # A refused role answers 403 (the page is not for them); the services' own refusals become messages below.
    if action == "request":
        require(permissions.can_request_payment(request.user))
    elif action == "cancel":
        require(permissions.can_commit(request.user))
    else:
        raise Http404
    try:
        if action == "request":
            form = DisbursementRequestForm(request.POST, commitment=commitment, prefix="pay")
            valid(form)
            data = form.cleaned_data
            disbursement = ledger.disbursement_request(
                actor=request.user,
                commitment_line=data["commitment_line"],
                amount=data["amount"],
                tranche=data["tranche"],
                requested_on=data.get("date"),
                payee_account=data.get("payee_account") or "",
                reason=data.get("reason") or "",
            )
            messages.success(request, _("The payment has been requested; finance will approve it."))
            return redirect("funding:disbursement_detail", pk=disbursement.pk)
        form = ReasonForm(request.POST, prefix="cancel")
        valid(form)
        if refusal := ledger.four_eyes_refusal(request.user, commitment, "cancel"):
            raise DomainError("four_eyes", refusal)
        if request.POST.get("confirmed") != "1":
            return _commitment_confirmation(request, commitment, form)
        ledger.commitment_cancel(actor=request.user, commitment=commitment, reason=form.cleaned_data["reason"])
        messages.success(request, _("The commitment has been released."))
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("funding:commitment_detail", pk=commitment.pk)


# --- payments ---------------------------------------------------------------------------------


@login_required
def payment_queue(request):
    """The finance officer's queue: requested payments to approve or reject, approved ones to pay."""
    _ledger_reader(request)
    queue = selectors.payment_queue(viewer=request.user)
    queue["requested"], queue["approved"] = list(queue["requested"]), list(queue["approved"])
    for step, rows in (("approve", queue["requested"]), ("pay", queue["approved"])):
        for d in rows:  # four eyes: the queue shows why this officer does not take this step
            d.four_eyes = ledger.four_eyes_refusal(request.user, d, step)
    return render(
        request,
        "funding/payment_queue.html",
        {
            **queue,
            "can_pay": permissions.can_manage_ledger(request.user)[0],
            "pay_form": PayForm(prefix="pay"),
            "date_form": DateOnlyForm(prefix="approve"),
            "reject_form": ReasonForm(prefix="reject"),
        },
    )


def _disbursement(request, pk):
    _ledger_reader(request)
    return first_or_404(
        selectors.disbursement_list(viewer=request.user)
        .select_related(
            "commitment_line__commitment__project",
            "reverses",
            "requested_by",
            "approved_by",
            "paid_by",
            "rejected_by",
        )
        .filter(pk=pk)
    )


@login_required
def disbursement_detail(request, pk):
    disbursement = _disbursement(request, pk)
    can_pay = permissions.can_manage_ledger(request.user)[0]
    reversed_by = getattr(disbursement, "reversed_by", None)
    four_eyes = {
        step: ledger.four_eyes_refusal(request.user, disbursement, step) for step in ("approve", "pay", "reverse")
    }
    return render(
        request,
        "funding/disbursement_detail.html",
        {
            "d": disbursement,
            "four_eyes": four_eyes,
            "reversed_by": reversed_by,
            "invoices": evidence.attachments_of(disbursement),
            "can_pay": can_pay,
            "can_reverse": can_pay
            and disbursement.status == DisbursementStatus.PAID
            and disbursement.reverses_id is None
            and reversed_by is None,
            "can_attach": permissions.can_request_payment(request.user)[0],
            "pay_form": PayForm(prefix="pay"),
            "date_form": DateOnlyForm(prefix="approve"),
            "reject_form": ReasonForm(prefix="reject"),
            "reverse_form": ReasonForm(prefix="reverse"),
            "file_form": FileForm(),
        },
    )


#: The finance officer's steps on a payment (attaching an invoice has a file instead of a form's data).
DISBURSEMENT_STEPS = {
    "approve": FormStep(
        DateOnlyForm, "approve", ledger.disbursement_approve, gettext_lazy("The payment has been approved.")
    ),
    "reject": FormStep(
        ReasonForm, "reject", ledger.disbursement_reject, gettext_lazy("The payment has been rejected.")
    ),
    "pay": FormStep(PayForm, "pay", ledger.disbursement_pay, gettext_lazy("The payment has been recorded as paid.")),
    "reverse": FormStep(
        ReasonForm, "reverse", ledger.disbursement_reverse, gettext_lazy("The payment has been reversed.")
    ),
}


@login_required
@require_POST
def disbursement_action(request, pk, action):
    """Approve, reject, pay or reverse a payment (finance), or attach an invoice (district, finance)."""
    if action not in {*DISBURSEMENT_STEPS, "invoice"}:
        raise Http404
    disbursement = _disbursement(request, pk)
    actor = request.user
    target = disbursement.pk
    if action == "invoice":
        require(permissions.can_request_payment(actor))

        def attach():
            form = FileForm(request.POST, request.FILES)
            valid(form)
            evidence.disbursement_invoice_attach(
                actor=actor, disbursement=disbursement, upload=form.cleaned_data["file"]
            )

        run_action(request, attach, success=_("The invoice has been attached."))
    else:
        require(permissions.can_manage_ledger(actor))
        step = DISBURSEMENT_STEPS[action]
        form = step.form_class(request.POST, prefix=step.prefix)
        try:
            valid(form)
            if action in ledger.FOUR_EYES and (refusal := ledger.four_eyes_refusal(actor, disbursement, action)):
                raise DomainError("four_eyes", refusal)
            if request.POST.get("confirmed") != "1":  # money moves only after the confirmation page
                return _disbursement_confirmation(request, disbursement, action, form)
            result = step.service(actor=actor, disbursement=disbursement, **form.cleaned_data)
        except DomainError as exc:
            if exc.field in form.fields:  # a voucher already used: shown on the form, to correct it
                form.add_domain_error(exc)
                return _disbursement_confirmation(request, disbursement, action, form, status=exc.status)
            messages.error(request, exc.message)
        else:
            messages.success(request, step.message)
            if action == "reverse":
                target = result.pk  # the reversal row's page
    if request.POST.get("next") == "queue":
        return redirect("funding:payment_queue")
    return redirect("funding:disbursement_detail", pk=target)


# --- money confirmations ---------------------------------------------------------------------

#: What each money step asks before it is taken, and its button.
CONFIRMATIONS = {
    "approve": (gettext_lazy("Approve this payment?"), gettext_lazy("Confirm the approval")),
    "pay": (gettext_lazy("Record this payment as paid?"), gettext_lazy("Confirm the payment")),
    "reject": (gettext_lazy("Reject this payment?"), gettext_lazy("Confirm the rejection")),
    "reverse": (gettext_lazy("Reverse this payment?"), gettext_lazy("Confirm the reversal")),
    "cancel": (gettext_lazy("Release this commitment?"), gettext_lazy("Confirm the release")),
}


def _line_effect(budget_line, *, committed=ZERO, paid=ZERO):
    """A budget line's figures now and once the step is taken (``committed`` and ``paid``: the change)."""
    line = balances.lines_with_figures().get(pk=budget_line.pk)
    now = {"amount": line.amount, "committed": line.committed, "paid": line.paid}
    after = {"amount": line.amount, "committed": line.committed + committed, "paid": line.paid + paid}
    now["available"] = now["amount"] - now["committed"]
    after["available"] = after["amount"] - after["committed"]
    return {
        "line": line,
        "figures": [
            {"key": key, "label": ledger_terms.FIGURES[key], "now": now[key], "after": after[key]}
            for key in ("amount", "committed", "paid", "available")
        ],
    }


def _confirmation(request, *, action, form, post_url, back_url, commitment, amount, effects, subject, status=200):
    """The page a money step shows before it is taken: who gets what from which line, the amount in
    万元 and in 元, and what the line has available now and afterwards; its form posts the step again,
    confirmed."""
    question, button = CONFIRMATIONS[action]
    return render(
        request,
        "funding/money_confirm.html",
        {
            "action": action,
            "question": question,
            "button": button,
            "form": form,
            "post_url": post_url,
            "back_url": back_url,
            "next": request.POST.get("next", ""),
            "subject": subject,
            "commitment": commitment,
            "enterprise": commitment.enterprise if commitment.enterprise_id else None,
            "project": commitment.project if commitment.project_id else None,
            "amount_wan": format_wan(amount),
            "amount_yuan": format_yuan(amount),
            "effects": effects,
        },
        status=status,
    )


def _disbursement_confirmation(request, disbursement, action, form, *, status=200):
    commitment_line = disbursement.commitment_line
    paid = {"pay": disbursement.amount, "reverse": -disbursement.amount}.get(action, ZERO)
    return _confirmation(
        request,
        action=action,
        form=form,
        post_url=reverse("funding:disbursement_action", args=[disbursement.pk, action]),
        back_url=reverse("funding:disbursement_detail", args=[disbursement.pk]),
        commitment=commitment_line.commitment,
        amount=disbursement.amount,
        effects=[_line_effect(commitment_line.budget_line, paid=paid)],
        subject=_("Payment {n}").format(n=disbursement.pk),
        status=status,
    )


def _commitment_confirmation(request, commitment, form):
    lines = list(commitment.lines.select_related("budget_line"))
    return _confirmation(
        request,
        action="cancel",
        form=form,
        post_url=reverse("funding:commitment_action", args=[commitment.pk, "cancel"]),
        back_url=_commitment_url(commitment),
        commitment=commitment,
        amount=sum((cl.amount for cl in lines), ZERO),
        effects=[_line_effect(cl.budget_line, committed=-cl.amount) for cl in lines],
        subject=commitment.title,
    )


# --- subsidy policy ---------------------------------------------------------------------------


@login_required
def policy_list(request):
    _ledger_reader(request)
    return render(
        request,
        "funding/policy_list.html",
        {
            "policies": SubsidyPolicy.objects.all(),
            "can_edit": permissions.can_edit_policy(request.user)[0],
        },
    )


@login_required
def policy_edit(request, pk):
    require(permissions.can_edit_policy(request.user))
    policy = first_or_404(SubsidyPolicy.objects.filter(pk=pk))
    initial = {
        "name": policy.name,
        "ratio": policy.ratio,
        "cap_per_enterprise": policy.cap_per_enterprise,
        "tranches": PolicyForm.tranches_text(policy.tranches),
        "figures_are_defaults": policy.figures_are_defaults,
        "is_active": policy.is_active,
        "note": policy.note,
    }
    form = PolicyForm(request.POST or None, initial=initial)
    if done := saved_redirect(
        request,
        form,
        lambda: financing.subsidy_policy_update(actor=request.user, policy=policy, **form.cleaned_data),
        message=_("The subsidy policy has been saved."),
        then="funding:policy_list",
    ):
        return done
    return render(request, "funding/policy_form.html", {"form": form, "policy": policy})


@login_required
def ledger_export(request):
    _ledger_reader(request)
    return export_ledger(request)
