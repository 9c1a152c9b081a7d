"""Background work of the trail: seal stragglers hourly, verify and log the head daily."""

import logging

from celery import shared_task
from django.apps import apps

from .selectors import verify_chain
from .services import seal_unsealed

logger = logging.getLogger("trail")


@shared_task(name="trail.tasks.seal_unsealed_task")
def seal_unsealed_task(labels=None):
    """Seal what is outside the chain: the tables ``labels`` (after a bulk write), or every table (hourly)."""
    return seal_unsealed([apps.get_model(label) for label in labels] if labels else None)


@shared_task(name="trail.tasks.verify_and_log_head_task")
def verify_and_log_head_task():
    """Write the head to the log every day, so that a copy outside the database can prove the past."""
    seal_unsealed()
    result = verify_chain()
    logger.info("audit chain head=%s entries=%d ok=%s", result.head, result.entries, result.ok)
    if not result.ok:
        logger.error("audit chain broken: %s", result.first_broken)
    return result.as_dict()
