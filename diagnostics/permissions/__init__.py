"""Permission predicates of diagnostics, ``(allowed, reason)``: ``index``, ``assessments`` and ``diagnoses``."""
