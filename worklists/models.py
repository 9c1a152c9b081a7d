"""The two work lists no other app keeps (docs/domain.md §7): the 任务清单 (tasks of the work plan, who is
responsible, by when, how far they are) and the 政策清单 (the policy documents the programme runs on).

Every signed-in role reads both lists, so their scoping is "everything" for anyone signed in (the
queryset still goes through ``visible_to``, which refuses anonymous and deactivated users, and which
``core.files`` uses before serving a policy document's attached file).
"""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import user_reference
from core.scoping import ScopedQuerySet

from .choices import TaskCategory, TaskStatus


class SignedInQuerySet(ScopedQuerySet):
    """A list every signed-in role reads whole (the district's shared plan, public policy texts)."""

    def scope_filter(self, viewer, role):
        return Q()


class WorkTaskQuerySet(SignedInQuerySet):
    def overdue(self, today=None):
        """Tasks whose deadline has passed and that are not done."""
        today = today or timezone.localdate()
        return self.filter(deadline__lt=today).exclude(status=TaskStatus.DONE)

    def not_overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(deadline__gte=today) | Q(status=TaskStatus.DONE))


class WorkTask(models.Model):
    """A task of the 任务清单: a key task (重点任务) or a phase (推进阶段) of the work plan, or a task the
    district adds later. It says what is to be achieved, which departments answer for it (区经委,
    区数据局, 区财政局, 相关街镇…, as text) and optionally the one unit (街镇/经开区) it is assigned to,
    by when, and how far it has come. "Overdue" is not stored: the deadline has passed and it is not done.
    """

    position = models.PositiveIntegerField(_("order"), default=0)
    category = models.CharField(
        _("category"), max_length=16, choices=TaskCategory.choices, default=TaskCategory.KEY_TASK
    )
    source = models.CharField(_("source in the work plan"), max_length=100, blank=True)
    title = models.CharField(_("task"), max_length=200)
    target = models.TextField(_("what is to be achieved"))
    responsible_departments = models.CharField(_("responsible departments"), max_length=200, blank=True)
    unit = models.ForeignKey(
        "core.OrgUnit",
        verbose_name=_("responsible unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="work_tasks",
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    status = models.CharField(_("progress"), max_length=16, choices=TaskStatus.choices, default=TaskStatus.NOT_STARTED)
    percent = models.PositiveSmallIntegerField(_("completion (%)"), default=0)
    progress_note = models.TextField(_("progress note"), blank=True)
    updated_by = user_reference(_("updated by"), blank=True)
    #: Set by the services when a person changes the record (empty for rows as the plan seeded them).
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = WorkTaskQuerySet.as_manager()

    class Meta:
        verbose_name = _("work task")
        verbose_name_plural = _("work tasks")
        ordering = ["position", "deadline", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(percent__lte=100),
                name="worklists_task_percent_range",
                violation_error_message=_("Completion runs from 0 to 100."),
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True) | Q(starts_on__lte=models.F("deadline")),
                name="worklists_task_starts_before_deadline",
                violation_error_message=_("The deadline cannot come before the start."),
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        from django.urls import reverse

        return reverse("worklists:task_detail", args=[self.pk])

    def is_overdue(self, today=None):
        """The deadline has passed and the task is not done."""
        return self.status != TaskStatus.DONE and self.deadline < (today or timezone.localdate())


class PolicyDocumentQuerySet(SignedInQuerySet):
    def in_force(self, today=None):
        """Not marked repealed, and today inside the period it applies to (an open end counts as open)."""
        today = today or timezone.localdate()
        return self.filter(
            Q(effective_from__isnull=True) | Q(effective_from__lte=today),
            Q(effective_to__isnull=True) | Q(effective_to__gte=today),
            repealed=False,
        )

    def not_in_force(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(repealed=True) | Q(effective_from__gt=today) | Q(effective_to__lt=today))

    def window_open(self, today=None):
        """Application window open today: it has opened, and it has not closed (or has no closing day)."""
        today = today or timezone.localdate()
        return self.filter(window_opens__lte=today).filter(Q(window_closes__isnull=True) | Q(window_closes__gte=today))

    def window_not_open(self, today=None):
        today = today or timezone.localdate()
        return self.filter(Q(window_opens__isnull=True) | Q(window_opens__gt=today) | Q(window_closes__lt=today))


class PolicyDocument(models.Model):
    """A policy document of the 政策清单: its number (文号), title, issuer, date of issue, the support it
    gives, the application window (申报窗口) when it has one, the period it applies to, a link and
    optionally the file itself (a ``core.Attachment`` with purpose ``policy_document``). It is in force
    while today lies in that period and nobody has marked it repealed (废止)."""

    number = models.CharField(_("document number"), max_length=100, blank=True)
    title = models.CharField(_("title"), max_length=300)
    issuer = models.CharField(_("issuer"), max_length=200, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    support = models.TextField(_("support content"), blank=True)
    window_opens = models.DateField(_("application window opens"), null=True, blank=True)
    window_closes = models.DateField(_("application window closes"), null=True, blank=True)
    effective_from = models.DateField(_("in force from"), null=True, blank=True)
    effective_to = models.DateField(_("in force until"), null=True, blank=True)
    repealed = models.BooleanField(_("repealed"), default=False)
    url = models.URLField(_("link"), max_length=500, blank=True)
    note = models.TextField(_("note"), blank=True)
    updated_by = user_reference(_("updated by"), blank=True)
    #: Set by the services when a person changes the record (empty for rows as the plan seeded them).
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)
    history = HistoricalRecords()

    objects = PolicyDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("policy document")
        verbose_name_plural = _("policy documents")
        ordering = [models.F("issued_on").desc(nulls_last=True), "title", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~Q(number=""),
                name="worklists_policy_number_unique",
                violation_error_message=_("Another policy document already has this document number."),
            ),
            models.CheckConstraint(
                condition=Q(window_opens__isnull=True)
                | Q(window_closes__isnull=True)
                | Q(window_closes__gte=models.F("window_opens")),
                name="worklists_policy_window_order",
                violation_error_message=_("The application window cannot close before it opens."),
            ),
            models.CheckConstraint(
                condition=Q(effective_from__isnull=True)
                | Q(effective_to__isnull=True)
                | Q(effective_to__gte=models.F("effective_from")),
                name="worklists_policy_period_order",
                violation_error_message=_("A document cannot stop applying before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.title}（{self.number}）" if self.number else self.title

    def is_in_force(self, today=None):
        today = today or timezone.localdate()
        return (
            not self.repealed
            and (self.effective_from is None or self.effective_from <= today)
            and (self.effective_to is None or self.effective_to >= today)
        )

    def is_window_open(self, today=None):
        today = today or timezone.localdate()
        return (
            self.window_opens is not None
            and self.window_opens <= today
            and (self.window_closes is None or self.window_closes >= today)
        )
