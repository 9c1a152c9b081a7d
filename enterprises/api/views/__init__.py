"""The enterprises API: the registry and the roster import."""
