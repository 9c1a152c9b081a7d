from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    """The notification centre: each person's inbox, the e-mail outbox, preferences and the deadline
    reminders; layer 1, importing only core and accounts (the apps above call ``services.notify``)."""

    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from simple_history.signals import post_create_historical_record

        from . import closures, services, tasks  # noqa: F401  (tasks: registered by name in every process)

        user_logged_in.connect(services.remember_unread_count_at_login, dispatch_uid="notifications.unread_count")
        post_create_historical_record.connect(closures.note_closure_history, dispatch_uid="notifications.closures")
