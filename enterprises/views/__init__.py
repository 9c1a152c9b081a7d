"""The enterprises app's pages: the registry (list, file, decisions, units) and the roster import."""
