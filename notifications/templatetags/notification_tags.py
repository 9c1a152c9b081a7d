"""The top bar's unread count (``{% load notification_tags %}{% unread_notifications user as n %}``), cached per person."""

from django import template

from notifications import selectors

register = template.Library()


@register.simple_tag
def unread_notifications(user):
    return selectors.unread_count(viewer=user)
