"""Refuses: history is never pruned (see :mod:`trail.pruning`)."""

from trail.pruning import RefusePruning as Command

__all__ = ["Command"]
