"""Reads of the notification centre. Each person reads only their own inbox, whatever their role."""

from django.core.cache import cache

from .choices import Channel, NotificationKind
from .filters import NotificationFilter
from .models import Notification, NotificationPreference
from .services import UNREAD_COUNT_SECONDS, unread_cache_key


def notification_list(*, viewer, filters=None):
    """The viewer's notifications, newest first, narrowed by ``filters`` (``read``, ``kind``)."""
    queryset = Notification.objects.of(viewer).order_by("-created_at", "-pk")
    if filters:
        queryset = NotificationFilter(filters, queryset=queryset).qs
    return queryset


def notification_get(*, viewer, pk):
    """One of the viewer's own notifications; another person's is not found (404)."""
    return Notification.objects.of(viewer).get(pk=pk)


def unread_count(*, viewer):
    """How many of the viewer's notifications are unread, for the top bar: kept in the cache (set at log-in
    and by every write that changes it), so that pages cost no query for it; counted only when the cache
    has lost it."""
    if viewer is None or not getattr(viewer, "is_authenticated", False):
        return 0
    key = unread_cache_key(viewer.pk)
    count = cache.get(key)
    if count is None:
        count = Notification.objects.of(viewer).unread().count()
        cache.set(key, count, UNREAD_COUNT_SECONDS)
    return count


def preferences_of(*, viewer):
    """``[(kind, label, channel)]`` for every kind: the viewer's choice, or the default (e-mail when the
    viewer has an address)."""
    chosen = dict(NotificationPreference.objects.filter(user=viewer).values_list("kind", "channel"))
    default = Channel.PORTAL_AND_EMAIL if viewer.email else Channel.PORTAL
    return [
        (kind, label, chosen.get(kind, default))
        for kind, label in NotificationKind.choices
        if kind != NotificationKind.DIGEST  # the digest is itself an e-mail
    ]
