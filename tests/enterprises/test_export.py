"""The 试点企业清单 export: columns, scope, UTF-8 BOM, formula escaping, and that it imports back unchanged."""

import csv
import datetime
import io

import pytest
from django.http import StreamingHttpResponse
from django.urls import reverse
from django.utils import translation

from core.models import DownloadLog
from core.roles import Role
from core.tabular.writing import safe_cell
from enterprises import exports, imports
from enterprises.choices import Status
from enterprises.resources import EnterpriseResource
from enterprises.selectors import enterprise_list
from tests.factories import EnterpriseFactory

from .rosters import HEADERS, XLSX_TYPE, sheet_rows, upload

EXTRA = ["状态", "试点年度", "上云用云核验日期", "基线数字化水平", "当前数字化水平"]


@pytest.fixture
def registry(units):
    return {
        "ours": EnterpriseFactory(
            unit=units["310117001"],
            name="上海岳阳导出有限公司",
            tier="little_giant",
            cloud_verified_on=datetime.date(2025, 6, 30),
            current_level=2,
        ),
        "formula": EnterpriseFactory(
            unit=units["310117001"], name="=cmd()", contact_name="+SUM(1)", main_products="@A1", contact_phone="-1"
        ),
        "theirs": EnterpriseFactory(unit=units["310117104"], name="上海车墩导出有限公司"),
    }


def csv_rows(content):
    assert content.startswith(b"\xef\xbb\xbf"), "UTF-8 with BOM, for Excel on Chinese Windows"
    return list(csv.reader(io.StringIO(content[3:].decode("utf-8"))))


def test_the_headers_are_the_rosters_followed_by_the_lists_own_facts():
    assert exports.export_headers() == [*HEADERS, *EXTRA]
    assert EnterpriseResource().get_export_headers() == [*HEADERS, *EXTRA]


def test_an_xlsx_export_has_labels_numbers_and_dates(registry, users):
    content = exports.export_xlsx(enterprise_list(viewer=users[Role.DISTRICT_OFFICIAL]).order_by("pk"))
    rows = sheet_rows(content)
    assert list(rows[0]) == [*HEADERS, *EXTRA]
    ours = next(r for r in rows if r[1] == "上海岳阳导出有限公司")
    enterprise = registry["ours"]
    assert ours[0] == enterprise.credit_code and ours[2] == "岳阳街道"
    assert ours[6] == '专精特新"小巨人"'
    assert ours[11] == enterprise.employees and isinstance(ours[11], int)
    with translation.override("zh-hans"):
        assert ours[13] == str(Status.ACTIVE.label)  # in Chinese whatever the reader's language
    assert ours[14] == 2025 and ours[15].date() == datetime.date(2025, 6, 30) and ours[17] == 2


def test_exports_neutralise_spreadsheet_formulas(registry, users):
    queryset = enterprise_list(viewer=users[Role.DISTRICT_OFFICIAL])
    xlsx = next(r for r in sheet_rows(exports.export_xlsx(queryset)) if r[0] == registry["formula"].credit_code)
    text = next(r for r in csv_rows(exports.export_csv(queryset)) if r[0] == registry["formula"].credit_code)
    for line in (xlsx, text):
        assert line[1] == "'=cmd()" and line[7] == "'+SUM(1)" and line[8] == "'-1" and line[10] == "'@A1"


def test_the_csv_is_utf8_with_bom_and_streams(registry, users):
    chunks = list(exports.export_csv_chunks(enterprise_list(viewer=users[Role.DISTRICT_OFFICIAL])))
    assert len(chunks) >= 2 and chunks[0].startswith(b"\xef\xbb\xbf")
    rows = csv_rows(b"".join(chunks))
    assert rows[0] == [*HEADERS, *EXTRA] and len(rows) == 4
    assert "上海岳阳导出有限公司" in {r[1] for r in rows}


def test_the_export_page_respects_the_viewers_scope_and_is_logged(client, users, registry):
    clerk = users[Role.UNIT_STAFF]
    client.force_login(clerk)
    response = client.get(reverse("enterprises:export"), {"format": "csv"})
    assert response.status_code == 200 and isinstance(response, StreamingHttpResponse)
    assert "attachment" in response["Content-Disposition"]
    names = {r[1] for r in csv_rows(b"".join(response.streaming_content))[1:]}
    assert names == {"上海岳阳导出有限公司", "'=cmd()"}
    response = client.get(reverse("enterprises:export"), {"format": "xlsx"})
    assert response["Content-Type"] == XLSX_TYPE
    assert {r[1] for r in sheet_rows(response.content)[1:]} == {"上海岳阳导出有限公司", "'=cmd()"}
    logs = DownloadLog.objects.filter(user=clerk, kind="enterprise_export")
    assert logs.count() == 2 and {log.row_count for log in logs} == {2}


def test_an_export_imports_back_unchanged(registry, users):
    district = users[Role.DISTRICT_OFFICIAL]
    content = exports.export_xlsx(enterprise_list(viewer=district))
    batch = imports.roster_import(actor=district, upload=upload(content, "清单.xlsx"))
    assert batch.result["totals"] == {"create": 0, "update": 0, "unchanged": 3, "error": 0}
    csv_content = exports.export_csv(enterprise_list(viewer=district))
    batch = imports.roster_import(actor=district, upload=upload(csv_content, "清单.csv"))
    assert batch.result["totals"]["unchanged"] == 3


def test_the_export_reads_the_database_in_a_constant_number_of_queries(units, users, django_assert_max_num_queries):
    EnterpriseFactory.create_batch(30, unit=units["310117001"])
    with django_assert_max_num_queries(3):
        exports.export_xlsx(enterprise_list(viewer=users[Role.DISTRICT_OFFICIAL]))


def test_safe_cell_is_what_every_written_file_uses():
    assert safe_cell("=1+1") == "'=1+1"
