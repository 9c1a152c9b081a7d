"""Auditor dossiers read: the list a viewer may see and one dossier (``Dossier.objects.visible_to``: the requester's
own, and every dossier for the global readers)."""

import uuid

from django.utils.translation import gettext as _

from core.errors import Conflict

from .models import Dossier


def dossier_list(*, viewer, mine=False):
    """The dossiers ``viewer`` may see, newest first; ``mine`` keeps the viewer's own."""
    dossiers = Dossier.objects.visible_to(viewer).select_related("requested_by", "unit", "period")
    if mine:
        dossiers = dossiers.filter(requested_by=viewer)
    return dossiers.order_by("-created_at")


def dossier_get(*, viewer, pk):
    """One dossier ``viewer`` may see; ``Dossier.DoesNotExist`` otherwise (also for an id that is not a UUID)."""
    try:
        pk = uuid.UUID(str(pk))
    except ValueError:
        raise Dossier.DoesNotExist from None
    return dossier_list(viewer=viewer).get(pk=pk)


def dossier_zip(dossier):
    """The stored zip of a finished dossier; a 409 while it is pending, running or failed."""
    if dossier.status != Dossier.Status.DONE or not dossier.file:
        raise Conflict("not_ready", _("The dossier is not built yet (status: {status}).").format(status=dossier.status))
    return dossier.file
