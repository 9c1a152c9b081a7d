"""Log-in (page and token), throttling per user name and address, unlock, one-time passwords."""

import pytest
from django.urls import reverse

from accounts import services, throttle
from core.roles import Role
from tests.factories import DEFAULT_PASSWORD


def token(api, username, password, address="10.0.0.1"):
    return api.post(
        "/api/v1/auth/token/", {"username": username, "password": password}, format="json", REMOTE_ADDR=address
    )


def test_token_login_returns_a_token_that_authenticates_api_calls(api, users):
    response = token(api, "district_user", DEFAULT_PASSWORD)
    assert response.status_code == 200
    key = response.json()["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/units/").status_code == 200


def test_wrong_credentials_answer_400_with_a_message_in_the_requested_language(api, users):
    zh = api.post(
        "/api/v1/auth/token/",
        {"username": "district_user", "password": "nope"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert zh.status_code == 400
    assert zh.json()["code"] == "login_failed"
    assert "密码" in zh.json()["message"]
    en = api.post(
        "/api/v1/auth/token/",
        {"username": "district_user", "password": "nope"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "password" in en.json()["message"]


def test_token_login_is_locked_after_repeated_failures_for_that_user_and_address(api, users, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        assert token(api, "district_user", "wrong").status_code == 400
    locked = token(api, "district_user", DEFAULT_PASSWORD)
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    # Another user from the same address (a browser test, an office behind NAT) is not locked out …
    assert token(api, "finance_user", DEFAULT_PASSWORD).status_code == 200
    # … nor is the same user from another address.
    assert token(api, "district_user", DEFAULT_PASSWORD, address="10.0.0.2").status_code == 200
    assert throttle.has_lockout("district_user")


def test_the_admin_unlocks_a_locked_out_user(api, users, settings):
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        token(api, "district_user", "wrong")
    services.user_unlock(actor=users[Role.ADMIN], user=users[Role.DISTRICT_OFFICIAL])
    assert token(api, "district_user", DEFAULT_PASSWORD).status_code == 200
    assert not throttle.has_lockout("district_user")


def test_login_page_is_throttled_too(client, users, settings):
    url = reverse("accounts:login")
    for _ in range(settings.LOGIN_FAILURE_LIMIT):
        response = client.post(url, {"username": "unit_user", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(url, {"username": "unit_user", "password": DEFAULT_PASSWORD})
    assert response.status_code == 200
    assert "稍后再试" in response.content.decode() or "Try again later" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_page_signs_in_and_lands_on_the_home_page(client, users):
    response = client.post(
        reverse("accounts:login"), {"username": "unit_user", "password": DEFAULT_PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert response.request["PATH_INFO"] == "/"
    assert "岳阳街道" in response.content.decode()


def test_deactivated_users_cannot_log_in_and_lose_their_tokens(api, users):
    key = token(api, "auditor_user", DEFAULT_PASSWORD).json()["token"]
    services.user_set_active(actor=users[Role.ADMIN], user=users[Role.AUDITOR], active=False)
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/units/").status_code == 401
    api.credentials()
    assert token(api, "auditor_user", DEFAULT_PASSWORD).status_code == 400


def test_a_one_time_password_must_be_replaced_at_first_login(client, users):
    issued = services.user_reset_password(actor=users[Role.ADMIN], user=users[Role.FINANCE_OFFICER])
    client.post(reverse("accounts:login"), {"username": "finance_user", "password": issued})
    assert client.get("/").url == reverse("accounts:password_change")
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": issued, "new_password1": "Xiaokunshan-2026", "new_password2": "Xiaokunshan-2026"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_weak_new_passwords_are_refused_with_reasons(client, users):
    client.force_login(users[Role.FINANCE_OFFICER])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "密码" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/accounts/users/", "/audit/history/"])
def test_pages_send_anonymous_visitors_to_the_login_page(client, db, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_client_address_trusts_x_forwarded_for_only_behind_configured_proxies(rf, settings):
    from core.services import client_address

    request = rf.get("/", REMOTE_ADDR="172.18.0.5", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.20.30.40")
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert client_address(request) == "172.18.0.5"  # a client could forge the header
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    assert client_address(request) == "10.20.30.40"  # what the one trusted proxy saw
