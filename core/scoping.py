"""Scoping, written once (docs/style.md habit 2).

Every list, detail, API, export and import reads records through
``Model.objects.visible_to(viewer)``. The rule:

* anonymous and deactivated users see nothing;
* admins, district officials, finance officers and auditors see everything;
* unit staff see the enterprises of their unit and the records that belong to them;
* provider users and evaluators see the enterprises linked to their organisation:
  assigned to it by the district, or named in its diagnoses, projects and assessments.

Which records link an enterprise to a provider or an evaluation body is registered by the
app that owns them (``core.registry.enterprise_links`` in its ``AppConfig.ready``), so this
module never imports apps to its right.

A model opts in by using a queryset class derived from :class:`ScopedQuerySet` and
implementing :meth:`ScopedQuerySet.scope_filter`; records that belong to one enterprise use
:class:`EnterpriseScopedQuerySet` and name the path to it.
"""

from django.apps import apps
from django.db import models
from django.db.models import Q

from . import registry
from .roles import GLOBAL_READ_ROLES, Role, role_of


def enterprise_links(role):
    """``[(model label, EnterpriseLink)]`` registered for ``role``."""
    return [(label, link) for label, link in registry.enterprise_links.items() if link.role == role]


def organisation_id_of(user, role):
    """The id of the organisation a provider user or evaluator acts for (``None`` if unset)."""
    if role == Role.PROVIDER_USER:
        return user.provider_id
    if role == Role.EVALUATOR:
        return user.evaluation_body_id
    return None


def visible_enterprise_ids(viewer):
    """A subquery of the ids of enterprises ``viewer`` may see, for ``pk__in`` filters.

    Returns ``None`` when the viewer sees every enterprise.
    """
    role = role_of(viewer)
    Enterprise = apps.get_model("enterprises", "Enterprise")
    if role is None:
        return Enterprise.objects.none().values("pk")
    if role in GLOBAL_READ_ROLES:
        return None
    return Enterprise.objects.filter(enterprise_scope_filter(viewer, role)).values("pk")


def enterprise_scope_filter(viewer, role):
    """The Q that narrows the Enterprise table for a non-global role."""
    if role == Role.UNIT_STAFF:
        return Q(unit_id=viewer.unit_id) if viewer.unit_id else Q(pk__in=[])
    org_id = organisation_id_of(viewer, role)
    if org_id is None:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    for label, link in enterprise_links(role):
        linked = apps.get_model(label)._default_manager.filter(**{f"{link.organisation_field}_id": org_id})
        condition |= Q(pk__in=linked.values(link.enterprise_field))
    return condition


class ScopedQuerySet(models.QuerySet):
    """A queryset that can narrow itself to what one user may see."""

    def visible_to(self, viewer):
        role = role_of(viewer)
        if role is None:
            return self.none()
        if role in GLOBAL_READ_ROLES:
            return self
        return self.filter(self.scope_filter(viewer, role))

    def scope_filter(self, viewer, role):  # pragma: no cover - every subclass defines it
        """The Q narrowing this table for a unit staff member, provider user or evaluator."""
        raise TypeError(f"{type(self).__name__} must define scope_filter()")


class EnterpriseScopedQuerySet(ScopedQuerySet):
    """Records that belong to one enterprise: visible exactly when that enterprise is.

    ``enterprise_path`` is the lookup path from the record to its enterprise
    (``"enterprise"``, or ``"project__enterprise"``).
    """

    enterprise_path = "enterprise"

    def scope_filter(self, viewer, role):
        return Q(**{f"{self.enterprise_path}__in": visible_enterprise_ids(viewer)})
