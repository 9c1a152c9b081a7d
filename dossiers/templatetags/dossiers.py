"""``{% load dossiers %}``: whether the viewer may ask for an auditor dossier (the pages' dossier button)."""

from django import template

from core.permissions import allowed

from ..permissions import can_request_dossier

register = template.Library()


@register.filter
def may_request_dossier(user):
    """True when ``user``'s role asks for dossiers (the subject's scope is checked by the request)."""
    return allowed(can_request_dossier(user))
