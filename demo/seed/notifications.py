"""The demo's inbox for ``seed_demo``: at least one notification of every kind (docs/api.md "Codes"), so that the
bell, the inbox and the settings page show each. The district official hears of most kinds; a unit's staff of
their unit reports; a provider's user of diagnoses and projects; the finance officer of payments. A kind the
person already has a notification of is left alone, so a second run adds nothing."""

from django.urls import reverse

from notifications.choices import NotificationKind as K
from notifications.models import Notification
from notifications.services import notify_event

#: kind → (the demo account told, the page linked, what the notification is about)
DEMO = {
    K.DIAGNOSIS_SUBMITTED: ("district", "diagnostics:diagnoses:review_queue", "上海示范诊断企业"),
    K.DIAGNOSIS_RETURNED: ("provider1", "diagnostics:diagnoses:list", "上海示范诊断企业"),
    K.DIAGNOSIS_ACCEPTED: ("provider1", "diagnostics:diagnoses:list", "上海示范诊断企业"),
    K.PROJECT_FILED: ("district", "funding:project_list", "示范改造项目"),
    K.PROJECT_APPROVED: ("provider1", "funding:project_list", "示范改造项目"),
    K.ACCEPTANCE_REQUESTED: ("evaluator1", "funding:acceptance_queue", "示范改造项目"),
    K.PROJECT_PASSED: ("district", "funding:project_list", "示范改造项目"),
    K.PROJECT_FAILED: ("provider1", "funding:project_list", "示范改造项目"),
    K.PAYMENT_REQUESTED: ("finance", "funding:payment_queue", "示范拨付"),
    K.PAYMENT_APPROVED: ("finance2", "funding:payment_queue", "示范拨付"),
    K.PAYMENT_PAID: ("district", "funding:ledger", "示范拨付"),
    K.PAYMENT_REJECTED: ("district", "funding:ledger", "示范拨付"),
    K.IMPORT_DONE: ("unit_310117001", "enterprises:import", "名单导入"),
    K.REPORT_DONE: ("district", "reports:snapshot_list", "指标快照"),
    K.ENTERPRISE_PROPOSED: ("district", "enterprises:confirm_queue", "上海示范拟纳入企业"),
    K.ENTERPRISE_WITHDRAWN: ("district", "enterprises:list", "上海示范退出企业"),
    K.CLOSURE: ("finance", "books:closures", "筹备期结账"),
    K.UNIT_REPORT_SUBMITTED: ("district", "unitreports:overview", "岳阳街道 · 定期上报"),
    K.UNIT_REPORT_RETURNED: ("unit_310117001", "unitreports:list", "岳阳街道 · 定期上报"),
    K.UNIT_REPORT_ACCEPTED: ("unit_310117001", "unitreports:list", "岳阳街道 · 定期上报"),
    K.DEADLINE_REMINDER: ("provider1", "diagnostics:diagnoses:list", "诊断截止日期"),
    K.DEADLINE_OVERDUE: ("unit_310117001", "unitreports:overview", "定期上报逾期"),
    K.ESCALATION: ("district", "unitreports:overview", "定期上报逾期升级"),
    K.DIGEST: ("district", "notifications:inbox", "每日摘要"),
}


def seed_notifications(users):
    """``users``: the demo accounts by key. Returns how many notifications were written."""
    written = 0
    for kind in K:
        key, page, subject = DEMO.get(kind, ("district", "notifications:inbox", "示范通知"))
        person = users.get(key) or users["district"]
        if Notification.objects.filter(recipient=person, kind=kind).exists():
            continue
        written += len(notify_event([person], kind, f"{subject}（示例）", link=reverse(page), body="示例通知（demo）"))
    return written
