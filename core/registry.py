"""The portal's registries, in one module, with one way to register.

A lower layer that needs to know about parts of a higher one (the enterprise file shows the
diagnoses, projects and payments of later apps; the requeue task covers report snapshots; a
picker searches providers) names a registry here; the higher app registers its part in its
``AppConfig.ready`` with ``<registry>.register(key, value)``. Nothing in a lower layer imports a
higher one (docs/architecture.md "Registries").

Registries (key → entry):

- ``enterprise_links``: model label → :class:`EnterpriseLink` — rows that make an enterprise visible
  to a provider's users or an evaluation body's evaluators (``core.scoping``);
- ``enterprise_sections`` / ``unit_sections``: key → :class:`Section` — the parts of the enterprise
  file (一企一档) and of a unit's page that later apps contribute (``enterprises.sections``);
- ``leased_models``: model label → :class:`LeasedModel` — rows that are their own job and whose
  lost work the requeue task re-sends (``core.jobs.requeue_lost_work``);
- ``scorecard_metrics``: code → ``providers.scorecard.ScorecardMetric`` — the provider scorecard's
  metrics, each registered by the app that owns its records;
- ``pickers``: kind → :class:`Picker` — the records a type-ahead picker offers to a viewer
  (``core.views.pick``; ``core.forms.RecordField``);
- ``reminder_sources``: key → ``source(today)`` yielding ``notifications.reminders.ReminderItem`` — the open
  deadlines that the daily reminder pass reads (``manage.py send_reminders``);
- ``unit_measures``: key → ``measure(year) -> dict[unit code, UnitMeasure]`` — the parts of the street/town
  assessment (街镇考核) that the apps owning the records compute (``unitassessments``): ``year`` is the
  reporting period of that code (2025 or 2026, docs/domain.md §6), a unit missing from the answer is not
  measured for that part;
- ``offline_pages``: key → ``pages(user) -> list[str]`` — the form pages of a higher app that an evaluator's
  tablet keeps for use without a connection (the acceptance forms of ``funding``); the service worker's
  manifest (``diagnostics.views.offline``) adds them to the evaluation forms.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any


class Registry:
    """Named entries registered once at start-up; read in registration order or by key."""

    def __init__(self, name):
        self.name = name
        self._entries: dict[str, Any] = {}

    def register(self, key, value):
        """Add ``value`` under ``key`` (registering under a key again replaces its entry); returns it."""
        self._entries[key] = value
        return value

    def remove(self, key):
        """Take the entry under ``key`` out (tests that register a stand-in put the real one back)."""
        return self._entries.pop(key, None)

    def get(self, key):
        return self._entries.get(key)

    def __contains__(self, key):
        return key in self._entries

    def items(self):
        return list(self._entries.items())

    def values(self):
        return list(self._entries.values())


@dataclass(frozen=True)
class EnterpriseLink:
    """Rows of a model that tie an enterprise to an organisation: users of ``role`` whose provider or
    evaluation body is the row's ``organisation_field`` see the row's enterprise."""

    role: str
    organisation_field: str
    enterprise_field: str = "enterprise"


@dataclass(frozen=True)
class Section:
    """A part of a page composed from later apps: ``context(request, record) -> dict | None``
    (``None`` hides it from this viewer), rendered with ``template``, in ``order``."""

    template: str
    context: Any
    order: int = 100


@dataclass(frozen=True)
class LeasedModel:
    """A model whose rows are their own job (status, lease): ``task_name(str(pk))`` runs one;
    ``created_field`` dates a row for the stale-pending rule."""

    task_name: str
    created_field: str


@dataclass(frozen=True)
class Picker:
    """What a picker of ``kind`` offers: ``queryset(viewer)`` returns the rows the viewer may pick
    (already scoped), each with a ``name`` and a ``credit_code``."""

    queryset: Any


@dataclass(frozen=True)
class UnitMeasure:
    """One unit's score on one part of the street/town assessment, as the app owning the records measured it:
    ``score`` a Decimal from 0 to 100, ``explanation`` the translatable text saying how it was computed,
    ``link`` the page listing the records behind it (or None), ``measured_at`` when it was computed."""

    score: Decimal
    explanation: Any
    link: str | None = None
    measured_at: datetime.datetime | None = None

    def __post_init__(self):
        if not isinstance(self.score, Decimal) or not self.score.is_finite() or not 0 <= self.score <= 100:
            raise ValueError(f"a unit measure's score is a Decimal from 0 to 100, not {self.score!r}")


enterprise_links = Registry("enterprise_links")
enterprise_sections = Registry("enterprise_sections")
unit_sections = Registry("unit_sections")
leased_models = Registry("leased_models")
reminder_sources = Registry("reminder_sources")
scorecard_metrics = Registry("scorecard_metrics")
pickers = Registry("pickers")
unit_measures = Registry("unit_measures")
offline_pages = Registry("offline_pages")
