"""Two-factor log-in (accounts/two_factor.py): enrolment, the code after the password on the page and at the token
endpoint, recovery codes that work once each, throttling of wrong codes, and the setting that switches it on."""

import re
import time

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect

from accounts import two_factor
from core.roles import Role
from tests.factories import DEFAULT_PASSWORD
from tests.helpers import LOGIN_PATH

TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture
def two_factor_on(settings):
    settings.PORTAL_TWO_FACTOR_ROLES = ["admin", "finance_officer"]
    return settings


def code_of(device, steps=0):
    """The code ``device`` shows ``steps`` time steps from now, computed from its key as the app does."""
    device.refresh_from_db()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def enrolled(user):
    device = TOTPDevice.objects.create(user=user, name=two_factor.TOTP_DEVICE_NAME, confirmed=True)
    codes = two_factor.new_recovery_codes(user)
    return device, codes


def token(api, username, otp=None, address="10.0.0.1"):
    body = {"username": username, "password": DEFAULT_PASSWORD}
    if otp is not None:
        body["otp"] = otp
    return api.post(TOKEN_URL, body, format="json", REMOTE_ADDR=address)


# --- The token endpoint ------------------------------------------------------------------------


def test_off_by_default_the_token_endpoint_needs_no_code(api, users, settings):
    assert settings.PORTAL_TWO_FACTOR_ROLES == []
    enrolled(users[Role.FINANCE_OFFICER])
    assert token(api, "finance_user").status_code == 200


def test_the_token_endpoint_needs_otp_for_a_role_with_two_factor(api, users, two_factor_on):
    device, _codes = enrolled(users[Role.FINANCE_OFFICER])
    missing = token(api, "finance_user")
    assert missing.status_code == 401
    assert missing.json()["code"] == "otp_required"
    wrong = token(api, "finance_user", otp="000000" if code_of(device) != "000000" else "111111")
    assert wrong.status_code == 401
    assert wrong.json()["code"] == "otp_required"
    good = token(api, "finance_user", otp=code_of(device))
    assert good.status_code == 200
    api.credentials(HTTP_AUTHORIZATION=f"Token {good.json()['token']}")
    assert api.get("/api/v1/units/").status_code == 200
    # The same code again is a replay.
    assert token(api, "finance_user", otp=code_of(device)).json()["code"] == "otp_required"
    # A role without two-factor logs in as before.
    assert token(api, "district_user").status_code == 200


def test_a_user_not_yet_enrolled_gets_otp_required_from_the_token_endpoint(api, users, two_factor_on):
    response = token(api, "admin_user", otp="123456")
    assert response.status_code == 401
    assert response.json()["code"] == "otp_required"
    assert "enrol" in response.json()["message"] or "绑定" in response.json()["message"]


def test_recovery_codes_work_once_each(api, users, two_factor_on):
    _device, codes = enrolled(users[Role.FINANCE_OFFICER])
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT == len(set(codes))
    assert token(api, "finance_user", otp=codes[0]).status_code == 200
    again = token(api, "finance_user", otp=codes[0])
    assert again.status_code == 401 and again.json()["code"] == "otp_required"
    assert token(api, "finance_user", otp=codes[1]).status_code == 200
    assert two_factor.recovery_codes_left(users[Role.FINANCE_OFFICER]) == len(codes) - 2
    # New codes replace the old ones.
    fresh = two_factor.new_recovery_codes(users[Role.FINANCE_OFFICER])
    assert token(api, "finance_user", otp=codes[2]).status_code == 401
    assert token(api, "finance_user", otp=fresh[0]).status_code == 200


def test_wrong_codes_are_throttled_like_wrong_passwords(api, users, two_factor_on):
    device, _codes = enrolled(users[Role.FINANCE_OFFICER])
    for _ in range(two_factor_on.LOGIN_FAILURE_LIMIT):
        assert token(api, "finance_user", otp="not-a-code").status_code == 401
    locked = token(api, "finance_user", otp=code_of(device))
    assert locked.status_code == 429
    assert locked.json()["code"] == "login_locked"
    # Another address is not locked; the administrator's unlock lifts it.
    assert token(api, "finance_user", otp=code_of(device, -1), address="10.0.0.2").status_code == 200
    from accounts import services

    services.user_unlock(actor=users[Role.ADMIN], user=users[Role.FINANCE_OFFICER])
    assert token(api, "finance_user", otp=code_of(device, 1)).status_code == 200


def test_an_unknown_role_in_the_setting_fails_the_system_check(settings):
    settings.PORTAL_TWO_FACTOR_ROLES = ["finance"]
    with pytest.raises(SystemCheckError, match="finance"):
        call_command("check", verbosity=0)


# --- The pages ---------------------------------------------------------------------------------


