"""Unit-report tasks: thin, sent by name (docs/style.md habit 5)."""

from celery import shared_task

from . import digest


@shared_task(name="unitreports.tasks.weekly_digest_task", ignore_result=True)
def weekly_digest_task():
    """Beat, Monday 08:30: last week's district digest, as ``manage.py send_weekly_digest``. Safe to run twice:
    a person gets one digest a week."""
    return digest.weekly_digest_run()
