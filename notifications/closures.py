"""Finance and the district hear of every step of a period close (docs/architecture.md "Notifications").

The period close (the ``books`` app) sits in the same layer as the notification centre, so neither imports the
other: this module listens to the history rows of its two models, named by label as the audit trail names the
models it seals, and tells the district officials and finance officers what changed, the person who acted
aside. The history row is written in the transaction of the step, so the notice commits or rolls back with it."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.roles import Role

from .choices import NotificationKind
from .services import active_users, notify_event

CLOSURE = "books.historicalclosure"
EXCEPTION = "books.historicalclosureexception"


def _newly(history, previous, field):
    return getattr(history, field) is not None and (previous is None or getattr(previous, field) is None)


def closure_step(history):
    """What a history row of a closure or an exception says happened, or None (an edit of nothing new)."""
    label = history._meta.label_lower
    previous = None if history.history_type == "+" else history.prev_record
    if label == CLOSURE:
        if history.history_type == "+":
            return _("The books are closed through {through}").format(through=history.through)
        if _newly(history, previous, "reopened_at"):
            return _("The closure through {through} was reopened").format(through=history.through)
        if _newly(history, previous, "reopen_requested_at"):
            return _("Reopening the closure through {through} is asked").format(through=history.through)
        return None
    if history.history_type == "+":
        return _("An exception to the closure is asked for {record}").format(
            record=history.description or f"{history.record_model} #{history.record_id}"
        )
    if _newly(history, previous, "approved_at"):
        return _("An exception to the closure is approved for {record}").format(
            record=history.description or f"{history.record_model} #{history.record_id}"
        )
    if _newly(history, previous, "rejected_at"):
        return _("An exception to the closure is refused for {record}").format(
            record=history.description or f"{history.record_model} #{history.record_id}"
        )
    return None


def note_closure_history(sender, history_instance, **kwargs):
    """``post_create_historical_record`` receiver: notify finance and the district of a closure's step."""
    if sender._meta.label_lower not in (CLOSURE, EXCEPTION):
        return
    step = closure_step(history_instance)
    if step is None:
        return
    people = active_users().filter(role__in=(Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER))
    notify_event(
        people,
        NotificationKind.CLOSURE,
        step,
        body=history_instance.history_change_reason or "",
        link=reverse("books:closures"),
        actor=history_instance.history_user,
    )
