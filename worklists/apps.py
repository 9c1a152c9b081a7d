from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorklistsConfig(AppConfig):
    """The six work lists of the plan (六张工作清单): the 任务清单 and 政策清单 kept here, and one page that
    gathers them with the four lists the other apps keep. Sits beside ``reports``: reads every app's
    selectors, and no app reads it."""

    name = "worklists"
    verbose_name = _("Work lists")
