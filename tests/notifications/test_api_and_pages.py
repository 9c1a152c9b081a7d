"""The inbox through the API and the pages: the caller's own notifications only, newest first, filters,
mark read (another's is a 404), mark all read; the top bar's unread count; the preferences page;
POST /api/v1/users/ with an e-mail address."""

import pytest
from django.urls import reverse

from core.roles import Role
from notifications.choices import NotificationKind
from notifications.models import Notification, NotificationPreference
from notifications.services import notify, notify_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def inbox(users):
    me, other = users[Role.UNIT_STAFF], users[Role.DISTRICT_OFFICIAL]
    first = notify([me], "deadline_overdue", "第一条", body="正文", link="/enterprises/")[0]
    second = notify([me], "project_filed", "第二条", link="/funding/projects/")[0]
    theirs = notify([other], "project_filed", "别人的")[0]
    return {"me": me, "other": other, "first": first, "second": second, "theirs": theirs}


def test_the_api_lists_the_callers_own_notifications_newest_first(api, inbox):
    answer = api.as_user(inbox["me"]).get("/api/v1/notifications/")
    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 2
    assert [r["title"] for r in body["results"]] == ["第二条", "第一条"]
    row = body["results"][1]
    assert {"id", "kind", "title", "created_at", "read", "link", "body"} <= set(row)
    assert row["kind"] == "deadline_overdue" and row["read"] is False and row["link"] == "/enterprises/"


def test_the_api_filters_by_read_and_kind(api, inbox):
    client = api.as_user(inbox["me"])
    assert client.get("/api/v1/notifications/?kind=project_filed").json()["count"] == 1
    client.post(f"/api/v1/notifications/{inbox['first'].pk}/read/")
    assert [r["title"] for r in client.get("/api/v1/notifications/?read=true").json()["results"]] == ["第一条"]
    assert [r["title"] for r in client.get("/api/v1/notifications/?read=false").json()["results"]] == ["第二条"]


def test_marking_read_answers_the_notification_and_another_persons_is_not_found(api, inbox):
    client = api.as_user(inbox["me"])
    answer = client.post(f"/api/v1/notifications/{inbox['first'].pk}/read/")
    assert answer.status_code == 200 and answer.json()["read"] is True
    assert client.post(f"/api/v1/notifications/{inbox['theirs'].pk}/read/").status_code == 404
    assert client.get(f"/api/v1/notifications/{inbox['theirs'].pk}/").status_code == 404
    inbox["theirs"].refresh_from_db()
    assert inbox["theirs"].read_at is None


def test_read_all_marks_every_own_unread_notification(api, inbox):
    answer = api.as_user(inbox["me"]).post("/api/v1/notifications/read-all/", {}, format="json")
    assert answer.status_code == 200 and answer.json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=inbox["me"], read_at__isnull=True).exists()
    assert Notification.objects.get(pk=inbox["theirs"].pk).read_at is None


def test_anonymous_callers_get_401(api):
    assert api.get("/api/v1/notifications/").status_code == 401


def test_the_top_bar_shows_the_unread_count_and_it_follows_reads(
    client, inbox, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client.force_login(inbox["me"])
    page = client.get("/").content.decode()
    assert 'id="unread-count">2<' in page
    # The count is cached: the next page asks the database nothing for it.
    with django_assert_max_num_queries(100) as first:
        client.get("/")
    assert not [q for q in first.captured_queries if "notifications_notification" in q["sql"]]
    # Writes forget the cached count when they commit.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read", args=[inbox["second"].pk]))
    assert 'id="unread-count">1<' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        notify([inbox["me"]], "escalation", "新的一条")
    assert 'id="unread-count">2<' in client.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("notifications:read_all"))
    assert 'id="unread-count"' not in client.get("/").content.decode()


def test_the_inbox_page_lists_filters_and_opening_an_item_marks_it_read_and_goes_to_its_record(client, inbox):
    client.force_login(inbox["me"])
    page = client.get(reverse("notifications:inbox")).content.decode()
    assert "第一条" in page and "第二条" in page and "别人的" not in page
    unread_only = client.get(reverse("notifications:inbox") + "?kind=deadline_overdue").content.decode()
    assert "第一条" in unread_only and "第二条" not in unread_only
    opened = client.get(reverse("notifications:open", args=[inbox["first"].pk]))
    assert opened.status_code == 302 and opened["Location"] == "/enterprises/"
    inbox["first"].refresh_from_db()
    assert inbox["first"].read_at is not None
    assert "第一条" not in client.get(reverse("notifications:inbox") + "?read=false").content.decode()
    assert client.get(reverse("notifications:open", args=[inbox["theirs"].pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=inbox["me"], read_at__isnull=True).exists()


def test_the_inbox_needs_a_log_in(client):
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_the_preferences_page_stores_a_channel_per_kind(client, users):
    me = users[Role.PROVIDER_USER]
    client.force_login(me)
    assert "仅门户内" in client.get(reverse("notifications:preferences")).content.decode()
    form = dict.fromkeys(set(NotificationKind.values) - {"digest"}, "portal")
    form["diagnosis_returned"] = "portal_and_email"
    form["deadline_overdue"] = "daily_digest"
    assert client.post(reverse("notifications:preferences"), form).status_code == 302
    chosen = dict(NotificationPreference.objects.filter(user=me).values_list("kind", "channel"))
    assert chosen["diagnosis_returned"] == "portal_and_email" and chosen["deadline_overdue"] == "daily_digest"
    assert chosen["project_filed"] == "portal"


def test_a_person_who_chose_portal_only_gets_no_mail(users, smtp, django_capture_on_commit_callbacks):
    me = users[Role.PROVIDER_USER]
    me.email = "me@p.invalid"
    me.save()
    NotificationPreference.objects.create(user=me, kind="project_approved", channel="portal")
    with django_capture_on_commit_callbacks(execute=True):
        notify_event([me], "project_approved", "项目甲")
        notify_event([me], "diagnosis_accepted", "报告乙")
    from notifications.services import outbox_send

    outbox_send()
    assert [m["Subject"].strip() for m in smtp.inbox.to("me@p.invalid")] == ["【松江试点】诊断报告已通过：报告乙"]
    assert Notification.objects.filter(recipient=me).count() == 2


def test_the_users_api_takes_an_email(api, users):
    answer = api.as_user(users[Role.ADMIN]).post(
        "/api/v1/users/",
        {"username": "mailer", "password": "a-long-password-1", "role": "district_official", "email": "m@d.invalid"},
        format="json",
    )
    assert answer.status_code == 201, answer.content
    from accounts.models import User

    assert User.objects.get(username="mailer").email == "m@d.invalid"
