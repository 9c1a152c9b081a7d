"""服务商清单 and 优秀产品清单: columns, scope, UTF-8 BOM, formula escaping, download log."""

import csv
import io

from django.urls import reverse
from openpyxl import load_workbook

from core.models import DownloadLog
from core.roles import Role
from providers import services
from providers.exports import PRODUCT_HEADERS, PROVIDER_HEADERS


def _csv(response):
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel on Chinese Windows"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"))))


def _xlsx(response):
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_the_provider_list_as_csv(client, world):
    services.provider_update(
        actor=world["district"],
        provider=world["prov_b"],
        name='=HYPERLINK("http://evil")',
        contact_name="+SUM(1)",
        qualifications="@A1",
        sectors=["auto_parts"],
        scenes=["finance", "safety"],
    )
    client.force_login(world["district"])
    response = client.get(reverse("providers:export"), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = _csv(response)
    assert rows[0] == PROVIDER_HEADERS
    b = next(r for r in rows[1:] if r[0] == world["prov_b"].credit_code)
    assert b[1] == '\'=HYPERLINK("http://evil")' and b[10] == "'+SUM(1)" and b[8] == "'@A1"
    assert b[6] == "汽车零部件" and b[7] == "财务管理、安全生产"
    assert b[3] == "已入库" and b[12:] == ["2", "2", "1"]
    log = DownloadLog.objects.get(kind="provider_export")
    assert log.user == world["district"] and log.row_count == 2


def test_the_provider_list_as_xlsx_is_scoped_and_filtered(client, users, world):
    client.force_login(users[Role.PROVIDER_USER])
    rows = _xlsx(client.get(reverse("providers:export"), {"format": "xlsx"}))
    assert rows[0] == PROVIDER_HEADERS
    assert [r[1] for r in rows[1:]] == ["甲数字科技有限公司"]
    client.force_login(world["district"])
    rows = _xlsx(client.get(reverse("providers:export"), {"format": "xlsx", "search": "乙"}))
    assert [r[1] for r in rows[1:]] == ["乙智造服务有限公司"]
    assert client.get(reverse("providers:export"), {"format": "pdf"}).status_code == 404


def test_phones_are_masked_for_roles_that_do_not_need_them(client, users, world):
    services.provider_update(actor=world["district"], provider=world["prov_b"], contact_phone="13812345678")
    client.force_login(users[Role.AUDITOR])
    rows = _csv(client.get(reverse("providers:export"), {"format": "csv"}))
    assert "138****5678" in [r[11] for r in rows[1:]]


def test_the_excellent_products_list_holds_recognised_products_only(client, users, world):
    services.product_update(actor=world["district"], product=world["b_recognised"], description="-2+3", deployments=7)
    client.force_login(users[Role.UNIT_STAFF])
    rows = _csv(client.get(reverse("providers:product_export"), {"format": "csv"}))
    assert rows[0] == PRODUCT_HEADERS
    assert [r[0] for r in rows[1:]] == ["乙·轻量MES"]
    row = rows[1]
    assert row[1] == "乙智造服务有限公司" and row[3] == "生产管控" and row[6] == "7"
    assert row[7] == "2025-05-01" and row[8] == "'-2+3"
    xlsx = _xlsx(client.get(reverse("providers:product_export"), {"format": "xlsx"}))
    assert [r[0] for r in xlsx[1:]] == ["乙·轻量MES"] and xlsx[1][6] == 7
    assert DownloadLog.objects.filter(kind="product_export", user=users[Role.UNIT_STAFF]).count() == 2


def test_a_provider_export_of_products_never_holds_another_providers_drafts(client, users, world):
    services.product_recognise(actor=world["district"], product=world["a_draft"])
    client.force_login(users[Role.PROVIDER_USER])
    rows = _csv(client.get(reverse("providers:product_export"), {"format": "csv"}))
    assert sorted(r[0] for r in rows[1:]) == ["乙·轻量MES", "甲·设备云"]
    filtered = _csv(client.get(reverse("providers:product_export"), {"format": "csv", "provider": world["prov_a"].pk}))
    assert [r[0] for r in filtered[1:]] == ["甲·设备云"]


def test_anonymous_users_are_sent_to_log_in(client, world):
    for name in ("providers:export", "providers:product_export"):
        response = client.get(reverse(name), {"format": "csv"})
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert not DownloadLog.objects.exists()
