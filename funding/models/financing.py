"""The financing list (金融清单): banks' loan products, and interest subsidies granted on such loans."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import enterprise_reference

from .common import EnterpriseMoneyQuerySet, money


class FinancialProduct(models.Model):
    """A financial product of the 金融清单: a bank's loan product for transformation."""

    bank = models.CharField(_("bank"), max_length=200)
    name = models.CharField(_("product"), max_length=200)
    rate = models.DecimalField(_("annual rate (%)"), max_digits=6, decimal_places=3, null=True, blank=True)
    limit = money(_("limit (yuan)"), null=True, blank=True)
    term_months = models.PositiveSmallIntegerField(_("term (months)"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    is_active = models.BooleanField(_("offered"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("financial product")
        verbose_name_plural = _("financial products")
        ordering = ["bank", "name"]

    def __str__(self):
        return f"{self.bank} · {self.name}"


class InterestSubsidy(models.Model):
    """An interest or fee subsidy (贴息贴费) granted to an enterprise for a transformation loan."""

    enterprise = enterprise_reference("interest_subsidies")
    financial_product = models.ForeignKey(
        FinancialProduct,
        verbose_name=_("financial product"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="subsidies",
    )
    loan_amount = money(_("loan (yuan)"))
    loan_on = models.DateField(_("loan date"))
    amount = money(_("subsidy (yuan)"))
    granted_on = models.DateField(_("granted on"))
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    objects = EnterpriseMoneyQuerySet.as_manager()

    class Meta:
        verbose_name = _("interest subsidy")
        verbose_name_plural = _("interest subsidies")
        ordering = ["-granted_on"]

    def __str__(self):
        return f"{self.enterprise} · {self.amount}"
