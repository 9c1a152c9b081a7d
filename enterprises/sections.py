"""Sections of the enterprise file (一企一档) contributed by the apps to the right of the registry.

The enterprise's page is the whole file: its facts and status history (this app), and its
diagnoses, assessments, projects and payments (later apps). Those apps register a section in
their ``AppConfig.ready``; the page renders every section the viewer may see, in order, so this
app never imports them (HOUSE_STYLE.md: layers depend downward only).

A section is a template and a function ``context(request, enterprise) -> dict | None`` that reads
through the app's own scoped selectors; ``None`` hides the section from this viewer.
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class EnterpriseSection:
    key: str
    template: str
    context: Callable
    order: int = 100


_SECTIONS: dict[str, EnterpriseSection] = {}


def register_enterprise_section(key, *, template, context, order=100):
    """Add (or replace, by ``key``) a section of the enterprise page."""
    _SECTIONS[key] = EnterpriseSection(key, template, context, order)


def sections_for(request, enterprise):
    """``[{"key", "template", "context"}]`` for the sections this viewer sees, in order."""
    shown = []
    for section in sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, enterprise)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown


# --- Sections of a unit's page (same pattern) ---------------------------------------------------------

_UNIT_SECTIONS: dict[str, EnterpriseSection] = {}


def register_unit_section(key, *, template, context, order=100):
    """Add (or replace, by ``key``) a section of a unit's page; ``context(request, unit) -> dict | None``."""
    _UNIT_SECTIONS[key] = EnterpriseSection(key, template, context, order)


def unit_sections_for(request, unit):
    """``[{"key", "template", "context"}]`` for the unit-page sections this viewer sees, in order."""
    shown = []
    for section in sorted(_UNIT_SECTIONS.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request, unit)
        if context is not None:
            shown.append({"key": section.key, "template": section.template, "context": context})
    return shown
