"""API serializers of diagnostics: ``assessments`` and ``diagnoses`` (with deadlines)."""
