"""The one domain error type every service raises (docs/style.md habit 1)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied


class DomainError(Exception):
    """A business rule refused an action.

    ``code`` is stable (clients branch on it); ``message`` is translatable text for people;
    ``field`` names the input at fault, when there is one; ``status`` is the HTTP status the
    API answers with (400 for bad input, 403 for a refused role, 404 for an unseen record,
    409 for a state conflict).
    """

    def __init__(self, code, message, *, field=None, status=400):
        super().__init__(str(message))
        self.code = code
        self.message = message
        self.field = field
        self.status = status

    def as_dict(self):
        data = {"code": self.code, "message": str(self.message)}
        if self.field:
            data["field"] = self.field
        return data


class PermissionDenied(DomainError, DjangoPermissionDenied):
    """The actor's role or scope does not allow the action.

    It is also Django's ``PermissionDenied``, so a page that lets it through answers 403 with the
    predicate's reason, and the API answers 403 ``{code, message}`` (``core.api.exceptions``)."""

    def __init__(self, message, *, code="permission_denied", field=None):
        super().__init__(code, message, field=field, status=403)


class Conflict(DomainError):
    """The record's current state does not allow the transition."""

    def __init__(self, code, message, *, field=None):
        super().__init__(code, message, field=field, status=409)
