"""The funding pages by area: projects (and acceptance), recognitions, the ledger, financing."""
