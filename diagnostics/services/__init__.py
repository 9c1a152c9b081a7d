"""Writes of the diagnostics app: ``assessments`` (on-site evaluations and self-assessments) and
``diagnoses`` (the 一企一报告 workflow and the district's deadlines)."""
