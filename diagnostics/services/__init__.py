"""Writes of diagnostics: ``index`` (the district's corrections of the index), ``assessments`` (on-site
evaluations and self-assessments) and ``diagnoses`` (the 一企一报告 workflow and the district's deadlines)."""
