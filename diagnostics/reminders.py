"""The deadlines of diagnostics as the daily reminder pass reads them (``core.registry.reminder_sources``).

An open deadline is one not yet done (no accepted report for a diagnosis deadline, no authoritative baseline
assessment for an evaluation deadline) of an enterprise in the pilot list: proposed, declined and withdrawn
enterprises get no reminders (``enterprises.models.under_deadlines_q``, the rule the overdue marks and the
evaluator's due list read too). The people responsible:

* a diagnosis or transformation deadline: the users of every provider assigned to the enterprise;
* an evaluation deadline: the evaluators of every evaluation body assigned to it.
"""

from collections import defaultdict

from django.urls import reverse

from enterprises.models import under_deadlines_q
from notifications.reminders import ReminderItem
from notifications.services import evaluator_users, provider_users
from providers.models import EvaluatorAssignment, ProviderAssignment

from .choices import DeadlineKind
from .models import Deadline
from .selectors.diagnoses import deadlines_with_state


def organisations_by_enterprise(model, field, enterprise_ids):
    found = defaultdict(set)
    for enterprise_id, organisation_id in model.objects.filter(enterprise_id__in=enterprise_ids).values_list(
        "enterprise_id", f"{field}_id"
    ):
        found[enterprise_id].add(organisation_id)
    return found


def people_by_organisation(people, field):
    found = defaultdict(list)
    for person in people:
        found[getattr(person, f"{field}_id")].append(person)
    return found


def open_deadlines(today):
    """A :class:`ReminderItem` for every open deadline (the reminder pass decides which are due today)."""
    deadlines = list(deadlines_with_state(Deadline.objects.all()).filter(under_deadlines_q("enterprise"), done=False))
    enterprise_ids = {d.enterprise_id for d in deadlines}
    providers_of = organisations_by_enterprise(ProviderAssignment, "provider", enterprise_ids)
    bodies_of = organisations_by_enterprise(EvaluatorAssignment, "evaluation_body", enterprise_ids)
    provider_people = people_by_organisation(
        provider_users({pk for ids in providers_of.values() for pk in ids}), "provider"
    )
    evaluator_people = people_by_organisation(
        evaluator_users({pk for ids in bodies_of.values() for pk in ids}), "evaluation_body"
    )
    for deadline in deadlines:
        if deadline.kind == DeadlineKind.EVALUATION:
            responsible = [p for pk in bodies_of[deadline.enterprise_id] for p in evaluator_people[pk]]
        else:
            responsible = [p for pk in providers_of[deadline.enterprise_id] for p in provider_people[pk]]
        yield ReminderItem(
            key=f"diagnostics.deadline:{deadline.pk}",
            kind=deadline.kind,
            due_on=deadline.due_on,
            subject=f"{deadline.enterprise.name} · {deadline.get_kind_display()}",
            link=reverse("enterprises:detail", args=[deadline.enterprise_id]),
            responsible=responsible,
            unit_id=deadline.enterprise.unit_id,
        )
