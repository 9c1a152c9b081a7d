"""Writes of the funding app: ``ledger`` (budgets, commitments, disbursements, reversals); the
projects, acceptance and recognitions services join it with the projects-and-funding issue."""
