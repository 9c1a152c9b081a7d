"""Pages of diagnostics: ``index``, ``assessments`` and ``diagnoses``."""
