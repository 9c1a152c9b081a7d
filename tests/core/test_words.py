"""Issue 18 item 6: the words a newcomer meets.

服务商用户 names the role (a log-in); 服务商 names the organisation (column headers, the enterprise file, the
diagnosis header, the acceptance queue, the project page). Documents name the person and their office, never a
log-in alone. Downloads have Chinese names.
"""

import datetime
from types import SimpleNamespace
from urllib.parse import unquote

import pytest
from django.template import Context, Template
from django.utils import translation

from accounts.models import User
from core.roles import Role
from reports.exports import snapshot_file_name


def test_the_role_is_a_provider_user_and_the_organisation_a_provider():
    with translation.override("zh-hans"):
        assert str(Role.PROVIDER_USER.label) == "服务商用户"
        assert translation.gettext("Service provider") == "服务商"
        header = Template('{% load i18n %}{% trans "Service provider" %}').render(Context())
        assert header == "服务商"
    with translation.override("en"):
        assert str(Role.PROVIDER_USER.label) == "Service provider"


@pytest.mark.django_db
def test_the_provider_organisation_is_never_called_a_user_on_the_pages(client, users):
    from tests.factories import EnterpriseFactory

    enterprise = EnterpriseFactory(unit=users[Role.UNIT_STAFF].unit)
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    page = client.get(f"/enterprises/{enterprise.pk}/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "服务商" in page and "服务商用户" not in page


def test_a_document_names_the_person_and_the_office_not_the_log_in():
    official = User(username="district", display_name="区经委 王科长", role=Role.DISTRICT_OFFICIAL)
    with translation.override("zh-hans"):
        assert official.signature == "区经委 王科长（区级管理人员）"
        bare = User(username="auditor", role=Role.AUDITOR)
        assert bare.signature == "auditor（审计人员）"


def test_snapshot_downloads_have_chinese_names():
    district = SimpleNamespace(
        unit_id=None, unit=None, period=SimpleNamespace(code="2025"), as_of=datetime.date(2025, 12, 31)
    )
    assert snapshot_file_name(district, "pdf") == "指标完成情况_2025_全区_2025-12-31.pdf"
    unit = SimpleNamespace(
        unit_id=1, unit=SimpleNamespace(name="岳阳街道"), period=district.period, as_of=district.as_of
    )
    assert unquote(snapshot_file_name(unit, "xlsx")) == "指标完成情况_2025_岳阳街道_2025-12-31.xlsx"


DESTRUCTIVE_BUTTONS = {
    # template: a marker of the form whose button must ask first
    "providers/product_detail.html": "Withdraw the recognition",
    "providers/detail.html": "End the assignment",
    "providers/body_detail.html": "End the assignment",
    "accounts/tokens.html": 'trans "End"',
    "accounts/user_detail.html": 'trans "Deactivate"',
}


def test_every_remaining_destructive_button_asks_first():
    """Issue 18 item 3: the steps that have no server confirmation page ask in the portal's dialog, restating
    what will happen (static/js/portal.js data-confirm)."""
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent / "templates"
    for name, marker in DESTRUCTIVE_BUTTONS.items():
        text = (root / name).read_text()
        assert marker in text, name
        for chunk in text.split("<button")[1:]:
            if marker in chunk.split("</button>", 1)[0]:
                assert "data-confirm=" in chunk.split(">", 1)[0], name
