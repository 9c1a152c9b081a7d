"""send_reminders against a real SMTP server on loopback: the overdue-deadline mail arrives in Chinese with a
working link; a second run sends nothing; with the server down the mail waits and goes on the next run;
escalation reaches the unit, then the district; withdrawn enterprises are left alone."""

import pytest
from django.core.management import call_command

from diagnostics.models import Deadline
from enterprises.choices import Status as EnterpriseStatus
from notifications.models import EmailOutbox, Notification, ReminderLog, ReminderRule

from .conftest import days_ago

pytestmark = pytest.mark.django_db


def overdue_deadline(town, n=1, kind="diagnosis"):
    return Deadline.objects.create(enterprise=town["enterprise"], kind=kind, due_on=days_ago(n))


def test_an_overdue_diagnosis_deadline_mails_every_user_of_the_assigned_provider_in_chinese(town, smtp, client):
    overdue_deadline(town)
    call_command("send_reminders")
    for address in ("provider@p.invalid", "second@p.invalid"):
        (mail,) = smtp.inbox.to(address)
        assert "逾期" in mail["Subject"] and "上海岳阳提醒公司" in mail["Subject"]
        text = mail.get_body(preferencelist=("plain",)).get_content()
        html = mail.get_body(preferencelist=("html",)).get_content()
        assert "逾期" in text and "上海岳阳提醒公司" in html
        link = f"http://portal.example.invalid:8000/enterprises/{town['enterprise'].pk}/"
        assert link in text and f'href="{link}"' in html
    # The link works: the provider's user opens the enterprise's page.
    client.force_login(town["provider_user"])
    assert client.get(f"/enterprises/{town['enterprise'].pk}/").status_code == 200
    # Only the people responsible; nobody else is told (no escalation after one day).
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {
        "provider_user",
        "provider_second",
    }
    assert EmailOutbox.objects.filter(status="sent").count() == 2


def test_running_again_the_same_day_sends_nothing_twice(town, smtp):
    overdue_deadline(town)
    call_command("send_reminders")
    received, notes = len(smtp.inbox.messages), Notification.objects.count()
    call_command("send_reminders")
    assert len(smtp.inbox.messages) == received == 2
    assert Notification.objects.count() == notes == 2


def test_with_the_mail_server_down_the_notification_is_kept_and_the_mail_goes_on_the_next_run(town, smtp):
    overdue_deadline(town)
    smtp.stop()
    call_command("send_reminders")
    assert Notification.objects.filter(recipient=town["provider_user"], kind="deadline_overdue").count() == 1
    pending = EmailOutbox.objects.get(to="provider@p.invalid")
    assert pending.status == "pending" and pending.attempts == 1 and pending.last_error
    assert pending.next_attempt_at is not None
    smtp.start()
    call_command("send_reminders")
    (mail,) = smtp.inbox.to("provider@p.invalid")
    assert "上海岳阳提醒公司" in mail["Subject"]
    pending.refresh_from_db()
    assert pending.status == "sent" and pending.attempts == 2 and pending.sent_at
    assert Notification.objects.filter(recipient=town["provider_user"]).count() == 1


def test_after_n_overdue_days_the_unit_staff_hear_of_it_and_later_the_district(town, smtp):
    ReminderRule.objects.update_or_create(
        kind="diagnosis", defaults={"remind_days_before": 3, "escalate_after_days": 5, "district_after_days": 10}
    )
    deadline = overdue_deadline(town, n=5)
    call_command("send_reminders")
    (unit_mail,) = smtp.inbox.to("unit@u.invalid")
    assert "上海岳阳提醒公司" in unit_mail["Subject"]
    assert Notification.objects.filter(recipient=town["unit_user"], kind="escalation").count() == 1
    assert not smtp.inbox.to("district@d.invalid")
    # Five days later (ten overdue days): the district too, and nobody hears again of what they were told.
    call_command("send_reminders", today=days_ago(-5))
    assert len(smtp.inbox.to("district@d.invalid")) == 1
    assert Notification.objects.filter(recipient=town["district"], kind="escalation").count() == 1
    assert len(smtp.inbox.to("unit@u.invalid")) == 1 and len(smtp.inbox.to("provider@p.invalid")) == 1
    assert deadline.due_on == days_ago(5)


