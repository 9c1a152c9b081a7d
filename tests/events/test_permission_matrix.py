"""Who reaches what: every events page and endpoint, for anonymous callers and each role, on an event of the
unit staff member's street (in scope for them, out of scope for another street's staff), a district-wide
event, and a missing one. Out of scope answers 404, exactly as a missing record."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.roles import Role
from events import services
from events.models import Attendance, Event

from .conftest import at

pytestmark = pytest.mark.django_db

A, D, F, U, P, E, AU = (
    Role.ADMIN,
    Role.DISTRICT_OFFICIAL,
    Role.FINANCE_OFFICER,
    Role.UNIT_STAFF,
    Role.PROVIDER_USER,
    Role.EVALUATOR,
    Role.AUDITOR,
)
ROLES = [F, AU, U, P, E, D, A, "other_staff"]


def _expect(default, **by_role):
    table = dict.fromkeys(ROLES, default)
    for key, value in by_role.items():
        table[key if key == "other_staff" else Role(key)] = value
    return table


# (id, url(event), expected per role); the event is 岳阳街道's training with the provider taking part.
PAGES = [
    ("list", lambda e: reverse("events:list"), _expect(200)),
    ("overview", lambda e: reverse("events:overview"), _expect(200)),
    ("export", lambda e: reverse("events:export") + "?format=xlsx", _expect(200)),
    (
        "create",
        lambda e: reverse("events:create"),
        _expect(403, admin=200, district_official=200, unit_staff=200, other_staff=200),
    ),
    ("detail", lambda e: reverse("events:detail", args=[e.pk]), _expect(200, evaluator=404, other_staff=404)),
    ("missing", lambda e: reverse("events:detail", args=[987654]), _expect(404)),
    (
        "edit",
        lambda e: reverse("events:edit", args=[e.pk]),
        _expect(403, admin=200, district_official=200, unit_staff=200, evaluator=404, other_staff=404),
    ),
    (
        "invite",
        lambda e: reverse("events:invite", args=[e.pk]),
        _expect(403, admin=200, district_official=200, unit_staff=200, evaluator=404, other_staff=404),
    ),
    (
        "attendance",
        lambda e: reverse("events:attendance", args=[e.pk]),
        _expect(200, provider_user=403, evaluator=404, other_staff=404),
    ),
    (
        "attendance export",
        lambda e: reverse("events:attendance_export", args=[e.pk]) + "?format=csv",
        _expect(200, provider_user=403, evaluator=404, other_staff=404),
    ),
    (
        "sign-in upload",
        lambda e: reverse("events:sign_in") + f"?event={e.pk}",
        _expect(403, admin=200, district_official=200, unit_staff=200, other_staff=404),
    ),
    (
        "sign-in upload without event",
        lambda e: reverse("events:sign_in"),
        _expect(403, admin=404, district_official=404, unit_staff=404, other_staff=404),
    ),
    (
        "sign-in template",
        lambda e: reverse("events:sign_in_template"),
        _expect(403, admin=200, district_official=200, unit_staff=200, other_staff=200),
    ),
    ("sign-in uploads", lambda e: reverse("events:sign_in_batches"), _expect(200, provider_user=403, evaluator=403)),
    ("api list", lambda e: "/api/v1/events/", _expect(200)),
    ("api detail", lambda e: f"/api/v1/events/{e.pk}/", _expect(200, evaluator=404, other_staff=404)),
    (
        "api attendance",
        lambda e: f"/api/v1/events/{e.pk}/attendance/",
        _expect(200, provider_user=403, evaluator=404, other_staff=404),
    ),
]


def _who(world, role):
    return world["other_staff"] if role == "other_staff" else world[role]


@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_every_role_reaches_what_it_may(world, unit_event, client, api, name, url, expected):
    path = url(unit_event)
    for role in ROLES:
        user = _who(world, role)
        if path.startswith("/api/"):
            status = api.as_user(user).get(path).status_code
        else:
            client.force_login(user)
            status = client.get(path).status_code
        assert status == expected[role], (name, role, status)


@pytest.mark.parametrize("name,url,expected", PAGES, ids=[p[0] for p in PAGES])
def test_anonymous_callers_reach_nothing(unit_event, client, name, url, expected):
    response = client.get(url(unit_event))
    assert response.status_code in (302, 401, 403)
    if response.status_code == 302:
        assert "/accounts/login/" in response["Location"]


def test_posting_steps_outside_the_scope_is_not_found_and_changes_nothing(world, unit_event, client):
    client.force_login(world["other_staff"])
    for path in (
        reverse("events:action", args=[unit_event.pk, "cancel"]),
        reverse("events:invite", args=[unit_event.pk]),
        reverse("events:attendance", args=[unit_event.pk]),
    ):
        assert client.post(path, {"reason": "x", "attendee_name": "x"}).status_code == 404
    assert Event.objects.get(pk=unit_event.pk).status == "planned"


def test_the_organiser_records_an_attendee_on_the_page_and_a_provider_sees_no_attendance(world, unit_event, client):
    enterprise = world["mine"][0]
    client.force_login(world[U])
    response = client.post(
        reverse("events:attendance", args=[unit_event.pk]),
        {
            "enterprise": enterprise.credit_code,
            "attendee_name": "张三",
            "attendee_title": "总经理",
            "phone": "13812345678",
        },
    )
    assert response.status_code == 302
    assert Attendance.objects.get(event=unit_event).enterprise == enterprise
    # The enterprise's file shows the event; the unit's page shows its figures.
    page = client.get(reverse("enterprises:detail", args=[enterprise.pk])).content.decode()
    assert "数字化转型政策培训" in page
    assert client.get(reverse("enterprises:unit_detail", args=[world["own"].code])).status_code == 200


def test_the_api_creates_an_event_for_the_unit_and_records_an_attendee(world, api):
    staff = api.as_user(world[U])
    created = staff.post(
        "/api/v1/events/",
        {"kind": "outreach", "title": "进园区宣传", "starts_at": at(2).isoformat(), "organiser_unit": "310117001"},
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["organiser_unit"] == "310117001" and body["status"] == "planned"
    refused = staff.post(
        "/api/v1/events/",
        {"kind": "outreach", "title": "x", "starts_at": at(2).isoformat(), "organiser_unit": "310117002"},
        format="json",
    )
    assert refused.status_code == 400 and refused.json()["code"] == "not_your_unit"
    bad = staff.post("/api/v1/events/", {"kind": "party", "title": "x", "starts_at": "tomorrow"}, format="json")
    assert bad.status_code == 400
    # A date outside 2000–2099 (the year 5 has a local offset of +08:05:43 that no client reads back): 400.
    ancient = staff.post(
        "/api/v1/events/", {"kind": "outreach", "title": "x", "starts_at": "0005-01-01T00:00:00Z"}, format="json"
    )
    assert ancient.status_code == 400 and "starts_at" in ancient.json(), ancient.json()
    row = staff.post(
        f"/api/v1/events/{body['id']}/attendance/",
        {"enterprise": world["mine"][0].pk, "attendee_name": "李四"},
        format="json",
    )
    assert row.status_code == 201 and row.json()["attendee_name"] == "李四"
    unseen = staff.post(
        f"/api/v1/events/{body['id']}/attendance/",
        {"enterprise": world["theirs"][0].pk, "attendee_name": "x"},
        format="json",
    )
    assert unseen.status_code == 400
    assert (
        api.as_user(world[E])
        .post("/api/v1/events/", {"kind": "outreach", "title": "x", "starts_at": at(2).isoformat()}, format="json")
        .status_code
        == 403
    )


def test_the_list_page_costs_the_same_queries_with_more_events(world, client):
    client.force_login(world[D])
    services.event_create(actor=world[D], kind="training", title="一", starts_at=at(3))
    client.get(reverse("events:list"))
    with CaptureQueriesContext(connection) as first:
        client.get(reverse("events:list"))
    for n in range(5):
        services.event_create(actor=world[D], kind="outreach", title=f"宣传{n}", starts_at=at(4 + n))
    with CaptureQueriesContext(connection) as later:
        client.get(reverse("events:list"))
    assert len(later) == len(first)
