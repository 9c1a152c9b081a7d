"""The WeCom (企业微信) group robot: an optional copy of chosen notifications, posted as markdown.

Off unless ``PORTAL_WECOM_WEBHOOK_URL`` is set. ``notify`` calls :func:`queue` for an event of a kind listed in
``PORTAL_WECOM_KINDS``: one :class:`~notifications.models.WebhookOutbox` row, in the event's transaction, posted
after the commit by ``notifications.tasks.send_webhooks_task`` (sent by name, never in the request). A post that
fails (the robot cannot be reached, answers an HTTP error or an ``errcode`` other than 0) keeps its row pending
with the error and a growing pause; ``drain_outbox_task`` (beat) and every ``send_reminders`` retry it, and after
``PORTAL_EMAIL_MAX_ATTEMPTS`` it is marked failed and logged."""

import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from core.jobs import send_task

from .choices import NotificationKind, OutboxStatus
from .models import WebhookOutbox
from .retry import retry_pause

logger = logging.getLogger(__name__)

SEND_TASK = "notifications.tasks.send_webhooks_task"
TIMEOUT_SECONDS = 5


def enabled_for(kind):
    return bool(getattr(settings, "PORTAL_WECOM_WEBHOOK_URL", "")) and str(kind) in settings.PORTAL_WECOM_KINDS


def markdown(kind, title, body, url):
    lines = [f"**{NotificationKind(kind).label}**", f"> {title}"]
    if body:
        lines.append(f"> {body[:500]}")
    if url:
        lines.append(f"[{url}]({url})")
    return "\n".join(lines)


def queue(kind, title, body, url):
    """Write the robot's message for one event and post it after the commit (the caller checked ``enabled_for``)."""
    row = WebhookOutbox.objects.create(kind=kind, content=markdown(kind, title, body, url))
    transaction.on_commit(lambda: send_task(SEND_TASK, [[row.pk]]))
    return row


def post(content):
    """POST one markdown message to the robot; raises on any failure."""
    url = settings.PORTAL_WECOM_WEBHOOK_URL
    if not url.startswith(("http://", "https://")):
        raise ValueError("PORTAL_WECOM_WEBHOOK_URL is not an http(s) address")
    data = json.dumps({"msgtype": "markdown", "markdown": {"content": content}}, ensure_ascii=False).encode()
    request = urllib.request.Request(  # noqa: S310 (an http(s) address, checked above)
        url, data=data, headers={"Content-Type": "application/json"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
        answer = json.loads(response.read() or b"{}")
    if answer.get("errcode", 0) != 0:
        raise RuntimeError(f"errcode {answer.get('errcode')}: {answer.get('errmsg', '')}")


def webhooks_send(ids=None, *, due_only=True):
    """Post the pending rows ``ids`` (all pending when ``None``), each under a row lock. Returns the counts."""
    counts = {"posted": 0, "post_failed": 0}
    if not getattr(settings, "PORTAL_WECOM_WEBHOOK_URL", ""):
        return counts
    pending = WebhookOutbox.objects.filter(status=OutboxStatus.PENDING)
    if ids is not None:
        pending = pending.filter(pk__in=list(ids))
    if due_only:
        pending = pending.exclude(next_attempt_at__gt=timezone.now())
    for pk in pending.order_by("created_at", "pk").values_list("pk", flat=True):
        with transaction.atomic():
            row = WebhookOutbox.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if row is None or row.status != OutboxStatus.PENDING:
                continue
            row.attempts += 1
            try:
                post(row.content)
            except (OSError, ValueError, RuntimeError, urllib.error.URLError) as exc:
                row.last_error = f"{type(exc).__name__}: {exc}"[:2000]
                row.next_attempt_at = timezone.now() + retry_pause(row.attempts)
                if row.attempts >= settings.PORTAL_EMAIL_MAX_ATTEMPTS:
                    row.status = OutboxStatus.FAILED
                row.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
                logger.warning("Group-robot message %s not posted (attempt %s): %s", row.pk, row.attempts, exc)
                counts["post_failed"] += 1
                continue
            row.status, row.sent_at, row.last_error, row.next_attempt_at = (
                OutboxStatus.SENT,
                timezone.now(),
                "",
                None,
            )
            row.save(update_fields=["attempts", "status", "sent_at", "last_error", "next_attempt_at"])
            counts["posted"] += 1
    return counts
