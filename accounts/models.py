"""Users of the portal: one role each, and the organisation the role acts for."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.roles import Role, role_of


class User(AbstractUser):
    """A person who signs in: a district official, a town clerk, a provider's staff member…

    ``role`` decides what the person may use; ``unit``, ``provider`` and ``evaluation_body``
    say which organisation a unit staff member, provider user or evaluator acts for.
    A Django superuser acts as ``admin``.
    """

    role = models.CharField(_("role"), max_length=32, choices=Role.choices, blank=True)
    display_name = models.CharField(_("name"), max_length=64, blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    unit = models.ForeignKey(
        "core.OrgUnit", verbose_name=_("unit"), null=True, blank=True, on_delete=models.PROTECT, related_name="staff"
    )
    provider = models.ForeignKey(
        "providers.Provider",
        verbose_name=_("service provider"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    evaluation_body = models.ForeignKey(
        "providers.EvaluationBody",
        verbose_name=_("evaluation body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    must_change_password = models.BooleanField(_("must change password at next log-in"), default=False)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(role=Role.UNIT_STAFF) | Q(unit__isnull=False),
                name="accounts_user_unit_staff_has_unit",
                violation_error_message=_("Street/town staff need a unit."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.PROVIDER_USER) | Q(provider__isnull=False),
                name="accounts_user_provider_user_has_provider",
                violation_error_message=_("Provider users need a service provider."),
            ),
            models.CheckConstraint(
                condition=~Q(role=Role.EVALUATOR) | Q(evaluation_body__isnull=False),
                name="accounts_user_evaluator_has_body",
                violation_error_message=_("Evaluators need an evaluation body."),
            ),
        ]

    def __str__(self):
        return self.display_name or self.username

    @property
    def effective_role(self):
        return role_of(self)

    @property
    def organisation(self):
        """The unit, provider or evaluation body the user acts for, if any."""
        return self.unit or self.provider or self.evaluation_body

    @classmethod
    def organisation_model(cls, field):
        """The model behind ``provider`` or ``evaluation_body``.

        Providers sit above accounts in the layers, so the relation is declared by name and the model
        is read from it here rather than imported (docs/architecture.md "Layers")."""
        return cls._meta.get_field(field).related_model
