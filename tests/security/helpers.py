"""Helpers of the security tests."""

from django.urls import URLPattern, URLResolver


def walk_routes(resolver, prefix="", namespace=""):
    """Every route under ``resolver``: (its whole pattern, its namespaced name or "")."""
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk_routes(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield prefix + str(entry.pattern), name
