"""The codes of events (docs/api.md "Events"): what kind of event, and where it stands."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class EventKind(models.TextChoices):
    TRAINING = "training", _("Training session")
    OUTREACH = "outreach", _("Outreach event")
    MATCHMAKING = "matchmaking", _("Supply-demand matchmaking")
    SITE_VISIT = "site_visit", _("Site visit to a benchmark enterprise")
    OTHER = "other", _("Other event")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class AttendanceSource(models.TextChoices):
    MANUAL = "manual", _("Recorded by hand")
    SIGN_IN_SHEET = "sign_in_sheet", _("Sign-in sheet")
