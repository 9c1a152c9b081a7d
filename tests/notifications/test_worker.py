"""The outbox through the real Celery worker on Redis: the mail leaves after the commit, sent by the task."""

import time

import pytest
from django.db import transaction

from core.roles import Role
from notifications.models import EmailOutbox
from notifications.services import notify_event


@pytest.mark.worker
def test_the_worker_sends_the_mail_once_the_event_commits(celery_worker, smtp, users):
    official = users[Role.DISTRICT_OFFICIAL]
    official.email = "official@d.invalid"
    official.save()
    with transaction.atomic():
        notify_event([official], "enterprise_proposed", "上海工人提名公司", link="/enterprises/")
        assert not smtp.inbox.messages  # nothing leaves before the commit
    deadline = time.monotonic() + 30
    while not smtp.inbox.to("official@d.invalid") and time.monotonic() < deadline:
        time.sleep(0.2)
    (mail,) = smtp.inbox.to("official@d.invalid")
    assert "企业待确认：上海工人提名公司" in mail["Subject"]
    assert EmailOutbox.objects.get().status == "sent"
