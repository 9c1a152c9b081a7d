from django.db import models
from django.utils.translation import gettext_lazy as _


class Stage(models.TextChoices):
    MIDTERM = "midterm", _("Mid-term self-evaluation")
    FINAL = "final", _("Final performance self-evaluation")


class Section(models.TextChoices):
    """The narrative sections officials write; the figures between them are assembled by the portal."""

    OVERVIEW = "overview", _("Overview of the pilot")
    WORK = "work", _("Work done")
    FUNDS = "funds", _("Use of funds")
    RESULTS = "results", _("Results")
    PROBLEMS = "problems", _("Problems")
    NEXT_STEPS = "next_steps", _("Next steps")
