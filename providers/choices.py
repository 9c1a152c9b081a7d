from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderType(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("Comprehensive provider (diagnosis + integrated solutions)")
    SPECIALISED = "specialised", _("Specialised provider")
