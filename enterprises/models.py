"""The enterprise file (一企一档): every fact the registry keeps about one pilot enterprise."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.scoping import ScopedQuerySet, enterprise_scope_filter

from .choices import Scale, Sector, Size, Status, Tier, WithdrawalReason


class EnterpriseQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        return enterprise_scope_filter(viewer, role)

    def in_pilot_list(self):
        return self.filter(status=Status.ACTIVE)


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

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
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
            models.CheckConstraint(
                condition=Q(baseline_level__isnull=True) | Q(baseline_level__lte=4),
                name="ent_baseline_level_range",
                violation_error_message=_("Digital levels run from 0 to 4."),
            ),
            models.CheckConstraint(
                condition=Q(current_level__isnull=True) | Q(current_level__lte=4),
                name="ent_current_level_range",
                violation_error_message=_("Digital levels run from 0 to 4."),
            ),
        ]

    def __str__(self):
        return self.name
