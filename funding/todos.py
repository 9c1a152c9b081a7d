"""The funding to-do lists on the home page: payments for finance to approve or pay, acceptances for the
evaluator, filed projects for the district to approve. Each list is a bounded number of queries."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.money import format_yuan
from core.roles import DISTRICT_ROLES, Role, role_of

from . import selectors
from .choices import ProjectStatus

LIMIT = 8


def _todo(key, title, icon, queryset, rows, *, url, empty):
    items = list(queryset[:LIMIT])
    count = len(items) if len(items) < LIMIT else queryset.count()
    return {"key": key, "title": title, "icon": icon, "count": count, "rows": [rows(i) for i in items], "url": url,
            "empty": empty}  # fmt: skip


def _payment_row(d):
    return {
        "url": reverse("funding:disbursement_detail", args=[d.pk]),
        "label": d.commitment_line.commitment.title,
        "detail": f"{format_yuan(d.amount, unit=False)} · {d.requested_on:%Y-%m-%d}",
    }


def _project_row(p):
    return {
        "url": reverse("funding:project_detail", args=[p.pk]),
        "label": p.enterprise.name,
        "detail": f"{p.provider.name} · {p.filed_on:%Y-%m-%d}",
    }


def funding_todos(user):
    role = role_of(user)
    lists = []
    if role in (Role.FINANCE_OFFICER, Role.ADMIN):
        queue = selectors.payment_queue(viewer=user)
        url = reverse("funding:payment_queue")
        lists.append(
            _todo(
                "payments-requested",
                _("Payments to approve"),
                "cash-stack",
                queue["requested"],
                _payment_row,
                url=url,
                empty=_("No payment is waiting for approval."),
            )  # fmt: skip
        )
        lists.append(
            _todo(
                "payments-approved",
                _("Approved payments to pay"),
                "bank",
                queue["approved"],
                _payment_row,
                url=url,
                empty=_("No approved payment is waiting."),
            )  # fmt: skip
        )
    if role == Role.EVALUATOR or role == Role.ADMIN:
        queue = selectors.acceptance_queue(viewer=user).select_related("enterprise", "provider")
        lists.append(
            _todo(
                "acceptances",
                _("Acceptances requested"),
                "clipboard-check",
                queue,
                _project_row,
                url=reverse("funding:acceptance_queue"),
                empty=_("No project is waiting for acceptance."),
            )  # fmt: skip
        )
    if role in DISTRICT_ROLES:
        filed = selectors.project_list(viewer=user).filter(status=ProjectStatus.FILED).order_by("filed_on", "pk")
        lists.append(
            _todo(
                "projects-to-approve",
                _("Projects to approve"),
                "kanban",
                filed,
                _project_row,
                url=reverse("funding:project_list") + "?status=filed",
                empty=_("No project is waiting for approval."),
            )  # fmt: skip
        )
    return lists
