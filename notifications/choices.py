"""The codes of the notification centre: what happened, how a person wants to hear of it, an e-mail's state."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    DIAGNOSIS_SUBMITTED = "diagnosis_submitted", _("Diagnosis report submitted")
    DIAGNOSIS_RETURNED = "diagnosis_returned", _("Diagnosis report returned")
    DIAGNOSIS_ACCEPTED = "diagnosis_accepted", _("Diagnosis report accepted")
    PROJECT_FILED = "project_filed", _("Project filed")
    PROJECT_APPROVED = "project_approved", _("Project approved")
    ACCEPTANCE_REQUESTED = "acceptance_requested", _("Acceptance requested")
    PROJECT_PASSED = "project_passed", _("Project passed acceptance")
    PROJECT_FAILED = "project_failed", _("Project failed acceptance")
    PAYMENT_REQUESTED = "payment_requested", _("Payment requested")
    PAYMENT_APPROVED = "payment_approved", _("Payment approved")
    PAYMENT_PAID = "payment_paid", _("Payment paid")
    PAYMENT_REJECTED = "payment_rejected", _("Payment rejected")
    IMPORT_DONE = "import_done", _("Roster import finished")
    REPORT_DONE = "report_done", _("Report snapshot finished")
    ENTERPRISE_PROPOSED = "enterprise_proposed", _("Enterprise proposed")
    ENTERPRISE_WITHDRAWN = "enterprise_withdrawn", _("Enterprise withdrawn")
    CLOSURE = "closure", _("Period closed")
    UNIT_REPORT_SUBMITTED = "unit_report_submitted", _("Unit report submitted")
    UNIT_REPORT_RETURNED = "unit_report_returned", _("Unit report returned")
    UNIT_REPORT_ACCEPTED = "unit_report_accepted", _("Unit report accepted")
    DEADLINE_REMINDER = "deadline_reminder", _("Deadline approaching")
    DEADLINE_OVERDUE = "deadline_overdue", _("Deadline overdue")
    ESCALATION = "escalation", _("Overdue deadline escalated")
    DIGEST = "digest", _("Daily digest")
    EVENT_INVITED = "event_invited", _("Invited to an event")
    EVENT_CHANGED = "event_changed", _("Event changed or cancelled")
    WEEKLY_DIGEST = "weekly_digest", _("Weekly district digest")


class Channel(models.TextChoices):
    PORTAL = "portal", _("Portal only")
    PORTAL_AND_EMAIL = "portal_and_email", _("Portal and e-mail")
    DAILY_DIGEST = "daily_digest", _("Portal and a daily digest e-mail")
    #: Offered for the weekly district digest only: the person does not get it at all.
    OFF = "off", _("Not at all")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class ReminderStage(models.TextChoices):
    BEFORE = "before", _("Before the deadline")
    OVERDUE = "overdue", _("Overdue")
    UNIT = "unit", _("Escalated to the unit")
    DISTRICT = "district", _("Escalated to the district")
