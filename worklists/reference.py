"""The work plan's tasks and the policy documents it cites (``worklists/data/work_plan.json``).

The data was taken from the district's work plan (in traditional characters, stored here in simplified
Chinese): the three phases of 二、推进计划 and the ten key tasks of 三、工作任务 with their responsible
departments and times, a time "2024年10月-2025年10月" read as 2024-10-01 … 2025-10-31; and the documents
the plan cites, with only what the plan (and docs/domain.md §5 for the index's number) says about them.
Nothing in the plan gives a task's progress or a document's application window: those start empty.
"""

import datetime
import json
from pathlib import Path

from django.utils import timezone

WORK_PLAN_FILE = Path(__file__).resolve().parent / "data" / "work_plan.json"
DATE_FIELDS = ("starts_on", "deadline", "issued_on", "effective_from", "effective_to")


def _dates(row):
    return {k: datetime.date.fromisoformat(v) if k in DATE_FIELDS and v else v for k, v in row.items()}


def work_plan_data(path=WORK_PLAN_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


#: The reason written on the first version of every seeded row (the audit history shows it).
SEED_REASON = "依据松江区中小企业数字化转型城市试点工作方案（2025年5月29日）录入"


def _first_version(Historical, record):
    """The "created" version of a seeded row, so its history starts where the plan put it."""
    if Historical is None:
        return
    values = {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}
    Historical.objects.create(
        **values, history_date=timezone.now(), history_type="+", history_change_reason=SEED_REASON
    )


def load_work_plan(
    WorkTask, PolicyDocument, HistoricalWorkTask=None, HistoricalPolicyDocument=None, path=WORK_PLAN_FILE
):
    """Create the plan's tasks (keyed by their source in the plan) and documents (keyed by title) that
    are missing, each with its first version in the history. Idempotent, and never overwrites what
    people have recorded since."""
    data = work_plan_data(path)
    for row in data["tasks"]:
        if not WorkTask.objects.filter(source=row["source"]).exists():
            _first_version(HistoricalWorkTask, WorkTask.objects.create(**_dates(row)))
    for row in data["policies"]:
        if not PolicyDocument.objects.filter(title=row["title"]).exists():
            _first_version(HistoricalPolicyDocument, PolicyDocument.objects.create(**_dates(row)))


def unload_work_plan(WorkTask, PolicyDocument, path=WORK_PLAN_FILE):
    data = work_plan_data(path)
    WorkTask.objects.filter(source__in=[row["source"] for row in data["tasks"]]).delete()
    PolicyDocument.objects.filter(title__in=[row["title"] for row in data["policies"]]).delete()
