"""The portal's registries, in one module, with one way to register.

A lower layer that needs to know about parts of a higher one (the enterprise file shows the
diagnoses, projects and payments of later apps; the requeue task covers report snapshots; a
picker searches providers) names a registry here; the higher app registers its part in its
``AppConfig.ready`` with ``<registry>.register(key, value)``. Nothing in a lower layer imports a
higher one (docs/architecture.md "Registries").

Registries:

- ``pickers``: ``kind → Picker`` — the records a type-ahead picker offers to a viewer
  (``core.views.pick``; ``core.forms.RecordField``).
"""

from dataclasses import dataclass
from typing import Any


class Registry:
    """Named entries registered once at start-up; read in registration order or by key."""

    def __init__(self, name):
        self.name = name
        self._entries: dict[str, Any] = {}

    def register(self, key, value):
        """Add ``value`` under ``key``; registering the same value again is harmless, another is refused."""
        existing = self._entries.get(key)
        if existing is not None and existing != value:
            raise ValueError(f"{self.name}: {key!r} is registered already")
        self._entries[key] = value
        return value

    def get(self, key):
        return self._entries.get(key)

    def __contains__(self, key):
        return key in self._entries

    def items(self):
        return list(self._entries.items())

    def values(self):
        return list(self._entries.values())


@dataclass(frozen=True)
class Picker:
    """What a picker of ``kind`` offers: ``queryset(viewer)`` returns the rows the viewer may pick
    (already scoped), each with a ``name`` and a ``credit_code``."""

    queryset: Any


pickers = Registry("pickers")