def test_the_login_page_asks_for_the_code_after_the_password(client, users, two_factor_on):
    device, codes = enrolled(users[Role.FINANCE_OFFICER])
    response = client.post(reverse("accounts:login"), {"username": "finance_user", "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:one_time_password")
    assert "_auth_user_id" not in client.session  # not logged in before the code
    assert client.get(reverse("home")).status_code == 302
    wrong = client.post(reverse("accounts:one_time_password"), {"code": "12345x"})
    assert wrong.status_code == 200
    assert "_auth_user_id" not in client.session
    done = client.post(reverse("accounts:one_time_password"), {"code": code_of(device)})
    assert done.status_code == 302
    assert client.session["_auth_user_id"] == str(users[Role.FINANCE_OFFICER].pk)
    assert client.get(reverse("home")).status_code == 200
    # A recovery code logs in too (once), and says how many are left.
    client.logout()
    client.post(reverse("accounts:login"), {"username": "finance_user", "password": DEFAULT_PASSWORD})
    page = client.post(reverse("accounts:one_time_password"), {"code": codes[0]}, follow=True)
    assert page.status_code == 200
    assert str(len(codes) - 1) in page.content.decode()
    assert not StaticToken.objects.filter(token=codes[0]).exists()


def test_the_code_page_without_a_password_first_sends_to_the_login_page(client, users, two_factor_on):
    response = client.post(reverse("accounts:one_time_password"), {"code": "123456"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_user_not_enrolled_must_enrol_before_anything_else(client, users, two_factor_on):
    user = users[Role.ADMIN]
    client.post(reverse("accounts:login"), {"username": "admin_user", "password": DEFAULT_PASSWORD})
    assert client.session["_auth_user_id"] == str(user.pk)
    for path in (reverse("home"), reverse("accounts:user_list"), reverse("accounts:tokens")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("accounts:two_factor_enrol"), path
    api = client.get("/api/v1/units/")
    assert api.status_code == 401 and api.json()["code"] == "otp_required"
    page = client.get(reverse("accounts:two_factor_enrol"))
    assert page.status_code == 200
    assert 'src="data:image/svg+xml' in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    assert two_factor.secret(device) in page.content.decode()
    assert client.post(reverse("accounts:two_factor_enrol"), {"code": "000000x"}).status_code == 200
    done = client.post(reverse("accounts:two_factor_enrol"), {"code": code_of(device)})
    assert done.status_code == 200
    codes = re.findall(r"<li>([a-z0-9]{8})</li>", done.content.decode())
    assert len(codes) == two_factor.RECOVERY_CODE_COUNT
    assert two_factor.is_enrolled(user)
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/units/").status_code == 200
    # The codes are shown once: the two-factor page shows only how many are left.
    status = client.get(reverse("accounts:two_factor")).content.decode()
    assert codes[0] not in status and 'id="codes-left">10<' in status


def test_switched_on_during_a_session_an_enrolled_user_logs_in_again(client, users, settings):
    enrolled(users[Role.FINANCE_OFFICER])
    client.force_login(users[Role.FINANCE_OFFICER])
    assert client.get(reverse("home")).status_code == 200
    settings.PORTAL_TWO_FACTOR_ROLES = ["finance_officer"]
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert "_auth_user_id" not in client.session


def test_the_admin_resets_a_lost_authenticator(client, users, two_factor_on):
    enrolled(users[Role.FINANCE_OFFICER])
    admin = users[Role.ADMIN]
    enrolled(admin)
    client.force_login(admin)
    session = client.session
    session["otp_device_id"] = TOTPDevice.objects.get(user=admin).persistent_id
    session.save()
    target = users[Role.FINANCE_OFFICER]
    page = client.get(reverse("accounts:user_detail", args=[target.pk])).content.decode()
    assert 'id="reset-two-factor"' in page
    client.post(reverse("accounts:user_action", args=[target.pk, "reset-two-factor"]))
    assert not two_factor.is_enrolled(target)
    assert two_factor.recovery_codes_left(target) == 0


def test_roles_without_two_factor_have_no_enrolment_page(client, users, two_factor_on):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("accounts:two_factor_enrol")).status_code == 403


# --- Chromium ------------------------------------------------------------------------------------


@pytest.mark.browser
def test_a_finance_officer_logs_in_with_an_authenticator_code_in_chromium(page, live_server, users, two_factor_on):
    device, _codes = enrolled(users[Role.FINANCE_OFFICER])
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    page.fill("#id_username", "finance_user")
    page.fill("#id_password", DEFAULT_PASSWORD)
    page.click("#login-submit")
    expect(page).to_have_url(re.compile(re.escape(reverse("accounts:one_time_password"))))
    assert "两步" in page.locator("h1").inner_text() or "Two-factor" in page.locator("h1").inner_text()
    page.fill("#id_code", code_of(device))
    page.click("#otp-submit")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/?$"))
    assert page.locator(f"#home-{Role.FINANCE_OFFICER.value}").count() == 1
