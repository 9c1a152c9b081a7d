"""Forms of diagnostics: ``index``, ``assessments``, ``diagnoses``, and the ``questionnaire`` both areas fill in."""
