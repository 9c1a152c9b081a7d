"""API views of diagnostics: ``assessments`` (with the score endpoint) and ``diagnoses`` (with deadlines)."""
