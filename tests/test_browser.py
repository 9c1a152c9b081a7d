"""Chromium: each role logs in on the Chinese log-in page and lands on its own home page."""

from pathlib import Path

import pytest

from core.roles import Role
from tests.helpers import log_in

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

HOME_MARKERS = {
    Role.DISTRICT_OFFICIAL: ("区级管理人员", "街镇"),
    Role.UNIT_STAFF: ("街镇工作人员", "岳阳街道"),
    Role.PROVIDER_USER: ("服务商用户", "分配"),
    Role.AUDITOR: ("审计人员", "审计日志"),
    Role.ADMIN: ("系统管理员", "用户"),
}


@pytest.mark.browser
@pytest.mark.parametrize("role", list(HOME_MARKERS))
def test_each_role_logs_in_and_sees_its_home_page(page, live_server, users, role):
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    assert page.locator("h1").inner_text() == "登录"
    log_in(page, live_server.url, users[role].username)
    assert page.url.rstrip("/") == live_server.url
    body = page.locator("body").inner_text()
    for marker in HOME_MARKERS[role]:
        assert marker in body, (role, marker)
    assert page.locator(f"#home-{role.value}").count() == 1
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"home-{role.value}.png"), full_page=True)


@pytest.mark.browser
def test_navigation_shows_each_role_only_what_it_may_use(page, live_server, users):
    log_in(page, live_server.url, users[Role.UNIT_STAFF].username)
    nav = page.locator("#mainnav").inner_text()
    assert "首页" in nav and "用户" not in nav and "审计" not in nav


@pytest.mark.browser
def test_language_switch_turns_the_interface_to_english_and_back(page, live_server, users):
    log_in(page, live_server.url, users[Role.DISTRICT_OFFICIAL].username)
    assert "退出登录" in page.locator("nav").inner_text()
    with page.expect_navigation():
        page.select_option("#language-select", "en")
    assert "Log out" in page.locator("nav").inner_text()
    assert page.locator("html").get_attribute("lang") == "en"
    with page.expect_navigation():
        page.select_option("#language-select", "zh-hans")
    assert "退出登录" in page.locator("nav").inner_text()


@pytest.mark.browser
def test_static_assets_are_served_locally(page, live_server, db):
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{live_server.url}/accounts/login/")  # returns once the page and its assets have loaded
    assert requests, "the page made no requests"
    assert all(url.startswith(live_server.url) for url in requests), requests
    assert page.evaluate("typeof bootstrap") == "object"
    assert page.evaluate("typeof htmx") == "object"
