"""Reads of providers, evaluation bodies and assignments, scoped by the viewer."""

from .models import EvaluationBody, EvaluatorAssignment, Provider, ProviderAssignment


def provider_list(*, viewer):
    return Provider.objects.visible_to(viewer)


def evaluation_body_list(*, viewer):
    return EvaluationBody.objects.visible_to(viewer)


def provider_assignments(*, viewer, provider):
    """The enterprises assigned to ``provider`` that the viewer may see, with their unit."""
    return (
        ProviderAssignment.objects.visible_to(viewer)
        .filter(provider=provider)
        .select_related("enterprise__unit")
        .order_by("enterprise__name")
    )


def evaluator_assignments(*, viewer, evaluation_body):
    return (
        EvaluatorAssignment.objects.visible_to(viewer)
        .filter(evaluation_body=evaluation_body)
        .select_related("enterprise__unit")
        .order_by("enterprise__name")
    )
