"""The funding API: its records (projects, acceptances, recognitions, the ledger, financing) and the history back-fill."""
