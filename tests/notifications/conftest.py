"""Fixtures of the notification tests: a real SMTP server on loopback (aiosmtpd) that can be stopped and
started again on its port, the portal's mail settings pointed at it, and a small world with a deadline."""

import datetime
import email
import socket
from email import policy

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone

from core.roles import Role
from providers.models import ProviderAssignment
from tests.factories import EnterpriseFactory


class Inbox:
    """What the SMTP server received: parsed messages, in order."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=policy.default))
        return "250 OK"

    def to(self, address):
        return [m for m in self.messages if address in m["To"]]


class SmtpServer:
    def __init__(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.inbox = Inbox()
        self.controller = None

    def start(self):
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp(settings):
    """A running SMTP server on a free loopback port, with e-mail switched on and sent through it."""
    server = SmtpServer()
    server.start()
    settings.PORTAL_EMAIL_ENABLED = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = server.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_TIMEOUT = 5
    settings.DEFAULT_FROM_EMAIL = "portal@example.invalid"
    settings.PORTAL_BASE_URL = "http://portal.example.invalid:8000"
    yield server
    server.stop()


@pytest.fixture
def town(users, units, make_user):
    """An active enterprise of 岳阳街道 assigned to the provider, and people with addresses: the provider's
    user, a second user of that provider, the unit's staff member, a district official."""
    provider_user = users[Role.PROVIDER_USER]
    provider = provider_user.provider
    second = make_user(Role.PROVIDER_USER, username="provider_second", provider=provider, email="second@p.invalid")
    for person, address in [
        (provider_user, "provider@p.invalid"),
        (users[Role.UNIT_STAFF], "unit@u.invalid"),
        (users[Role.DISTRICT_OFFICIAL], "district@d.invalid"),
    ]:
        person.email = address
        person.save(update_fields=["email"])
    enterprise = EnterpriseFactory(unit=units["310117001"], name="上海岳阳提醒公司")
    ProviderAssignment.objects.create(enterprise=enterprise, provider=provider, assigned_on=datetime.date(2024, 11, 1))
    return {
        "enterprise": enterprise,
        "provider_user": provider_user,
        "second": second,
        "unit_user": users[Role.UNIT_STAFF],
        "district": users[Role.DISTRICT_OFFICIAL],
    }


def days_ago(n):
    return timezone.localdate() - datetime.timedelta(days=n)
