from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    """Training sessions, outreach, matchmaking events and site visits (培训、宣传、对接会、现场观摩): who was
    invited, who came, the sign-in sheets, the reminders and the outreach figures."""

    name = "events"
    verbose_name = _("Events")

    def ready(self):
        # Start-up registrations (docs/architecture.md "Registries").
        from core import registry

        from . import reminders, sections

        registry.reminder_sources.register("events.day_before", reminders.events_tomorrow)
        registry.reminder_sources.register("events.sign_in", reminders.sign_in_sheets_due)
        registry.enterprise_sections.register(
            "events", registry.Section("events/enterprise_section.html", sections.enterprise_section, order=60)
        )
        registry.unit_sections.register(
            "events", registry.Section("events/unit_section.html", sections.unit_section, order=60)
        )