def test_the_rule_escalates_by_its_defaults_from_the_migration(town, smtp):
    rule = ReminderRule.objects.get(kind="diagnosis")
    overdue_deadline(town, n=rule.escalate_after_days)
    call_command("send_reminders")
    assert len(smtp.inbox.to("unit@u.invalid")) == 1
    assert not smtp.inbox.to("district@d.invalid")


def test_a_deadline_a_few_days_ahead_gets_a_reminder_and_one_far_ahead_none(town, smtp):
    Deadline.objects.create(enterprise=town["enterprise"], kind="diagnosis", due_on=days_ago(-2))
    call_command("send_reminders")
    assert Notification.objects.filter(kind="deadline_reminder", recipient=town["provider_user"]).count() == 1
    Deadline.objects.all().update(due_on=days_ago(-30))
    Notification.objects.all().delete()
    ReminderLog.objects.all().delete()
    call_command("send_reminders")
    assert not Notification.objects.exists()


@pytest.mark.parametrize("status", [EnterpriseStatus.WITHDRAWN, EnterpriseStatus.DECLINED, EnterpriseStatus.PROPOSED])
def test_enterprises_outside_the_pilot_list_get_no_reminders(town, smtp, status):
    overdue_deadline(town, n=30)
    town["enterprise"].status = status
    town["enterprise"].save()
    call_command("send_reminders")
    assert not Notification.objects.exists() and not smtp.inbox.messages


def test_each_kind_of_deadline_reaches_the_people_responsible_for_it(town, smtp):
    overdue_deadline(town, n=3, kind="transformation")
    overdue_deadline(town, n=3, kind="evaluation")  # nobody assigned to evaluate: no one responsible
    call_command("send_reminders")
    assert set(Notification.objects.values_list("kind", flat=True)) == {"deadline_overdue"}
    assert Notification.objects.count() == 2  # the transformation deadline, to the provider's two users


def test_without_email_url_nothing_leaves_the_portal(town, settings):
    settings.PORTAL_EMAIL_ENABLED = False
    overdue_deadline(town)
    call_command("send_reminders")
    assert Notification.objects.count() == 2
    assert not EmailOutbox.objects.exists()


def test_a_diagnosis_deadline_with_an_accepted_report_gets_no_reminder(town, smtp):
    from diagnostics.services.diagnoses import diagnosis_accept, diagnosis_create, diagnosis_submit

    provider_user = town["provider_user"]
    report = diagnosis_create(actor=provider_user, enterprise=town["enterprise"], provider=provider_user.provider)
    diagnosis_submit(actor=provider_user, diagnosis=report)
    diagnosis_accept(actor=town["district"], diagnosis=report)
    overdue_deadline(town, n=20)
    Notification.objects.all().delete()
    call_command("send_reminders")
    assert not Notification.objects.exists()


def test_a_person_who_chose_the_daily_digest_gets_one_mail_a_day_listing_the_news(town, smtp):
    from notifications.models import NotificationPreference

    NotificationPreference.objects.create(user=town["second"], kind="deadline_overdue", channel="daily_digest")
    overdue_deadline(town)
    call_command("send_reminders")
    (digest,) = smtp.inbox.to("second@p.invalid")
    assert "每日汇总" in digest["Subject"]
    assert "上海岳阳提醒公司" in digest.get_body(preferencelist=("plain",)).get_content()
    assert len(smtp.inbox.to("provider@p.invalid")) == 1  # the default: the overdue notice itself
    call_command("send_reminders")
    assert len(smtp.inbox.to("second@p.invalid")) == 1
