"""Recognitions the programme counts (数字化车间, 智能工厂, 示范场景, 典型场景, 链式模式, 公共服务平台)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.models import CreatedRecord, enterprise_reference
from core.scoping import ScopedQuerySet, visible_enterprise_ids

from ..choices import RecognitionKind, RecognitionLevel


class RecognitionQuerySet(ScopedQuerySet):
    def scope_filter(self, viewer, role):
        return Q(enterprise__in=visible_enterprise_ids(viewer)) | Q(enterprise__isnull=True)


class Recognition(CreatedRecord):
    """A recognition the programme counts: workshop, smart factory, demo or typical scenario, chain
    model (a chain leader, its member enterprises and the platform used), or the public platform."""

    kind = models.CharField(_("kind"), max_length=24, choices=RecognitionKind.choices)
    level = models.CharField(_("level"), max_length=16, choices=RecognitionLevel.choices)
    recognised_on = models.DateField(_("recognised on"))
    title = models.CharField(_("title"), max_length=255)
    issuer = models.CharField(_("recognised by"), max_length=200, blank=True)
    enterprise = enterprise_reference("recognitions", null=True, blank=True)
    #: Chain models: the member enterprises around the chain leader (``enterprise``).
    members = models.ManyToManyField(
        "enterprises.Enterprise", verbose_name=_("member enterprises"), blank=True, related_name="chain_memberships"
    )
    platform_name = models.CharField(_("industrial internet platform"), max_length=200, blank=True)
    gongfu_lianzhu = models.BooleanField(_("Shanghai 工赋链主"), default=False)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords(m2m_fields=[members])

    objects = RecognitionQuerySet.as_manager()

    class Meta:
        verbose_name = _("recognition")
        verbose_name_plural = _("recognitions")
        ordering = ["-recognised_on", "-pk"]

    def __str__(self):
        return self.title
