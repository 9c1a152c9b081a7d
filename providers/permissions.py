"""Who may do what with providers, products, evaluation bodies, assignments, ratings and scorecards.

Each predicate returns ``(allowed, reason)``. Scope (which records a user sees at all) is the
querysets' business (``visible_to``): these check role, organisation and state.
"""

from django.utils.translation import gettext as _

from core.permissions import OK, may_act_as
from core.roles import DISTRICT_ROLES, GLOBAL_READ_ROLES, Role, role_of


def can_manage_providers(user):
    """The district (officials and admins) keeps the provider and evaluator registries and assigns enterprises."""
    return may_act_as(
        user, *DISTRICT_ROLES, reason=_("Only a district official may change the provider and evaluator registries.")
    )


def can_view_providers(user):
    """Every signed-in role sees the resource pool (a provider user only its own record)."""
    if role_of(user) is not None:
        return OK
    return False, _("Sign in to see the service providers.")


def can_view_evaluation_bodies(user):
    """Evaluation bodies: the roles that read everything, street/town staff and evaluators (their own)."""
    return may_act_as(
        user,
        *GLOBAL_READ_ROLES,
        Role.UNIT_STAFF,
        Role.EVALUATOR,
        reason=_("Service providers do not see the evaluation bodies' records."),
    )


def can_create_product(user, provider):
    """The district adds products for any provider; a provider user for its own provider."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return OK
    if role == Role.PROVIDER_USER:
        if provider is not None and provider.pk == user.provider_id:
            return OK
        return False, _("You may only add products of your own organisation.")
    return False, _("Only the provider itself or the district adds products.")


def can_edit_product(user, product):
    """The district edits any product; a provider user its own products until the district recognises them."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return OK
    if role == Role.PROVIDER_USER and product.provider_id == user.provider_id:
        if product.recognised_on:
            return False, _("A recognised product can only be changed by the district.")
        return OK
    return False, _("You may not change this product.")


def can_recognise_products(user):
    """Selecting a product into the 优秀产品清单 (or withdrawing it) is the district's decision."""
    return may_act_as(user, *DISTRICT_ROLES, reason=_("Only a district official recognises products."))


def can_rate(user, enterprise):
    """Satisfaction ratings are recorded by the staff of the enterprise's street/town, or the district."""
    role = role_of(user)
    if role in DISTRICT_ROLES:
        return OK
    if role == Role.UNIT_STAFF and enterprise.unit_id == user.unit_id:
        return OK
    return False, _("Only the enterprise's street/town or the district records its satisfaction.")


def can_view_ratings(user):
    return may_act_as(
        user, *GLOBAL_READ_ROLES, Role.UNIT_STAFF, Role.PROVIDER_USER, reason=_("You may not see satisfaction ratings.")
    )


def can_view_scorecards(user):
    """Scorecards: the district, finance and auditors see all; a provider user its own provider's."""
    return may_act_as(
        user,
        *GLOBAL_READ_ROLES,
        Role.PROVIDER_USER,
        reason=_("Scorecards are for the district and the providers themselves."),
    )


def can_compare_scorecards(user):
    """The comparison table of all providers: the roles that read everything."""
    return may_act_as(user, *GLOBAL_READ_ROLES, reason=_("Only the district compares the providers' scorecards."))


def can_compute_scorecards(user):
    """Recomputing the cards and setting the weights is the district's."""
    return may_act_as(
        user, *DISTRICT_ROLES, reason=_("Only a district official recomputes scorecards or changes their weights.")
    )


def can_reply(user, scorecard):
    """A provider answers its own card in writing (an admin may act for it)."""
    role = role_of(user)
    if role == Role.ADMIN or (role == Role.PROVIDER_USER and scorecard.provider_id == user.provider_id):
        return OK
    return False, _("Only the provider's own users reply to its scorecard.")
