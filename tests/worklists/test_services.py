"""The services of the work lists: validation with clear messages, progress rules, overdue, history."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone, translation

from core.errors import DomainError, PermissionDenied
from core.models import Attachment
from core.roles import Role
from worklists import services
from worklists.choices import TaskStatus
from worklists.models import PolicyDocument, WorkTask


@pytest.fixture
def district(users):
    return users[Role.DISTRICT_OFFICIAL]


def new_task(actor, **facts):
    values = {
        "title": "岳阳街道完成试点企业摸排",
        "target": "形成辖区试点企业名单",
        "deadline": datetime.date(2026, 6, 30),
        "responsible_departments": "岳阳街道",
    }
    values.update(facts)
    return services.task_create(actor=actor, **values)


def refused(call, **kwargs):
    with translation.override("en"), pytest.raises(DomainError) as caught:
        call(**kwargs)
    return caught.value


def test_a_deadline_in_an_absurd_past_is_refused_with_the_range(district):
    error = refused(new_task, actor=district, deadline=datetime.date(1900, 1, 1))
    assert error.code == "deadline_out_of_range" and error.field == "deadline"
    assert str(error.message) == "A deadline runs from 2024-01-01 to 2030-12-31; 1900-01-01 cannot be meant."


def test_a_task_needs_a_target_and_someone_responsible(district):
    assert refused(new_task, actor=district, target="  ").code == "target_required"
    error = refused(new_task, actor=district, responsible_departments="")
    assert error.field == "responsible_departments"
    assert str(error.message) == "Name the responsible departments or the unit the task is assigned to."
    error = refused(new_task, actor=district, starts_on=datetime.date(2026, 7, 1))
    assert str(error.message) == "The task cannot start after its deadline."
    assert refused(new_task, actor=district, deadline="30/06/2026").code == "invalid_date"


def test_a_new_task_goes_last_and_starts_not_started(district):
    task = new_task(district, unit=None)
    assert task.position == 14 and task.status == TaskStatus.NOT_STARTED and task.percent == 0
    assert task.updated_by == district


def test_only_the_district_creates_tasks(users):
    for role in (Role.UNIT_STAFF, Role.AUDITOR, Role.FINANCE_OFFICER, Role.PROVIDER_USER):
        with translation.override("en"), pytest.raises(PermissionDenied) as caught:
            new_task(users[role])
        assert str(caught.value.message) == "Only a district official keeps the task list."
    assert new_task(users[Role.ADMIN]).pk


def test_progress_rules_say_what_is_wrong(district):
    task = WorkTask.objects.get(source="三、工作任务（四）")
    call = services.task_progress_update
    error = refused(call, actor=district, task=task, status=TaskStatus.DONE, percent=50, note="x")
    assert str(error.message) == "A task that is done is complete: set 100."
    error = refused(call, actor=district, task=task, status=TaskStatus.NOT_STARTED, percent=30)
    assert error.field == "status" and "choose in progress" in str(error.message)
    error = refused(call, actor=district, task=task, status=TaskStatus.IN_PROGRESS, percent=150, note="x")
    assert str(error.message) == "Completion is a whole number from 0 to 100."
    error = refused(call, actor=district, task=task, status=TaskStatus.IN_PROGRESS, percent=100, note="x")
    assert error.code == "in_progress_complete"
    error = refused(call, actor=district, task=task, status=TaskStatus.IN_PROGRESS, percent=40)
    assert str(error.message) == "Say in a few words what has been done."
    assert refused(call, actor=district, task=task, status="finished").code == "invalid_status"


def test_done_means_one_hundred_and_ends_being_overdue(district):
    task = WorkTask.objects.get(source="三、工作任务（四）")
    after = task.deadline + datetime.timedelta(days=1)
    assert task.is_overdue(after) and WorkTask.objects.overdue(after).filter(pk=task.pk).exists()
    services.task_progress_update(
        actor=district, task=task, status=TaskStatus.IN_PROGRESS, percent=60, note="已完成诊断 312 家"
    )
    task = services.task_progress_update(actor=district, task=task, status=TaskStatus.DONE)
    assert (task.percent, task.progress_note) == (100, "已完成诊断 312 家")
    assert not task.is_overdue(after)
    assert not WorkTask.objects.overdue(after).filter(pk=task.pk).exists()
    assert WorkTask.objects.not_overdue(after).filter(pk=task.pk).exists()


def test_a_task_before_its_deadline_is_not_overdue(district):
    task = new_task(district, deadline=timezone.localdate() + datetime.timedelta(days=1))
    assert not task.is_overdue()
    assert not WorkTask.objects.overdue().filter(pk=task.pk).exists()


def test_unit_staff_record_progress_only_on_their_units_tasks(users, units, other_unit_staff, district):
    own = new_task(district, unit=units["310117001"])
    other = new_task(district, unit=units["310117002"])
    staff = users[Role.UNIT_STAFF]
    saved = services.task_progress_update(
        actor=staff, task=own, status=TaskStatus.IN_PROGRESS, percent=30, note="摸排过半"
    )
    assert saved.updated_by == staff
    for task in (other, WorkTask.objects.get(source="三、工作任务（一）")):
        with translation.override("en"), pytest.raises(PermissionDenied) as caught:
            services.task_progress_update(actor=staff, task=task, status=TaskStatus.IN_PROGRESS, percent=10, note="x")
        assert "assigned to their own unit" in str(caught.value.message)
    with pytest.raises(PermissionDenied):
        services.task_progress_update(actor=users[Role.AUDITOR], task=own, status=TaskStatus.DONE, note="x")


def test_every_change_is_in_the_history_with_its_author(users, units, district):
    task = new_task(district, unit=units["310117001"])
    services.task_update(actor=district, task=task, deadline=datetime.date(2026, 8, 31))
    services.task_progress_update(
        actor=users[Role.UNIT_STAFF], task=task, status=TaskStatus.IN_PROGRESS, percent=20, note="已启动"
    )
    versions = list(task.history.order_by("history_date"))
    assert [v.history_user for v in versions] == [district, district, users[Role.UNIT_STAFF]]
    assert [v.deadline for v in versions][-2:] == [datetime.date(2026, 8, 31)] * 2
    assert versions[-1].percent == 20


def new_policy(actor, **facts):
    values = {"title": "松江区中小企业数字化转型专项资金管理办法", "issuer": "区经委、区财政局"}
    values.update(facts)
    return services.policy_create(actor=actor, **values)


def test_a_window_closing_before_it_opens_is_refused(district):
    error = refused(
        new_policy,
        actor=district,
        window_opens=datetime.date(2025, 9, 1),
        window_closes=datetime.date(2025, 8, 1),
    )
    assert error.field == "window_closes"
    assert str(error.message) == "The application window cannot close (2025-08-01) before it opens (2025-09-01)."
    error = refused(new_policy, actor=district, window_closes=datetime.date(2025, 8, 1))
    assert error.code == "window_opens_required"


def test_dates_of_issue_and_numbers_are_checked(district):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    assert str(refused(new_policy, actor=district, issued_on=tomorrow).message) == (
        "A document cannot be issued in the future."
    )
    assert refused(new_policy, actor=district, issued_on=datetime.date(1900, 1, 1)).code == "issued_too_early"
    error = refused(new_policy, actor=district, number="财建〔2023〕117号")
    assert error.field == "number"
    assert str(error.message) == (
        "Document number 财建〔2023〕117号 is already listed: 关于开展中小企业数字化转型城市试点工作的通知."
    )
    assert refused(new_policy, actor=district, title=" ").code == "title_required"
    error = refused(
        new_policy, actor=district, effective_from=datetime.date(2026, 1, 1), effective_to=datetime.date(2025, 1, 1)
    )
    assert error.field == "effective_to"
    assert refused(new_policy, actor=district, url="not a link").field == "url"


def test_in_force_and_window_open_follow_the_dates(district):
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    open_now = new_policy(district, number="松经委〔2026〕1号", window_opens=today - day, window_closes=today + day)
    closed = new_policy(district, title="已截止的申报通知", window_opens=today - 10 * day, window_closes=today - day)
    repealed = new_policy(district, title="已废止的办法", repealed=True)
    assert open_now.is_window_open() and not closed.is_window_open()
    assert set(PolicyDocument.objects.window_open()) == {open_now}
    assert repealed not in PolicyDocument.objects.in_force() and repealed in PolicyDocument.objects.not_in_force()
    plan = PolicyDocument.objects.get(title="松江区中小企业数字化转型城市试点工作方案")
    assert plan.is_in_force(datetime.date(2026, 10, 31)) and not plan.is_in_force(datetime.date(2026, 11, 1))
    assert plan in PolicyDocument.objects.in_force(datetime.date(2025, 6, 1))
    assert plan not in PolicyDocument.objects.in_force(datetime.date(2025, 5, 31))


def test_a_policy_file_is_attached_through_core(district):
    upload = SimpleUploadedFile("管理办法.pdf", b"%PDF-1.4 policy", content_type="application/pdf")
    policy = new_policy(district, file=upload)
    attachment = Attachment.objects.get(object_id=str(policy.pk))
    assert attachment.purpose == "policy_document" and attachment.uploaded_by == district
    bad = SimpleUploadedFile("macro.exe", b"MZ", content_type="application/octet-stream")
    with translation.override("en"), pytest.raises(DomainError) as caught:
        services.policy_update(actor=district, policy=policy, file=bad)
    assert caught.value.field == "file"


def test_only_the_district_keeps_the_policy_list(users):
    for role in (Role.FINANCE_OFFICER, Role.UNIT_STAFF, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            new_policy(users[role])
