"""The xlsx exports of the two lists (read back with openpyxl), the 六张工作清单 hub with its counts and
downloads, and the read-only API."""

import datetime
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from core.models import DownloadLog
from core.roles import Role
from enterprises.choices import Status
from funding.models import FinancialProduct
from providers.models import Product, Provider
from tests.factories import EnterpriseFactory, ProviderFactory
from worklists import services
from worklists.exports import POLICY_HEADERS, TASK_HEADERS
from worklists.models import PolicyDocument, WorkTask

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def sheet_rows(response):
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    return [list(row) for row in book.worksheets[0].iter_rows(values_only=True)]


def test_the_task_export_has_chinese_headers_every_task_and_safe_cells(client, users, units):
    district = users[Role.DISTRICT_OFFICIAL]
    task = services.task_create(
        actor=district, title='=HYPERLINK("http://evil","x")', target="+cmd", deadline="2026-05-31",
        unit=units["310117001"],
    )  # fmt: skip
    services.task_progress_update(actor=district, task=task, status="in_progress", percent=45, note="@SUM(1)")
    client.force_login(users[Role.AUDITOR])
    rows = sheet_rows(client.get(reverse("worklists:task_export")))
    assert rows[0] == TASK_HEADERS
    assert len(rows) == 1 + WorkTask.objects.count() == 15
    first = rows[1]
    assert first[:3] == [1, "推进阶段", "第一阶段：筹备阶段"]
    assert first[7] == datetime.datetime(2025, 3, 31) and first[8] == "未开始"
    ninth = next(r for r in rows if r[12] == "三、工作任务（九）")
    assert ninth[4] == "区数据局、区经委、相关街镇（经开区）" and ninth[6] == datetime.datetime(2025, 9, 1)
    mine = rows[-1]
    assert mine[2] == '\'=HYPERLINK("http://evil","x")' and mine[3] == "'+cmd" and mine[11] == "'@SUM(1)"
    assert mine[5] == "岳阳街道" and mine[8] == "进行中" and mine[9] == 45 and mine[13] == district.username
    assert mine[10] == ("是" if task.is_overdue() else "否")
    log = DownloadLog.objects.get()
    assert (log.kind, log.user, log.row_count) == ("task_export", users[Role.AUDITOR], 14)


def test_the_task_export_follows_the_lists_filters(client, users):
    client.force_login(users[Role.UNIT_STAFF])
    rows = sheet_rows(client.get(reverse("worklists:task_export"), {"responsible": "区财政局"}))
    assert sorted(r[2] for r in rows[1:]) == sorted(["开展城市试点工作宣贯培训", "开展试点工作绩效评价"])


def test_the_policy_export_reads_back_with_status_and_window(client, users):
    today = timezone.localdate()
    services.policy_create(
        actor=users[Role.DISTRICT_OFFICIAL], number="松经委〔2026〕8号", title="=1+1 申报通知",
        window_opens=today, window_closes=today + datetime.timedelta(days=30), url="https://www.songjiang.gov.cn/x",
    )  # fmt: skip
    client.force_login(users[Role.PROVIDER_USER])
    rows = sheet_rows(client.get(reverse("worklists:policy_export")))
    assert rows[0] == POLICY_HEADERS and len(rows) == 1 + PolicyDocument.objects.count()
    by_title = {r[1]: r for r in rows[1:]}
    notice = by_title["'=1+1 申报通知"]
    assert notice[0] == "松经委〔2026〕8号" and notice[7] == "开放中" and notice[10] == "有效"
    assert notice[11] == "https://www.songjiang.gov.cn/x"
    plan = by_title["松江区中小企业数字化转型城市试点工作方案"]
    assert plan[2] == "上海市松江区经济委员会" and plan[3] == datetime.datetime(2025, 5, 29)
    assert plan[9] == datetime.datetime(2026, 10, 31)
    assert plan[10] == ("有效" if today <= datetime.date(2026, 10, 31) else "失效")
    assert plan[7] == "未设置"
    only_open = sheet_rows(client.get(reverse("worklists:policy_export"), {"window": "yes"}))
    assert [r[0] for r in only_open[1:]] == ["松经委〔2026〕8号"]
    assert DownloadLog.objects.filter(kind="policy_export").count() == 2


