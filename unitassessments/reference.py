"""The scoring template's starting rows (one per part, with its default weight), loaded by migration."""

from .choices import DEFAULT_WEIGHTS


def load_parts(AssessmentPart):
    """Create the parts that are missing, in the order of :data:`DEFAULT_WEIGHTS` (existing weights are kept)."""
    for order, (key, weight) in enumerate(DEFAULT_WEIGHTS.items(), start=1):
        AssessmentPart.objects.get_or_create(key=str(key), defaults={"weight": weight, "order": order})
