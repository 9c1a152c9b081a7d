"""Sections of the enterprise file (一企一档) and of a unit's page, contributed by the apps to the right
of the registry.

The enterprise's page is the whole file: its facts and status history (this app), and its
diagnoses, assessments, projects and payments (later apps). Those apps register a
``core.registry.Section`` in ``core.registry.enterprise_sections`` (or ``unit_sections``) in their
``AppConfig.ready``; the page renders every section the viewer may see, in order, so this app never
imports them (docs/architecture.md "Layers").

A section's ``context(request, record) -> dict | None`` reads through the app's own scoped
selectors; ``None`` hides the section from this viewer.
"""

from core import registry


def _shown(sections, request, record):
    shown = []
    for key, section in sorted(sections.items(), key=lambda item: (item[1].order, item[0])):
        context = section.context(request, record)
        if context is not None:
            shown.append({"key": key, "template": section.template, "context": context})
    return shown


def sections_for(request, enterprise):
    """``[{"key", "template", "context"}]`` for the enterprise-file sections this viewer sees, in order."""
    return _shown(registry.enterprise_sections, request, enterprise)


def unit_sections_for(request, unit):
    """``[{"key", "template", "context"}]`` for the unit-page sections this viewer sees, in order."""
    return _shown(registry.unit_sections, request, unit)
