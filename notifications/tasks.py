"""Notification tasks: thin, ids in, a service does the work (docs/style.md habit 5). Sent by name."""

from celery import shared_task

from . import reminders, services, webhooks


@shared_task(name="notifications.tasks.send_outbox_task", ignore_result=True)
def send_outbox_task(outbox_ids):
    """Send the pending e-mails ``outbox_ids`` (after the commit of the notifications they belong to).

    Safe to run twice: each row is locked and sent only while pending; a row that fails stays pending
    for ``drain_outbox_task``."""
    return services.outbox_send(outbox_ids)["sent"]


@shared_task(name="notifications.tasks.drain_outbox_task", ignore_result=True)
def drain_outbox_task():
    """Beat, every ``PORTAL_EMAIL_RETRY_EVERY_SECONDS``: send every pending e-mail and group-robot message whose
    pause is over."""
    webhooks.webhooks_send()
    return services.outbox_send()["sent"]


@shared_task(name="notifications.tasks.send_webhooks_task", ignore_result=True)
def send_webhooks_task(ids):
    """Post the pending group-robot messages ``ids`` (after the commit of their event). Safe to run twice."""
    return webhooks.webhooks_send(ids)["posted"]


@shared_task(name="notifications.tasks.send_reminders_task", ignore_result=True)
def send_reminders_task():
    """Beat, daily: today's reminder and escalation pass, as ``manage.py send_reminders``. Safe to run
    twice: a reminder already sent to a person is never sent again."""
    return reminders.reminders_run()
