"""The period-close pages: who sees them, the close form, reopening and exceptions with a second person."""

import pytest
from django.urls import reverse

from books import services
from books.models import Closure, ClosureException
from core.roles import Role


@pytest.mark.parametrize("role", [Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.FINANCE_OFFICER, Role.AUDITOR])
def test_the_closures_page_renders_for_the_roles_that_read_it(client, users, role):
    closure = services.close_books(actor=users[Role.FINANCE_OFFICER], through="2025-06-30", reason="上半年结账")
    services.request_exception(actor=users[Role.DISTRICT_OFFICIAL], record=users[Role.ADMIN], reason="更正")
    client.force_login(users[role])
    response = client.get(reverse("books:closures"))
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="closure-{closure.pk}"' in page and "2025-06-30" in page and "上半年结账" in page
    assert ('id="close-form"' in page) is (role != Role.AUDITOR)
    assert reverse("books:closures") in page  # the menu links the page


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.PROVIDER_USER, Role.EVALUATOR])
def test_other_roles_are_refused(client, users, role):
    closure = services.close_books(actor=users[Role.FINANCE_OFFICER], through="2025-06-30", reason="x")
    client.force_login(users[role])
    assert client.get(reverse("books:closures")).status_code == 403
    assert client.get(reverse("books:exception_request")).status_code == 403
    assert client.post(reverse("books:reopen", args=[closure.pk]), {"reason": "x"}).status_code == 403
    assert reverse("books:closures") not in client.get(reverse("home")).content.decode()


def test_an_auditor_reads_but_does_not_close(client, users):
    client.force_login(users[Role.AUDITOR])
    assert client.post(reverse("books:closures"), {"through": "2025-06-30", "reason": "x"}).status_code == 403
    assert not Closure.objects.exists()


def test_anonymous_users_are_sent_to_log_in(client):
    assert client.get(reverse("books:closures")).status_code == 302


def test_closing_and_reopening_through_the_pages_takes_two_people(client, users):
    finance, district = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    client.force_login(finance)
    response = client.post(reverse("books:closures"), {"through": "2025-06-30", "reason": "上半年结账"})
    assert response.status_code == 302
    closure = Closure.objects.get()
    future = client.post(reverse("books:closures"), {"through": "2099-01-01", "reason": "x"})
    assert future.status_code == 200 and Closure.objects.count() == 1
    client.post(reverse("books:reopen", args=[closure.pk]), {"reason": "补录"})
    client.post(reverse("books:approve_reopen", args=[closure.pk]))
    closure.refresh_from_db()
    assert closure.reopen_requested_by == finance and closure.reopened_at is None
    client.force_login(district)
    assert "批准重新开账" in client.get(reverse("books:closures")).content.decode()
    client.post(reverse("books:approve_reopen", args=[closure.pk]))
    closure.refresh_from_db()
    assert closure.reopened_by == district


def test_asking_for_and_approving_an_exception_through_the_pages(client, users):
    finance, district = users[Role.FINANCE_OFFICER], users[Role.DISTRICT_OFFICIAL]
    services.close_books(actor=finance, through="2025-06-30", reason="上半年结账")
    client.force_login(district)
    assert client.get(reverse("books:exception_request")).status_code == 200
    response = client.post(
        reverse("books:exception_request"),
        {"record_model": "accounts.user", "record_id": str(users[Role.ADMIN].pk), "reason": "更正"},
    )
    assert response.status_code == 302
    exception = ClosureException.objects.get()
    missing = client.post(
        reverse("books:exception_request"), {"record_model": "accounts.user", "record_id": "999999", "reason": "x"}
    )
    assert missing.status_code == 200 and ClosureException.objects.count() == 1
    client.post(reverse("books:exception_approve", args=[exception.pk]))
    exception.refresh_from_db()
    assert exception.approved_at is None
    client.force_login(finance)
    client.post(reverse("books:exception_approve", args=[exception.pk]))
    exception.refresh_from_db()
    assert exception.approved_by == finance and exception.valid_until
    assert f'id="exception-{exception.pk}"' in client.get(reverse("books:closures")).content.decode()
