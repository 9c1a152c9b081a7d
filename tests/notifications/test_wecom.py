"""The WeCom group robot against a real HTTP server on loopback (http.server in a thread): an event of a chosen
kind posts one markdown message after the commit, through the outbox; with the robot down the message waits with
its error and goes on the next drain; an ``errcode`` answer is a failure too; other kinds and an empty setting
post nothing."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from django.core.management import call_command

from core.roles import Role
from notifications import webhooks
from notifications.models import WebhookOutbox
from notifications.services import notify_event

pytestmark = pytest.mark.django_db


class Robot:
    """A group-robot webhook on a free loopback port that records what it was sent."""

    def __init__(self):
        self.received, self.answer = [], {"errcode": 0, "errmsg": "ok"}
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                robot.received.append(json.loads(self.rfile.read(length)))
                body = json.dumps(robot.answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=test"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot(settings):
    server = Robot()
    server.start()
    settings.PORTAL_WECOM_WEBHOOK_URL = server.url
    settings.PORTAL_WECOM_KINDS = ["unit_report_submitted", "escalation"]
    settings.PORTAL_BASE_URL = "http://portal.example.invalid:8000"
    yield server
    server.stop()


def test_a_chosen_kind_posts_one_markdown_message(robot, users):
    people = [users[Role.DISTRICT_OFFICIAL], users[Role.ADMIN]]
    notify_event(people, "unit_report_submitted", "岳阳街道 · 2026年3月", link="/unit-reports/7/")
    notify_event(people, "project_filed", "不推送的项目", link="/funding/projects/1/")
    (row,) = WebhookOutbox.objects.all()  # one message per event, not per person; project_filed not chosen
    assert row.status == "pending"
    assert webhooks.webhooks_send() == {"posted": 1, "post_failed": 0}
    (message,) = robot.received
    assert message["msgtype"] == "markdown"
    content = message["markdown"]["content"]
    assert "岳阳街道 · 2026年3月" in content and "http://portal.example.invalid:8000/unit-reports/7/" in content
    row.refresh_from_db()
    assert row.status == "sent" and row.attempts == 1 and row.sent_at


def test_an_unreachable_or_refusing_robot_is_retried(robot, users, settings):
    notify_event([users[Role.DISTRICT_OFFICIAL]], "escalation", "逾期升级")
    url = robot.url
    settings.PORTAL_WECOM_WEBHOOK_URL = "http://127.0.0.1:9/nothing-listens-here"
    assert webhooks.webhooks_send()["post_failed"] == 1
    row = WebhookOutbox.objects.get()
    assert row.status == "pending" and row.attempts == 1 and row.last_error and row.next_attempt_at
    # Still in its pause: the beat's drain leaves it; send_reminders (the embedded retry) sends it.
    settings.PORTAL_WECOM_WEBHOOK_URL = url
    assert webhooks.webhooks_send() == {"posted": 0, "post_failed": 0}
    robot.answer = {"errcode": 93000, "errmsg": "invalid webhook url"}
    assert webhooks.webhooks_send(due_only=False)["post_failed"] == 1
    row.refresh_from_db()
    assert "93000" in row.last_error and row.attempts == 2
    robot.answer = {"errcode": 0}
    call_command("send_reminders")
    row.refresh_from_db()
    assert row.status == "sent" and len(robot.received) == 2


def test_without_the_setting_nothing_is_written(settings, users):
    settings.PORTAL_WECOM_WEBHOOK_URL = ""
    notify_event([users[Role.DISTRICT_OFFICIAL]], "escalation", "逾期升级")
    assert not WebhookOutbox.objects.exists()
