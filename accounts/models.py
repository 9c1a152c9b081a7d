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
    def signature(self):
        """Who acted, as documents name them: the person and their office, never the log-in alone
        (``区经委 王科长（区级管理人员）``, ``张三（上海某服务商）``)."""
        name = self.display_name or self.get_full_name() or self.username
        organisation = self.organisation
        office = str(organisation if organisation is not None else (Role(self.role).label if self.role else ""))
        return f"{name}（{office}）" if office and office not in name else name

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


class ApiTokenQuerySet(models.QuerySet):
    def live(self, now):
        """Tokens that still open the API at ``now``: not revoked, not expired."""
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class ApiToken(models.Model):
    """An API token (docs/api.md "Tokens"): one per client, named, ending on a date.

    Only the SHA-256 of the key is stored; the key itself is shown once, when it is issued. A token ends when it
    expires (``PORTAL_TOKEN_TTL_HOURS`` after it was issued), when its owner logs out with it, revokes it on their
    token page or changes their password, and when the user is deactivated."""

    user = models.ForeignKey(
        "accounts.User", verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("client"), max_length=64)
    key_hash = models.CharField(_("key digest"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("key begins"), max_length=8, editable=False)
    created_at = models.DateTimeField(_("issued at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("ended at"), null=True, blank=True)
    revoked_reason = models.CharField(_("why it ended"), max_length=32, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "revoked_at"], name="accounts_token_user_live")]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"
