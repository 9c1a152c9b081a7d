"""Codes of the work lists (stable: the API and the exports use them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskCategory(models.TextChoices):
    KEY_TASK = "key_task", _("Key task")
    PHASE = "phase", _("Phase of the plan")


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
