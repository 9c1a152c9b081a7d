"""The demo programme, one module per app's records, run in order by ``seed_demo``: enterprises (with
the providers and evaluation bodies), providers, assessments, diagnoses, funding, events."""
