"""Reads of diagnostics, scoped by the viewer: ``index``, ``assessments`` and ``diagnoses``."""
