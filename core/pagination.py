"""Pagination of long, wide lists (the HTML pages; the API's class is in ``core/api/pagination.py``)."""

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import QuerySet


class KeysFirstPaginator(Paginator):
    """A :class:`~django.core.paginator.Paginator` that picks a page's rows by their primary keys alone.

    Django's paginator slices the queryset itself: ``LIMIT 50 OFFSET n``, and the database builds
    every one of the ``n`` skipped rows (their joins and their annotations' subqueries) only to
    throw them away, so page 1,425 of a list costs 1,425 pages of work. Here the page is one query
    of the same shape, ``… WHERE pk IN (SELECT pk … ORDER BY … LIMIT 50 OFFSET n) ORDER BY …``:
    the subquery walks the plain ordered keys (an index-only scan when an index serves the order)
    and only the page's rows are joined and annotated. Same rows, same order, same query count
    as Django's paginator.

    The queryset's order must be total (end it with the primary key) for pages to be stable, as
    with Django's paginator. Anything but a queryset is sliced as usual.
    """

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(page_rows(self.object_list, bottom, top), number, self)


def page_rows(object_list, bottom, top):
    """``object_list[bottom:top]``; for a queryset, chosen by keys first (see KeysFirstPaginator)."""
    if not isinstance(object_list, QuerySet) or object_list.query.distinct or object_list.query.combinator:
        return object_list[bottom:top]
    if not connections[object_list.db].features.allow_sliced_subqueries_with_in:
        return object_list[bottom:top]
    return object_list.filter(pk__in=object_list.values("pk")[bottom:top])
