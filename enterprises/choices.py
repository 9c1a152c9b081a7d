"""Codes of docs/api.md ("Codes") with their Chinese labels (via the zh-hans catalogue)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    HIGH_END_EQUIPMENT = "high_end_equipment", _("High-end equipment")
    AUTO_PARTS = "auto_parts", _("Auto parts")
    ELECTRONICS = "electronics", _("Electronic components and equipment")
    OTHER = "other", _("Other")


class Scale(models.TextChoices):
    ABOVE = "above", _("Above designated size")
    BELOW = "below", _("Below designated size")


class Size(models.TextChoices):
    LARGE = "large", _("Large")
    MEDIUM = "medium", _("Medium")
    SMALL = "small", _("Small")
    MICRO = "micro", _("Micro")


class Tier(models.TextChoices):
    NONE = "none", _("None")
    INNOVATIVE = "innovative", _("Innovative SME")
    SRDI = "srdi", _("Specialised, refined, distinctive and innovative SME")
    LITTLE_GIANT = "little_giant", _("SRDI 'little giant'")


class Status(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("In the pilot list")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    MERGED = "merged", _("Merged into another file")


#: The statuses of an enterprise the programme still works with (queues, deadlines, reminders).
PROGRAMME_STATUSES = (Status.PROPOSED, Status.ACTIVE)


class WithdrawalReason(models.TextChoices):
    MOVED_OUT = "moved_out", _("Moved out of the district")
    CEASED = "ceased", _("Ceased operating")
    DEMOLISHED = "demolished", _("Demolished")
    ACCIDENT = "accident", _("Major accident")
    OVERDUE = "overdue", _("Missed its deadlines")
    OTHER = "other", _("Other")
