"""Query parameters read one way: a value out of range is the client's mistake (400), never a 500.

A list page or an API list reads its ``?page=``, ``?ordering=`` and id filters through
:class:`QueryForm`; a value that is not a number, is out of range (ids are at most 2^63 - 1, the
largest the database holds) or is not one of the orderings offered raises :class:`QueryError`,
which is Django's ``BadRequest`` (the page answers 400) and a ``DomainError`` (the API answers
400 ``{code, message, field}``).
"""

import django_filters
from django import forms
from django.core.exceptions import BadRequest
from django.utils.translation import gettext_lazy as _

from .errors import DomainError

MAX_ID = 2**63 - 1
MAX_PAGE = 1_000_000


class QueryError(DomainError, BadRequest):
    """A query parameter the portal cannot read."""

    def __init__(self, message, *, field=None):
        super().__init__("invalid_query", message, field=field, status=400)


class IdParam(forms.IntegerField):
    """A record id in a query string: a whole number from 1 to 2^63 - 1."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class PageParam(forms.IntegerField):
    """A page number: 1 when absent, at most one million."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(min_value=1, max_value=MAX_PAGE, **kwargs)

    def clean(self, value):
        return super().clean(value) or 1


class OrderingParam(forms.ChoiceField):
    """One of the orderings a list offers (``name``, ``-name`` …); the first is the default."""

    def __init__(self, orderings, **kwargs):
        kwargs.setdefault("required", False)
        self.default = orderings[0]
        super().__init__(choices=[(o, o) for o in orderings], **kwargs)

    def clean(self, value):
        return super().clean(value) or self.default


class QueryForm(forms.Form):
    """A form over ``request.GET`` whose ``read()`` returns the cleaned values or raises ``QueryError``."""

    page = PageParam(label=_("Page"))

    @classmethod
    def read(cls, query):
        form = cls(query)
        if not form.is_valid():
            field, messages = next(iter(form.errors.items()))
            raise QueryError(
                _("The query parameter “{name}” is not valid: {reason}").format(name=field, reason=" ".join(messages)),
                field=field,
            )
        return form.cleaned_data


class IdFilter(django_filters.NumberFilter):
    """A filter on a record id (``?enterprise=``): a whole number from 1 to 2^63 - 1, else the filter form is
    invalid (400 in the API, the message on the page), never an overflow in the database driver."""

    field_class = IdParam
