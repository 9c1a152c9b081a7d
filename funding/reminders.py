"""The dated obligations of funding as the daily reminder pass reads them (``core.registry.reminder_sources``):

* ``project_completion``: an approved project past its planned end (``planned_end_on``) whose acceptance has not
  been requested; the provider's users, then the enterprise's unit, then the district;
* ``project_acceptance``: a project whose acceptance was requested ``PORTAL_ACCEPTANCE_DUE_DAYS`` days ago and not
  yet inspected; the evaluators of the bodies assigned to the enterprise (the district when none is), then the
  unit, then the district;
* ``payment_approval`` / ``payment_payment``: a payment requested and not approved, or approved and not paid,
  within ``PORTAL_PAYMENT_STEP_DAYS`` days; the finance officers (never the requester for its approval), then the
  district (a payment has no unit stage: unit staff do not steer the ledger). Back-filled rows are history and
  are never chased.

Only enterprises in the pilot list are chased."""

import datetime
from collections import defaultdict

from django.conf import settings
from django.db.models import Q
from django.urls import reverse

from enterprises.choices import Status as EnterpriseStatus
from notifications.reminders import ReminderItem
from notifications.services import district_officials, evaluator_users, finance_officers, provider_users
from providers.models import EvaluatorAssignment

from .choices import DisbursementStatus, ProjectStatus
from .models import Disbursement, Project
from .services.projects import project_link, project_subject


def _days(n):
    return datetime.timedelta(days=n)


def _by(people, field):
    found = defaultdict(list)
    for person in people:
        found[getattr(person, f"{field}_id")].append(person)
    return found


def open_projects(today):
    projects = list(
        Project.objects.filter(enterprise__status=EnterpriseStatus.ACTIVE)
        .filter(status__in=[ProjectStatus.APPROVED, ProjectStatus.ACCEPTANCE_REQUESTED])
        .select_related("enterprise")
    )
    late_ones = [p for p in projects if p.status == ProjectStatus.APPROVED and p.planned_end_on]
    waiting = [p for p in projects if p.status == ProjectStatus.ACCEPTANCE_REQUESTED and p.acceptance_requested_on]
    provider_people = _by(provider_users({p.provider_id for p in late_ones}), "provider")
    bodies = defaultdict(set)
    for enterprise_id, body_id in EvaluatorAssignment.objects.filter(
        enterprise_id__in={p.enterprise_id for p in waiting}
    ).values_list("enterprise_id", "evaluation_body_id"):
        bodies[enterprise_id].add(body_id)
    evaluator_people = _by(evaluator_users({b for ids in bodies.values() for b in ids}), "evaluation_body")
    district = list(district_officials())
    for project in late_ones:
        yield ReminderItem(
            key=f"funding.project_completion:{project.pk}",
            kind="project_completion",
            due_on=project.planned_end_on,
            subject=project_subject(project),
            link=project_link(project),
            responsible=provider_people[project.provider_id],
            unit_id=project.enterprise.unit_id,
        )
    for project in waiting:
        evaluators = [p for b in bodies[project.enterprise_id] for p in evaluator_people[b]]
        yield ReminderItem(
            key=f"funding.project_acceptance:{project.pk}",
            kind="project_acceptance",
            due_on=project.acceptance_requested_on + _days(settings.PORTAL_ACCEPTANCE_DUE_DAYS),
            subject=project_subject(project),
            link=project_link(project),
            responsible=evaluators or district,
            unit_id=project.enterprise.unit_id,
        )


def open_payments(today):
    step = _days(settings.PORTAL_PAYMENT_STEP_DAYS)
    finance = list(finance_officers())
    rows = (
        Disbursement.objects.filter(
            backfilled=False, status__in=[DisbursementStatus.REQUESTED, DisbursementStatus.APPROVED]
        )
        .filter(
            Q(commitment_line__commitment__enterprise__isnull=True)
            | Q(commitment_line__commitment__enterprise__status=EnterpriseStatus.ACTIVE)
        )
        .select_related("commitment_line__commitment__enterprise")
    )
    for payment in rows:
        commitment = payment.commitment_line.commitment
        about = commitment.enterprise.name if commitment.enterprise_id else str(commitment)
        if payment.status == DisbursementStatus.REQUESTED:
            kind, since = "payment_approval", payment.requested_on
            responsible = [p for p in finance if p.pk != payment.requested_by_id]
        else:
            kind, since = "payment_payment", payment.approved_on or payment.requested_on
            responsible = [p for p in finance if p.pk != payment.approved_by_id]
        yield ReminderItem(
            key=f"funding.{kind}:{payment.pk}",
            kind=kind,
            due_on=since + step,
            subject=f"{about} · {payment.get_status_display()} · {payment.amount} 元",
            link=reverse("funding:disbursement_detail", args=[payment.pk]),
            responsible=responsible,
            unit_id=None,
        )
