"""The work-list pages: who may open what (anonymous / wrong role / unit staff own vs other unit /
district), filters, forms that answer bad input on the field, and a task's history page."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from core.roles import Role
from worklists import services
from worklists.choices import TaskStatus
from worklists.models import PolicyDocument, WorkTask

READ_PAGES = ["worklists:hub", "worklists:task_list", "worklists:policy_list"]


@pytest.fixture
def unit_tasks(users, units):
    district = users[Role.DISTRICT_OFFICIAL]

    def make(unit_code, title):
        return services.task_create(
            actor=district,
            title=title,
            target="完成辖区试点企业诊断",
            deadline=datetime.date(2030, 6, 30),
            unit=units[unit_code],
        )

    return {"own": make("310117001", "岳阳街道诊断推进"), "other": make("310117002", "永丰街道诊断推进")}


@pytest.mark.parametrize("name", READ_PAGES + ["worklists:task_create", "worklists:policy_create"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", READ_PAGES)
def test_every_role_reads_the_lists(client, users, role, name):
    client.force_login(users[role])
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("role", [Role.UNIT_STAFF, Role.AUDITOR, Role.FINANCE_OFFICER, Role.PROVIDER_USER])
def test_other_roles_may_not_add_tasks_or_policies_and_are_told_why(client, users, role):
    client.force_login(users[role])
    response = client.get(reverse("worklists:task_create"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 403
    assert 'id="refusal-reason"' in response.content.decode()
    assert client.post(reverse("worklists:policy_create"), {"title": "x"}).status_code == 403
    assert not PolicyDocument.objects.filter(title="x").exists()


def test_the_district_adds_a_task_and_bad_input_lands_on_the_field(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = reverse("worklists:task_create")
    data = {"title": "编制资金管理办法", "target": "形成资金管理办法", "category": "key_task", "deadline": "1900-01-01"}
    data["responsible_departments"] = "区经委、区财政局"
    response = client.post(url, data)
    assert response.status_code == 200
    assert "1900-01-01" in response.context["form"].errors["deadline"][0]
    data["deadline"] = "2026-03-31"
    response = client.post(url, data)
    task = WorkTask.objects.get(title="编制资金管理办法")
    assert response.status_code == 302 and response["Location"] == reverse("worklists:task_detail", args=[task.pk])
    edit = reverse("worklists:task_edit", args=[task.pk])
    assert client.get(edit).context["form"].initial["deadline"] == datetime.date(2026, 3, 31)
    data["deadline"] = "2026-04-30"
    assert client.post(edit, data).status_code == 302
    task.refresh_from_db()
    assert task.deadline == datetime.date(2026, 4, 30)


def test_unit_staff_update_their_units_task_but_not_another_units(client, users, unit_tasks):
    client.force_login(users[Role.UNIT_STAFF])
    own = reverse("worklists:task_progress", args=[unit_tasks["own"].pk])
    response = client.post(own, {"status": "in_progress", "percent": "40", "note": "已诊断 12 家"})
    assert response.status_code == 302
    unit_tasks["own"].refresh_from_db()
    assert (unit_tasks["own"].status, unit_tasks["own"].percent) == (TaskStatus.IN_PROGRESS, 40)
    other = reverse("worklists:task_progress", args=[unit_tasks["other"].pk])
    assert client.get(other).status_code == 403
    assert client.post(other, {"status": "done"}).status_code == 403
    unit_tasks["other"].refresh_from_db()
    assert unit_tasks["other"].status == TaskStatus.NOT_STARTED
    # The list offers the progress button only where it works.
    response = client.get(reverse("worklists:task_list"))
    assert response.context["progress_ids"] == {unit_tasks["own"].pk}
    assert client.get(reverse("worklists:task_edit", args=[unit_tasks["own"].pk])).status_code == 403


def test_the_district_records_progress_anywhere_and_errors_say_what_to_fix(client, users, unit_tasks):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = reverse("worklists:task_progress", args=[unit_tasks["other"].pk])
    response = client.post(url, {"status": "done", "percent": "70", "note": "基本完成"})
    assert response.status_code == 200 and "100" in response.context["form"].errors["percent"][0]
    assert client.post(url, {"status": "done", "note": "全部完成"}).status_code == 302
    unit_tasks["other"].refresh_from_db()
    assert unit_tasks["other"].percent == 100


def test_auditors_and_providers_cannot_record_progress(client, users, unit_tasks):
    for role in (Role.AUDITOR, Role.PROVIDER_USER, Role.EVALUATOR):
        client.force_login(users[role])
        url = reverse("worklists:task_progress", args=[unit_tasks["own"].pk])
        assert client.post(url, {"status": "done", "note": "x"}).status_code == 403


def test_a_missing_task_answers_404(client, users):
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    assert client.get(reverse("worklists:task_detail", args=[999999])).status_code == 404


def test_the_task_list_filters_by_status_responsible_and_overdue(client, users, unit_tasks):
    district = users[Role.DISTRICT_OFFICIAL]
    services.task_progress_update(actor=district, task=unit_tasks["other"], status="done", note="完成")
    client.force_login(users[Role.AUDITOR])
    url = reverse("worklists:task_list")

    def titles(**params):
        response = client.get(url, params)
        return {t.title for t in response.context["page_obj"]}

    assert titles(status="done") == {"永丰街道诊断推进"}
    assert titles(responsible="岳阳街道") == {"岳阳街道诊断推进"}
    assert titles(responsible="区财政局") == {"开展城市试点工作宣贯培训", "开展试点工作绩效评价"}
    today = timezone.localdate()
    expected_overdue = {t.title for t in WorkTask.objects.all() if t.is_overdue(today)}
    assert titles(overdue="yes") == expected_overdue
    assert titles(overdue="no") == {t.title for t in WorkTask.objects.all()} - expected_overdue
    assert "岳阳街道诊断推进" in titles(overdue="no")


def test_the_task_page_shows_its_history_with_who_changed_it(client, users, unit_tasks):
    staff = users[Role.UNIT_STAFF]
    services.task_progress_update(actor=staff, task=unit_tasks["own"], status="in_progress", percent=25, note="启动")
    client.force_login(users[Role.AUDITOR])
    client.cookies["sjp_language"] = "en"
    response = client.get(reverse("worklists:task_detail", args=[unit_tasks["own"].pk]), HTTP_ACCEPT_LANGUAGE="en")
    history = response.context["history"]
    assert [(e.user, e.created) for e in history] == [(staff, False), (users[Role.DISTRICT_OFFICIAL], True)]
    with translation.override("en"):
        changes = {label: (old, new) for label, old, new in history[0].changes}
    assert changes["completion (%)"] == (0, 25)
    assert changes["progress"] == (str(TaskStatus.NOT_STARTED.label), str(TaskStatus.IN_PROGRESS.label))
    assert changes["progress note"] == ("—", "启动")
    assert "updated by" not in changes
    page = response.content.decode()
    assert staff.username in page and "history-table" in page


def test_the_policy_list_filters_in_force_and_window_open(client, users):
    today = timezone.localdate()
    services.policy_create(
        actor=users[Role.DISTRICT_OFFICIAL],
        title="2026年度数字化改造项目申报通知",
        window_opens=today - datetime.timedelta(days=3),
        window_closes=today + datetime.timedelta(days=3),
    )
    client.force_login(users[Role.UNIT_STAFF])
    url = reverse("worklists:policy_list")
    windows = client.get(url, {"window": "yes"}).context["page_obj"]
    assert [p.title for p in windows] == ["2026年度数字化改造项目申报通知"]
    in_force = {p.title for p in client.get(url, {"in_force": "yes"}).context["page_obj"]}
    assert in_force == {p.title for p in PolicyDocument.objects.all() if p.is_in_force(today)}
    expired = {p.title for p in client.get(url, {"in_force": "no"}).context["page_obj"]}
    assert in_force.isdisjoint(expired) and len(in_force | expired) == PolicyDocument.objects.count()
    assert [p.number for p in client.get(url, {"search": "117号"}).context["page_obj"]] == ["财建〔2023〕117号"]


def test_the_district_adds_a_policy_with_its_file_and_everyone_downloads_it(client, users):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(users[Role.DISTRICT_OFFICIAL])
    data = {
        "title": "松江区数字化转型专项资金管理办法",
        "issuer": "区经委",
        "window_opens": "2026-03-01",
        "window_closes": "2026-02-01",
    }
    response = client.post(reverse("worklists:policy_create"), data)
    assert response.status_code == 200 and "2026-02-01" in response.context["form"].errors["window_closes"][0]
    data["window_closes"] = "2026-03-31"
    data["file"] = SimpleUploadedFile("办法.pdf", b"%PDF-1.4 x", content_type="application/pdf")
    assert client.post(reverse("worklists:policy_create"), data).status_code == 302
    client.force_login(users[Role.PROVIDER_USER])
    response = client.get(reverse("worklists:policy_list"), {"search": "专项资金"})
    policy = response.context["page_obj"][0]
    assert [a.original_name for a in policy.attached] == ["办法.pdf"]
    download = client.get(reverse("core:attachment_download", args=[policy.attached[0].pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"%PDF-1.4 x"


def test_the_menu_offers_the_work_lists_to_every_role(users):
    from core.navigation import nav_for

    wanted = {reverse("worklists:hub"), reverse("worklists:task_list"), reverse("worklists:policy_list")}
    for role in Role:
        urls = {item["url"] for item in nav_for(users[role])}
        assert wanted <= urls, role
    items = nav_for(users[Role.AUDITOR], reverse("worklists:task_list"))
    assert [i["url"] for i in items if i["active"]] == [reverse("worklists:task_list")]


def test_the_lists_take_a_bounded_number_of_queries(client, users, units, django_assert_max_num_queries):
    district = users[Role.DISTRICT_OFFICIAL]
    for n in range(30):
        task = services.task_create(
            actor=district, title=f"街镇任务{n}", target="推进", deadline="2026-06-30", unit=units["310117003"]
        )
        services.task_progress_update(actor=district, task=task, status="in_progress", percent=n, note="推进中")
        services.policy_create(actor=district, title=f"申报通知{n}", number=f"松经委〔2026〕{n}号")
    client.force_login(users[Role.UNIT_STAFF])
    with django_assert_max_num_queries(12):
        assert client.get(reverse("worklists:task_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("worklists:policy_list")).status_code == 200


def test_the_district_marks_a_document_repealed_and_the_list_follows(client, users):
    policy = PolicyDocument.objects.get(number="财办建〔2024〕23号")
    client.force_login(users[Role.DISTRICT_OFFICIAL])
    url = reverse("worklists:policy_edit", args=[policy.pk])
    form = client.get(url).context["form"]
    assert form.initial["issuer"] == "财政部、工信部" and form.initial["repealed"] is False
    data = {name: value for name, value in form.initial.items() if value not in (None, False)}
    data["repealed"] = "on"
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.repealed and policy.title == "关于做好2024年中小企业数字化转型城市试点工作的通知"
    assert policy.history.first().history_user == users[Role.DISTRICT_OFFICIAL]
    in_force = client.get(reverse("worklists:policy_list"), {"in_force": "yes"}).context["page_obj"]
    assert policy.pk not in {p.pk for p in in_force}
    client.force_login(users[Role.AUDITOR])
    assert client.get(url).status_code == 403
