"""The enterprise file (一企一档): every fact the registry keeps about one pilot enterprise."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import digital_level_check, spreadsheet_stored_name, user_reference
from core.roles import Role, role_of
from core.scoping import EnterpriseScopedQuerySet, ScopedQuerySet, enterprise_scope_filter
from core.tabular.batches import UploadBatch

from .choices import PROGRAMME_STATUSES, Scale, Sector, Size, Status, Tier, WithdrawalReason
from .names import normalised_name


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        return enterprise_scope_filter(viewer, role)

    def in_pilot_list(self):
        return self.filter(status=Status.ACTIVE)

    def in_programme(self):
        """Enterprises the programme still works with (proposed or in the pilot list): the one rule every
        to-do list, queue, deadline and reminder reads. Declined, withdrawn and merged ones leave them."""
        return self.filter(in_programme_q())


def in_programme_q(path=""):
    """``Q`` for "the enterprise at ``path`` is in the programme" (``path`` as ``"enterprise"`` on a related
    record), the same rule as :meth:`EnterpriseQuerySet.in_programme` for querysets of other models."""
    prefix = f"{path}__" if path else ""
    return models.Q(**{f"{prefix}status__in": PROGRAMME_STATUSES})


def under_deadlines_q(path=""):
    """``Q`` for "the enterprise at ``path`` is bound by its deadlines": in the pilot list (confirmed). Deadlines
    are set for confirmed enterprises; overdue marks, the evaluator's due list and the reminders read this,
    so a proposed, declined, withdrawn or merged enterprise is never overdue and never reminded."""
    prefix = f"{path}__" if path else ""
    return models.Q(**{f"{prefix}status": Status.ACTIVE})


class EnterpriseStatusChangeQuerySet(EnterpriseScopedQuerySet):
    enterprise_path = "enterprise"


class Enterprise(models.Model):
    """A small or medium manufacturer proposed for, or taking part in, the pilot.

    The credit code is the natural key (normalised, checked; a district official may accept
    a code failing only its check character, recording why in ``credit_code_override_reason``).
    Statistics (employees, revenue) are kept as entered, revenue in 万元.
    """

    credit_code = models.CharField(_("credit code"), max_length=18, unique=True)
    credit_code_override_reason = models.CharField(
        _("reason for accepting a failing check character"), max_length=255, blank=True
    )
    name = models.CharField(_("enterprise name"), max_length=200, db_index=True)
    name_key = models.CharField(
        _("normalised name"), max_length=200, db_index=True, blank=True, default="", editable=False
    )
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="enterprises"
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices)
    scale = models.CharField(_("statistical scale"), max_length=8, choices=Scale.choices)
    size = models.CharField(_("enterprise size"), max_length=8, choices=Size.choices)
    tier = models.CharField(_("quality-SME tier"), max_length=16, choices=Tier.choices, default=Tier.NONE)
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PROPOSED, db_index=True
    )
    pilot_year = models.PositiveSmallIntegerField(_("pilot year"), null=True, blank=True)
    pilot_batch = models.CharField(_("pilot batch"), max_length=32, blank=True)

    registered_address = models.CharField(_("registered address"), max_length=255, blank=True)
    production_address = models.CharField(_("production address"), max_length=255, blank=True)
    founded_on = models.DateField(_("founding date"), null=True, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=64, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    main_products = models.CharField(_("main products"), max_length=500, blank=True)

    stats_year = models.PositiveSmallIntegerField(_("statistics year"), null=True, blank=True)
    employees = models.PositiveIntegerField(_("employees"), null=True, blank=True)
    employees_previous = models.PositiveIntegerField(_("employees, previous year"), null=True, blank=True)
    revenue = models.DecimalField(_("revenue (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True)
    revenue_previous = models.DecimalField(
        _("revenue, previous year (10k yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    cloud_verified_on = models.DateField(_("cloud adoption verified on"), null=True, blank=True)
    cloud_services = models.CharField(_("cloud services used"), max_length=500, blank=True)

    baseline_level = models.PositiveSmallIntegerField(_("baseline digital level"), null=True, blank=True)
    current_level = models.PositiveSmallIntegerField(_("current digital level"), null=True, blank=True)

    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawal_reason = models.CharField(
        _("withdrawal reason"), max_length=16, choices=WithdrawalReason.choices, blank=True
    )
    replacement = models.ForeignKey(
        "self", verbose_name=_("replaced by"), null=True, blank=True, on_delete=models.SET_NULL, related_name="replaces"
    )

    created_by = user_reference(_("created by"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    objects = EnterpriseQuerySet.as_manager()

    class Meta:
        verbose_name = _("enterprise")
        verbose_name_plural = _("enterprises")
        ordering = ["unit__code", "name"]
        indexes = [models.Index(fields=["unit", "status"], name="ent_unit_status")]
        constraints = [
            digital_level_check("baseline_level", name="ent_baseline_level_range"),
            digital_level_check("current_level", name="ent_current_level_range"),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # The normalised name follows the name on every save (bulk writers set it themselves).
        self.name_key = normalised_name(self.name)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_key"}
        super().save(*args, **kwargs)

    @property
    def in_programme(self):
        return self.status in PROGRAMME_STATUSES


class EnterpriseStatusChange(models.Model):
    """One step of an enterprise's life in the pilot list: proposed, confirmed, declined, withdrawn,
    reinstated, moved to another unit, code accepted… with the day it happened, why, and who.

    Written by the services in the same transaction as the change itself (dynamic management, §四(三)).
    """

    class Kind(models.TextChoices):
        CREATED = "created", _("Registered")
        CONFIRMED = "confirmed", _("Confirmed into the pilot list")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn from the pilot list")
        REINSTATED = "reinstated", _("Reinstated")
        MOVED = "moved", _("Moved to another unit")
        CODE_ACCEPTED = "code_accepted", _("Credit code accepted despite its check character")
        REPLACEMENT = "replacement", _("Named as a replacement")
        MERGED = "merged", _("Merged into another enterprise's file")
        ABSORBED = "absorbed", _("Took over a duplicate's file")

    enterprise = models.ForeignKey(
        Enterprise, verbose_name=_("enterprise"), on_delete=models.CASCADE, related_name="status_changes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    from_status = models.CharField(_("from status"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("to status"), max_length=16, choices=Status.choices, blank=True)
    happened_on = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=16, choices=WithdrawalReason.choices, blank=True)
    note = models.CharField(_("note"), max_length=500, blank=True)
    replacement = models.ForeignKey(
        Enterprise, verbose_name=_("replacement"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    from_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("from unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    to_unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("to unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    batch = models.ForeignKey(
        "enterprises.ImportBatch",
        verbose_name=_("import batch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor = user_reference(_("by"), blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    objects = EnterpriseStatusChangeQuerySet.as_manager()

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["-happened_on", "-recorded_at"]

    def __str__(self):
        return f"{self.enterprise_id} {self.kind} {self.happened_on}"


class UnitQuota(models.Model):
    """How many pilot enterprises a unit must keep in the list (the total must not fall, §四(三)).

    Set by the district; the unit's page compares its active count with it and warns when short.
    """

    unit = models.OneToOneField(
        "core.OrgUnit", verbose_name=_("unit"), on_delete=models.CASCADE, related_name="pilot_quota"
    )
    required = models.PositiveIntegerField(_("pilot enterprises to keep"))
    note = models.CharField(_("note"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("unit quota")
        verbose_name_plural = _("unit quotas")
        ordering = ["unit__code"]

    def __str__(self):
        return f"{self.unit}: {self.required}"


def roster_upload_to(instance, filename):
    """Uploaded rosters are kept (for the error file and background processing) under random names."""
    return spreadsheet_stored_name("rosters", filename)


class ImportBatchQuerySet(models.QuerySet):
    def visible_to(self, viewer):
        """The uploader sees their batches; the district (officials, admins) and auditors see all."""
        role = role_of(viewer)
        if role is None:
            return self.none()
        if role in (Role.ADMIN, Role.DISTRICT_OFFICIAL, Role.AUDITOR):
            return self
        return self.filter(uploaded_by=viewer)


class ImportBatch(UploadBatch):
    """One roster upload: who, when, which file, what it held, and what was written.

    A preview and a commit are both batches (``committed`` tells which). Rows written by a
    committed batch name it in their history (``history_change_reason = "import:<id>"``).
    """

    file = models.FileField(_("file"), upload_to=roster_upload_to, max_length=255)
    #: A preview whose rows are staged (:class:`ImportRow`): its commit writes them, without reading the file.
    staged = models.BooleanField(_("rows staged"), default=False)
    #: The staged preview a committing batch writes.
    preview = models.ForeignKey(
        "self", verbose_name=_("preview"), null=True, blank=True, on_delete=models.SET_NULL, related_name="commits"
    )

    objects = ImportBatchQuerySet.as_manager()

    class Meta:
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        ordering = ["-uploaded_at"]


class ImportRow(models.Model):
    """One row of a staged roster preview: what the preview found it to be and, for a create or an update,
    what the commit writes. ``values`` are the row's checked facts as JSON (the unit by its id, amounts as
    decimal text); ``changes`` the facts an update changes, ``{field: [old, new]}``; ``seen_at`` the
    enterprise's ``updated_at`` at the preview (a commit stops if it moved)."""

    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="staged_rows")
    row = models.PositiveIntegerField(_("row"))
    action = models.CharField(_("action"), max_length=16)
    credit_code = models.CharField(_("credit code"), max_length=32, blank=True)
    values = models.JSONField(_("values"), default=dict, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    seen_at = models.DateTimeField(_("updated at, when previewed"), null=True, blank=True)

    class Meta:
        verbose_name = _("staged import row")
        verbose_name_plural = _("staged import rows")
        ordering = ["batch", "row"]
        constraints = [models.UniqueConstraint(fields=["batch", "row"], name="import_row_once_per_batch")]
        indexes = [models.Index(fields=["batch", "action", "row"], name="import_row_by_action")]

    def __str__(self):
        return f"{self.batch_id}:{self.row} {self.action}"
