"""The 任务清单 and 政策清单 start from the work plan: its phases and ten key tasks with their
responsible departments and times, and the documents it cites, in simplified Chinese."""

import datetime

from worklists.choices import TaskCategory, TaskStatus
from worklists.models import PolicyDocument, WorkTask
from worklists.reference import work_plan_data

#: Characters of the plan's traditional text whose simplified form differs (none may survive).
TRADITIONAL = set("區業數轉經財據標鏈點務驗評們與為關於會試擬產設備區鎮開發運營導質資層決")


def _texts(row):
    return "".join(str(v) for v in row.values() if isinstance(v, str))


def test_the_plan_gives_three_phases_and_ten_key_tasks(db):
    tasks = WorkTask.objects.all()
    assert tasks.filter(category=TaskCategory.PHASE).count() == 3
    assert tasks.filter(category=TaskCategory.KEY_TASK).count() == 10
    assert list(tasks.order_by("position").values_list("position", flat=True)) == list(range(1, 14))


def test_a_key_task_keeps_its_responsible_departments_and_time(db):
    task = WorkTask.objects.get(source="三、工作任务（九）")
    assert task.title == "开展试点企业评估验收工作"
    assert task.responsible_departments == "区数据局、区经委、相关街镇（经开区）"
    assert task.starts_on == datetime.date(2025, 9, 1)
    assert task.deadline == datetime.date(2026, 9, 30)  # "2025年9月-2026年9月": to the end of September
    assert "数字化水平评测指南（2024年版）" in task.target
    services_task = WorkTask.objects.get(source="三、工作任务（二）")
    assert services_task.responsible_departments == "区经委、区数据局"
    assert services_task.deadline == datetime.date(2026, 3, 31)


def test_nothing_in_the_plan_says_how_far_a_task_has_come(db):
    assert set(WorkTask.objects.values_list("status", "percent", "progress_note").distinct()) == {
        (TaskStatus.NOT_STARTED, 0, "")
    }


def test_the_cited_documents_are_listed_with_what_the_plan_says(db):
    notice = PolicyDocument.objects.get(number="财建〔2023〕117号")
    assert notice.title == "关于开展中小企业数字化转型城市试点工作的通知"
    assert notice.issued_on is None  # the plan does not date it
    assert PolicyDocument.objects.filter(number="财办建〔2024〕23号").exists()
    plan = PolicyDocument.objects.get(title="松江区中小企业数字化转型城市试点工作方案")
    assert plan.issuer == "上海市松江区经济委员会"
    assert (plan.issued_on, plan.effective_from, plan.effective_to) == (
        datetime.date(2025, 5, 29),
        datetime.date(2025, 6, 1),
        datetime.date(2026, 10, 31),
    )
    assert "1亿元" in plan.support and "1.02亿元" in plan.support and "贴息贴费" in plan.support
    assert PolicyDocument.objects.count() == len(work_plan_data()["policies"]) == 9
    # No application window is given anywhere in the plan.
    assert not PolicyDocument.objects.exclude(window_opens=None).exists()


def test_the_seed_is_in_simplified_chinese_with_full_width_punctuation(db):
    data = work_plan_data()
    for row in data["tasks"] + data["policies"]:
        text = _texts(row)
        assert not TRADITIONAL & set(text), (row.get("title"), TRADITIONAL & set(text))
        assert "(" not in text and ":" not in text.replace("http:", "")


def test_loading_again_changes_nothing_people_recorded(db, users):
    from core.roles import Role
    from worklists import services
    from worklists.reference import load_work_plan

    task = WorkTask.objects.get(source="三、工作任务（一）")
    services.task_progress_update(
        actor=users[Role.DISTRICT_OFFICIAL], task=task, status=TaskStatus.DONE, note="试点企业库已形成"
    )
    load_work_plan(WorkTask, PolicyDocument)
    assert WorkTask.objects.count() == 13
    task.refresh_from_db()
    assert (task.status, task.percent) == (TaskStatus.DONE, 100)


def test_each_seeded_row_starts_its_history_from_the_plan(db):
    from worklists.reference import SEED_REASON
    from worklists.selectors import task_history

    task = WorkTask.objects.get(source="三、工作任务（五）")
    assert task.updated_at is None and task.updated_by is None
    history = task_history(task=task)
    assert len(history) == 1 and history[0].created and history[0].reason == SEED_REASON
    assert PolicyDocument.history.filter(history_type="+").count() == PolicyDocument.objects.count()
