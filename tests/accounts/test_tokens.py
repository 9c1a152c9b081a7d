"""API tokens that end (docs/api.md "Tokens"): a new token per log-in and client, stored by digest only; log-out,
a password change (API and page), a one-time password, a deactivation and expiry each end it; a user's own token
page issues, lists and ends tokens."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import services
from accounts.models import ApiToken
from accounts.tokens import key_digest
from core.roles import Role
from tests.factories import DEFAULT_PASSWORD

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Xiaokunshan-2026"


def log_in(api, username="district_user", password=DEFAULT_PASSWORD, **extra):
    response = api.post("/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json")
    assert response.status_code == 200, response.content
    return response.json()


def calls_with(api, key):
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/units/").status_code


def test_the_key_is_kept_only_as_its_digest_and_each_log_in_gets_its_own(api, users):
    first, second = log_in(api, name="数据局对接脚本"), log_in(api, name="区经信委报表")
    assert first["token"] != second["token"]
    assert {t.key_hash for t in ApiToken.objects.all()} == {key_digest(first["token"]), key_digest(second["token"])}
    assert not ApiToken.objects.filter(key_hash=first["token"]).exists()
    assert calls_with(api, first["token"]) == 200 and calls_with(api, second["token"]) == 200


def test_one_token_per_client_a_new_log_in_of_the_same_client_replaces_it(api, users):
    old = log_in(api, name="数据局对接脚本")["token"]
    new = log_in(api, name="数据局对接脚本")["token"]
    assert calls_with(api, old) == 401
    assert calls_with(api, new) == 200
    assert ApiToken.objects.get(key_hash=key_digest(old)).revoked_reason == "replaced"


def test_log_ins_without_a_client_name_each_keep_their_own_token(api, users):
    first, second = log_in(api)["token"], log_in(api)["token"]
    assert calls_with(api, first) == 200 and calls_with(api, second) == 200


def test_log_out_ends_the_token_it_is_called_with_and_only_that_one(api, users):
    kept = log_in(api, name="其他脚本")["token"]
    key = log_in(api)["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.post("/api/v1/auth/logout/").status_code == 204
    assert calls_with(api, key) == 401
    assert calls_with(api, kept) == 200


def test_a_password_change_through_the_api_ends_every_token_of_the_user(api, users):
    keys = [log_in(api, name=name)["token"] for name in ("甲", "乙")]
    other_user = log_in(api, "finance_user")["token"]
    api.credentials(HTTP_AUTHORIZATION=f"Token {keys[0]}")
    wrong = api.post("/api/v1/auth/password/", {"old_password": "nope", "new_password": NEW_PASSWORD}, format="json")
    assert wrong.status_code == 400 and wrong.json()["code"] == "wrong_password"
    weak = api.post("/api/v1/auth/password/", {"old_password": DEFAULT_PASSWORD, "new_password": "1"}, format="json")
    assert weak.status_code == 400 and weak.json()["field"] == "new_password"
    assert calls_with(api, keys[0]) == 200  # a refused change ends nothing
    api.credentials(HTTP_AUTHORIZATION=f"Token {keys[0]}")
    changed = api.post(
        "/api/v1/auth/password/", {"old_password": DEFAULT_PASSWORD, "new_password": NEW_PASSWORD}, format="json"
    )
    assert changed.status_code == 204
    assert [calls_with(api, key) for key in keys] == [401, 401]
    assert calls_with(api, other_user) == 200
    api.credentials()
    assert calls_with(api, log_in(api, password=NEW_PASSWORD)["token"]) == 200


def test_a_password_change_on_the_page_and_a_one_time_password_end_the_tokens(api, client, users):
    key = log_in(api)["token"]
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": DEFAULT_PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert calls_with(api, key) == 401
    api.credentials()
    key = log_in(api, "finance_user")["token"]
    services.user_reset_password(actor=users[Role.ADMIN], user=users[Role.FINANCE_OFFICER])
    assert calls_with(api, key) == 401


def test_a_token_expires_its_lifetime_after_it_was_issued(api, users, settings):
    settings.PORTAL_TOKEN_TTL_HOURS = 2
    answer = log_in(api)
    token = ApiToken.objects.get(key_hash=key_digest(answer["token"]))
    assert timedelta(hours=2) - timedelta(minutes=1) < token.expires_at - timezone.now() <= timedelta(hours=2)
    assert calls_with(api, answer["token"]) == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = api.get("/api/v1/units/")
    assert response.status_code == 401
    message = str(response.json())
    assert "expired" in message or "过期" in message


def test_last_use_is_recorded(api, users):
    key = log_in(api)["token"]
    assert ApiToken.objects.get().last_used_at is None
    calls_with(api, key)
    assert ApiToken.objects.get().last_used_at is not None


def test_the_token_page_issues_a_key_once_lists_tokens_and_ends_one(client, api, users):
    client.force_login(users[Role.PROVIDER_USER])
    page = client.post(reverse("accounts:tokens"), {"name": "服务商对接工具"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=users[Role.PROVIDER_USER])
    key = page.context["issued"]["key"]
    assert key_digest(key) == token.key_hash and key in page.content.decode()
    listed = client.get(reverse("accounts:tokens")).content.decode()
    assert "服务商对接工具" in listed and token.prefix in listed and key not in listed
    assert calls_with(api, key) == 200
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 302
    assert calls_with(api, key) == 401


def test_nobody_ends_another_users_token_from_the_page(client, api, users):
    key = log_in(api)["token"]
    token = ApiToken.objects.get(key_hash=key_digest(key))
    client.force_login(users[Role.ADMIN])
    assert client.post(reverse("accounts:token_revoke", args=[token.pk])).status_code == 404
    assert calls_with(api, key) == 200


def test_a_blank_client_name_on_the_page_is_refused_with_a_message(client, users):
    client.force_login(users[Role.AUDITOR])
    page = client.post(reverse("accounts:tokens"), {"name": ""})
    assert page.status_code == 200 and page.context["form"].errors["name"]
    assert not ApiToken.objects.exists()
