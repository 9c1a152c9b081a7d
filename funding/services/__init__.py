"""Writes of the funding app, by area: projects (and acceptance), recognitions, evidence, the ledger
(budgets, commitments, disbursements, reversals) and financing."""