def test_anonymous_visitors_get_no_export(client, db):
    for name in ("worklists:task_export", "worklists:policy_export"):
        assert client.get(reverse(name)).status_code == 302
    assert not DownloadLog.objects.exists()


@pytest.fixture
def programme(units, users):
    for _ in range(3):
        EnterpriseFactory(unit=units["310117001"])
    EnterpriseFactory(unit=units["310117002"])
    EnterpriseFactory(unit=units["310117001"], status=Status.PROPOSED)
    provider = ProviderFactory()
    ProviderFactory()
    Product.objects.create(provider=provider, name="轻量化MES", recognised_on=datetime.date(2025, 6, 1))
    Product.objects.create(provider=provider, name="设备联网盒子")
    FinancialProduct.objects.create(bank="上海农商银行", name="数字化转型贷")


def _hub(client, user):
    client.force_login(user)
    response = client.get(reverse("worklists:hub"))
    assert response.status_code == 200
    return {wl.code: wl for wl in response.context["lists"]}, response.content.decode()


def test_the_hub_lists_the_six_lists_with_their_counts(client, users, programme):
    lists, page = _hub(client, users[Role.DISTRICT_OFFICIAL])
    assert [wl.plan_name for wl in lists.values()] == [
        "任务清单",
        "试点企业清单",
        "服务商清单",
        "优秀产品清单",
        "政策清单",
        "金融清单",
    ]
    assert {code: wl.count for code, wl in lists.items()} == {
        "tasks": 13, "enterprises": 4, "providers": Provider.objects.count(), "products": 1, "policies": 9,
        "financing": 1,
    }  # fmt: skip
    assert Provider.objects.count() == 3  # two in the pool, and the provider user's own
    today = timezone.localdate()
    overdue = sum(t.is_overdue(today) for t in WorkTask.objects.all())
    assert lists["tasks"].extra[1][1] == overdue
    assert lists["policies"].extra[0][1] == sum(p.is_in_force(today) for p in PolicyDocument.objects.all())
    for wl in lists.values():
        assert f'id="list-{wl.code}"' in page and f'data-count="{wl.count}"' in page


def test_every_download_on_the_hub_answers_an_xlsx(client, users, programme):
    lists, _page = _hub(client, users[Role.DISTRICT_OFFICIAL])
    for wl in lists.values():
        response = client.get(wl.export_url)
        assert response.status_code == 200, wl.code
        assert response["Content-Type"] == XLSX, wl.code
        assert client.get(wl.list_url).status_code == 200, wl.code
    assert DownloadLog.objects.count() == 6


def test_the_hub_counts_what_the_viewer_sees(client, users, programme):
    lists, _page = _hub(client, users[Role.UNIT_STAFF])
    assert lists["enterprises"].count == 3  # their unit's enterprises in the pilot list
    assert lists["tasks"].count == 13 and lists["financing"].export_url
    lists, page = _hub(client, users[Role.PROVIDER_USER])
    assert lists["enterprises"].count == 0 and lists["providers"].count == 1  # its own record
    assert lists["financing"].export_url == ""  # providers do not download the 金融清单
    assert client.get(reverse("funding:financing_export")).status_code == 403


def test_the_api_lists_tasks_and_policies_paginated(api, users):
    response = api.get("/api/v1/work-tasks/")
    assert response.status_code == 401
    api.as_user(users[Role.EVALUATOR])
    data = api.get("/api/v1/work-tasks/", {"page_size": 5}).json()
    assert data["count"] == 13 and len(data["results"]) == 5 and data["next"]
    first = data["results"][0]
    assert first["title"] == "第一阶段：筹备阶段" and first["deadline"] == "2025-03-31"
    assert first["overdue"] is (datetime.date(2025, 3, 31) < timezone.localdate())
    done = api.get("/api/v1/work-tasks/", {"status": "done"}).json()
    assert done["count"] == 0
    policies = api.get("/api/v1/policies/", {"search": "117号"}).json()
    assert [p["number"] for p in policies["results"]] == ["财建〔2023〕117号"]
    assert set(policies["results"][0]) >= {
        "issuer",
        "issued_on",
        "support",
        "window_opens",
        "window_closes",
        "in_force",
    }
