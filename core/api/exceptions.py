"""One exception handler for the API: domain errors become ``{"code", "message"}`` 4xx answers."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from core.errors import DomainError

#: psycopg2's refusal of a string holding a NUL character (raised before the query is sent).
NUL_REFUSED = "cannot contain NUL (0x00) characters"


def portal_exception_handler(exc, context):
    """Translate domain and Django errors; let DRF render its own (validation maps, 401/403/404)."""
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "message_dict"):
            return Response(exc.message_dict, status=status.HTTP_400_BAD_REQUEST)
        return Response({"code": "invalid", "message": " ".join(exc.messages)}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ValueError) and NUL_REFUSED in str(exc):
        # Text hand-read from the request went to the database with a NUL character, which PostgreSQL refuses
        # (serializer fields reject it themselves); nothing was sent, so nothing is half-done.
        return Response({"code": "invalid", "message": _("Text may not contain NUL characters.")}, status=400)
    if isinstance(exc, (OperationalError, InterfaceError)) or type(exc) is DatabaseError:
        # The connection to the database broke (a restart, a killed backend): the transaction rolled back,
        # nothing was written; the next request reconnects. Say so rather than answer a bare 500.
        return Response(
            {
                "code": "database_unavailable",
                "message": _("The database is briefly unavailable; nothing was saved. Try again in a moment."),
            },
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Not found."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is not None and isinstance(response.data, dict) and "detail" in response.data:
        detail = response.data["detail"]
        response.data = {"code": getattr(detail, "code", "error"), "message": str(detail)}
    return response
