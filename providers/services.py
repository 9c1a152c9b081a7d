"""Writes on providers, products, evaluation bodies, the district's assignments, satisfaction ratings
and the performance scorecard.

Every function takes the acting user (``actor``) explicitly, checks the permission predicate, validates
with ``full_clean`` and raises :class:`core.errors.DomainError` (or a subclass) with a stable code; the
history of every changed row names the actor (django-simple-history), and dated decisions (pool status,
key-provider designation) are also written as :class:`~providers.models.ProviderEvent` rows in the same
transaction.
"""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from books import services as books
from core import credit_code as cc
from core import jobs
from core.errors import Conflict, DomainError
from core.history import save_with_history, set_history
from core.permissions import require
from core.services import not_in_future
from enterprises.choices import Sector

from . import permissions
from .choices import SCENE_LABELS, PoolStatus, PriceModel, ProviderEventKind, ProviderType
from .models import (
    EvaluationBody,
    EvaluatorAssignment,
    Product,
    Provider,
    ProviderAssignment,
    ProviderEvent,
    ProviderRating,
    ProviderScorecard,
    ScorecardWeights,
)
from .scorecard import DEFAULT_WEIGHTS, normalise_period, period_bounds, score_card, scorecard_metrics
from .selectors import current_weights

#: Facts of a provider an edit may change (the code is checked; status and designation are recorded events).
PROVIDER_FIELDS = (
    "name",
    "type",
    "sectors",
    "scenes",
    "qualifications",
    "address",
    "contact_name",
    "contact_phone",
)
EVALUATION_BODY_FIELDS = ("name", "contact_name", "contact_phone")
PRODUCT_FIELDS = ("name", "description", "scenes", "price_model", "price_note", "deployments")


def _check(actor):
    require(permissions.can_manage_providers(actor))


def _today():
    return timezone.localdate()


def _checked_code(raw, model, *, exclude_pk=None):
    code = cc.normalise(raw)
    problem = cc.problem(code)
    if problem:
        raise DomainError("invalid_credit_code", problem[1], field="credit_code")
    if model.objects.filter(credit_code=code).exclude(pk=exclude_pk).exists():
        raise DomainError(
            "duplicate_credit_code",
            _("A record with this credit code already exists."),
            field="credit_code",
            status=409,
        )
    return code


def _codes(values, allowed, field, message):
    """A list of codes without repeats, in the order given; an unknown code is refused, naming it."""
    if values is None:
        return []
    if isinstance(values, str):
        values = values.replace("，", ",").split(",")
    result = []
    for value in values:
        code = str(value).strip()
        if not code:
            continue
        if code not in allowed:
            raise DomainError("unknown_code", message.format(code=code), field=field)
        if code not in result:
            result.append(code)
    return result


def clean_sectors(values):
    return _codes(values, set(Sector.values), "sectors", _("“{code}” is not a sector code."))


def clean_scenes(values):
    return _codes(values, set(SCENE_LABELS), "scenes", _("“{code}” is not a scene code of the index."))


def _choice(value, choices, field):
    if value not in choices.values:
        raise DomainError("invalid_choice", _("“{value}” is not a valid choice.").format(value=value), field=field)
    return value


def _event(provider, *, actor, kind, happened_on, from_value="", to_value="", note=""):
    return ProviderEvent.objects.create(
        provider=provider,
        kind=kind,
        from_value=from_value or "",
        to_value=to_value or "",
        happened_on=happened_on,
        note=(note or "")[:500],
        actor=actor,
    )


# --- Providers -------------------------------------------------------------------------------------


@transaction.atomic
def provider_create(
    *,
    actor,
    credit_code,
    name,
    type,
    contact_name="",
    contact_phone="",
    key_provider_since=None,
    pool_status=PoolStatus.IN_POOL,
    pool_status_since=None,
    sectors=None,
    scenes=None,
    qualifications="",
    address="",
):
    """Add a service provider to the district's resource pool (in the pool at once unless told otherwise)."""
    _check(actor)
    not_in_future(key_provider_since, "key_provider_since")
    not_in_future(pool_status_since, "pool_status_since")
    books.guard(key_provider_since, actor=actor)
    provider = Provider(
        credit_code=_checked_code(credit_code, Provider),
        name=(name or "").strip(),
        type=_choice(type, ProviderType, "type"),
        contact_name=contact_name or "",
        contact_phone=contact_phone or "",
        key_provider_since=key_provider_since,
        pool_status=_choice(pool_status or PoolStatus.IN_POOL, PoolStatus, "pool_status"),
        pool_status_since=pool_status_since or _today(),
        sectors=clean_sectors(sectors),
        scenes=clean_scenes(scenes),
        qualifications=qualifications or "",
        address=address or "",
    )
    save_with_history(provider, actor=actor)
    _event(
        provider,
        actor=actor,
        kind=ProviderEventKind.POOL_STATUS,
        happened_on=provider.pool_status_since,
        to_value=provider.pool_status,
    )
    if key_provider_since:
        _event(provider, actor=actor, kind=ProviderEventKind.KEY_DESIGNATED, happened_on=key_provider_since)
    return provider


@transaction.atomic
def provider_update(*, actor, provider, note="", **changes):
    """Change a provider's facts. ``key_provider_since`` designates (or, with None, revokes) a 重点服务商
    on that date; ``pool_status`` (with ``pool_status_since``, default today) moves it in the resource
    pool. Both decisions are also recorded as dated events."""
    _check(actor)
    allowed = {*PROVIDER_FIELDS, "credit_code", "key_provider_since", "pool_status", "pool_status_since"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    provider = Provider.objects.select_for_update().get(pk=provider.pk)
    if "credit_code" in changes:
        changes["credit_code"] = _checked_code(changes["credit_code"], Provider, exclude_pk=provider.pk)
    if "type" in changes:
        _choice(changes["type"], ProviderType, "type")
    if "sectors" in changes:
        changes["sectors"] = clean_sectors(changes["sectors"])
    if "scenes" in changes:
        changes["scenes"] = clean_scenes(changes["scenes"])
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    for field in ("contact_name", "contact_phone", "qualifications", "address"):
        if field in changes and changes[field] is None:
            changes[field] = ""
    not_in_future(changes.get("key_provider_since"), "key_provider_since")
    not_in_future(changes.get("pool_status_since"), "pool_status_since")

    old_key = provider.key_provider_since
    old_pool = provider.pool_status
    if "key_provider_since" in changes and changes["key_provider_since"] != old_key:
        books.guard(old_key, changes["key_provider_since"], record=provider, actor=actor)
    if "pool_status" in changes:
        _choice(changes["pool_status"], PoolStatus, "pool_status")
        if changes["pool_status"] != old_pool and not changes.get("pool_status_since"):
            changes["pool_status_since"] = _today()
    for field, value in changes.items():
        setattr(provider, field, value)
    save_with_history(provider, actor=actor, reason=note)

    if "key_provider_since" in changes and changes["key_provider_since"] != old_key:
        if changes["key_provider_since"]:
            _event(
                provider,
                actor=actor,
                kind=ProviderEventKind.KEY_DESIGNATED,
                happened_on=changes["key_provider_since"],
                from_value=old_key.isoformat() if old_key else "",
                to_value=changes["key_provider_since"].isoformat(),
                note=note,
            )
        else:
            _event(
                provider,
                actor=actor,
                kind=ProviderEventKind.KEY_REVOKED,
                happened_on=_today(),
                from_value=old_key.isoformat() if old_key else "",
                note=note,
            )
    if "pool_status" in changes and changes["pool_status"] != old_pool:
        _event(
            provider,
            actor=actor,
            kind=ProviderEventKind.POOL_STATUS,
            happened_on=provider.pool_status_since,
            from_value=old_pool,
            to_value=provider.pool_status,
            note=note,
        )
    return provider


def provider_set_pool_status(*, actor, provider, status, date=None, note=""):
    """Move a provider in the resource pool (admitted, suspended, removed) on ``date`` (default today)."""
    if status == provider.pool_status:
        raise Conflict("same_pool_status", _("The provider already has this status."), field="pool_status")
    return provider_update(
        actor=actor, provider=provider, pool_status=status, pool_status_since=date or _today(), note=note
    )


def provider_designate_key(*, actor, provider, date=None, note=""):
    """Designate a 重点服务商 on ``date`` (default today)."""
    return provider_update(actor=actor, provider=provider, key_provider_since=date or _today(), note=note)


def provider_revoke_key(*, actor, provider, note=""):
    """Withdraw the key-provider designation (the event is dated today)."""
    if not provider.key_provider_since:
        raise Conflict("not_key_provider", _("This provider is not a key provider."), field="key_provider_since")
    return provider_update(actor=actor, provider=provider, key_provider_since=None, note=note)


# --- Evaluation bodies -----------------------------------------------------------------------------


@transaction.atomic
def evaluation_body_create(*, actor, credit_code, name, contact_name="", contact_phone=""):
    """Register a third-party evaluation body (第三方机构)."""
    _check(actor)
    body = EvaluationBody(
        credit_code=_checked_code(credit_code, EvaluationBody),
        name=(name or "").strip(),
        contact_name=contact_name or "",
        contact_phone=contact_phone or "",
    )
    return save_with_history(body, actor=actor)


@transaction.atomic
def evaluation_body_update(*, actor, evaluation_body, **changes):
    """Change an evaluation body's name, code or contact."""
    _check(actor)
    unknown = set(changes) - {*EVALUATION_BODY_FIELDS, "credit_code"}
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    if "credit_code" in changes:
        changes["credit_code"] = _checked_code(changes["credit_code"], EvaluationBody, exclude_pk=evaluation_body.pk)
    for field, value in changes.items():
        setattr(evaluation_body, field, (value or "").strip() if isinstance(value, str) or value is None else value)
    return save_with_history(evaluation_body, actor=actor)


# --- Assignments -----------------------------------------------------------------------------------


def _assignable_provider(provider):
    provider.refresh_from_db(fields=["pool_status"])  # the caller's copy may predate a status change
    if provider.pool_status != PoolStatus.IN_POOL:
        raise Conflict(
            "provider_not_in_pool",
            _("{name} is not in the resource pool ({status}): it cannot be assigned enterprises.").format(
                name=provider.name, status=provider.get_pool_status_display()
            ),
            field="provider",
        )


@transaction.atomic
def provider_assign(*, actor, enterprise, provider, assigned_on=None):
    """Assign an enterprise to a provider, which from then on sees and serves it. Idempotent.

    Only a provider in the resource pool takes new enterprises."""
    _check(actor)
    assigned_on = assigned_on or _today()
    not_in_future(assigned_on, "assigned_on")
    existing = ProviderAssignment.objects.filter(enterprise=enterprise, provider=provider).first()
    if existing:
        return existing
    _assignable_provider(provider)
    return save_with_history(
        ProviderAssignment(enterprise=enterprise, provider=provider, assigned_on=assigned_on, assigned_by=actor),
        actor=actor,
    )


@transaction.atomic
def provider_assign_many(*, actor, enterprises, provider, assigned_on=None):
    """Assign several enterprises to one provider at once; returns the number newly assigned."""
    _check(actor)
    not_in_future(assigned_on, "assigned_on")
    _assignable_provider(provider)
    already = set(
        ProviderAssignment.objects.filter(provider=provider, enterprise__in=enterprises).values_list(
            "enterprise_id", flat=True
        )
    )
    count = 0
    for enterprise in enterprises:
        if enterprise.pk not in already:
            provider_assign(actor=actor, enterprise=enterprise, provider=provider, assigned_on=assigned_on)
            count += 1
    return count


@transaction.atomic
def provider_unassign(*, actor, assignment, date=None, reason=""):
    """End an assignment: the provider no longer sees the enterprise (unless its own diagnoses name it).

    The row is deleted; its history keeps who ended it, when and why (``history_change_reason``)."""
    _check(actor)
    date = not_in_future(date, "date") or _today()
    set_history(
        assignment, actor=actor, reason=_("ended {date}: {reason}").format(date=date.isoformat(), reason=reason)
    )
    assignment.delete()


@transaction.atomic
def evaluator_assign(*, actor, enterprise, evaluation_body, assigned_on: datetime.date | None = None):
    """Assign an enterprise to an evaluation body for on-site evaluation and acceptance. Idempotent."""
    _check(actor)
    assigned_on = assigned_on or _today()
    not_in_future(assigned_on, "assigned_on")
    existing = EvaluatorAssignment.objects.filter(enterprise=enterprise, evaluation_body=evaluation_body).first()
    if existing:
        return existing
    return save_with_history(
        EvaluatorAssignment(
            enterprise=enterprise, evaluation_body=evaluation_body, assigned_on=assigned_on, assigned_by=actor
        ),
        actor=actor,
    )


@transaction.atomic
def evaluator_assign_many(*, actor, enterprises, evaluation_body, assigned_on=None):
    """Assign several enterprises to one evaluation body; returns the number newly assigned."""
    _check(actor)
    not_in_future(assigned_on, "assigned_on")
    count = 0
    for enterprise in enterprises:
        if not EvaluatorAssignment.objects.filter(enterprise=enterprise, evaluation_body=evaluation_body).exists():
            evaluator_assign(
                actor=actor, enterprise=enterprise, evaluation_body=evaluation_body, assigned_on=assigned_on
            )
            count += 1
    return count


@transaction.atomic
def evaluator_unassign(*, actor, assignment, date=None, reason=""):
    """End an evaluation body's assignment (deleted; the history keeps who, when and why)."""
    _check(actor)
    date = not_in_future(date, "date") or _today()
    set_history(
        assignment, actor=actor, reason=_("ended {date}: {reason}").format(date=date.isoformat(), reason=reason)
    )
    assignment.delete()


# --- Products --------------------------------------------------------------------------------------


def _product_facts(changes):
    if "scenes" in changes:
        changes["scenes"] = clean_scenes(changes["scenes"])
    if changes.get("price_model"):
        _choice(changes["price_model"], PriceModel, "price_model")
    for field in ("description", "price_note", "price_model"):
        if field in changes and changes[field] is None:
            changes[field] = ""
    if "deployments" in changes:
        value = changes["deployments"]
        if value is None:
            changes["deployments"] = 0
        elif not isinstance(value, int) or value < 0:
            raise DomainError("invalid", _("Deployments is a whole number of 0 or more."), field="deployments")
    if "name" in changes:
        changes["name"] = (changes["name"] or "").strip()
    return changes


def _unique_product_name(provider, name, exclude_pk=None):
    if Product.objects.filter(provider=provider, name=name).exclude(pk=exclude_pk).exists():
        raise DomainError(
            "duplicate_product",
            _("This provider already has a product of this name."),
            field="name",
            status=409,
        )


@transaction.atomic
def product_create(*, actor, provider, name, recognised_on=None, **facts):
    """Add a 小快轻准 product or solution to a provider's catalogue. A provider user adds its own (never
    recognised: ``recognised_on`` is the district's); the district may enter it recognised at once."""
    require(permissions.can_create_product(actor, provider))
    unknown = set(facts) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    if recognised_on:
        require(permissions.can_recognise_products(actor))
        not_in_future(recognised_on, "recognised_on")
    facts = _product_facts({"name": name, **facts})
    _unique_product_name(provider, facts["name"])
    product = Product(provider=provider, recognised_on=recognised_on, **facts)
    return save_with_history(product, actor=actor)


@transaction.atomic
def product_update(*, actor, product, **changes):
    """Change a product's facts. ``recognised_on`` is the district's decision (see :func:`product_recognise`)."""
    require(permissions.can_edit_product(actor, product))
    if "recognised_on" in changes:
        recognised_on = changes.pop("recognised_on")
        if recognised_on != product.recognised_on:
            require(permissions.can_recognise_products(actor))
            not_in_future(recognised_on, "recognised_on")
            product.recognised_on = recognised_on
    unknown = set(changes) - set(PRODUCT_FIELDS)
    if unknown:
        raise DomainError("unknown_field", _("Unknown field: {field}").format(field=", ".join(sorted(unknown))))
    changes = _product_facts(changes)
    if "name" in changes:
        _unique_product_name(product.provider, changes["name"], exclude_pk=product.pk)
    for field, value in changes.items():
        setattr(product, field, value)
    return save_with_history(product, actor=actor)


@transaction.atomic
def product_recognise(*, actor, product, date=None):
    """The district selects the product into the 优秀产品清单 on ``date`` (default today)."""
    require(permissions.can_recognise_products(actor))
    date = not_in_future(date, "recognised_on") or _today()
    product.recognised_on = date
    return save_with_history(product, actor=actor, reason=_("recognised"))


@transaction.atomic
def product_withdraw_recognition(*, actor, product, reason=""):
    """The district takes the product off the 优秀产品清单 (the history keeps when it was recognised)."""
    require(permissions.can_recognise_products(actor))
    if not product.recognised_on:
        raise Conflict("not_recognised", _("This product is not recognised."), field="recognised_on")
    product.recognised_on = None
    return save_with_history(product, actor=actor, reason=reason or _("recognition withdrawn"))


# --- Satisfaction ratings --------------------------------------------------------------------------


@transaction.atomic
def rating_create(*, actor, enterprise, provider, score, rated_on=None, comment=""):
    """Record an enterprise's satisfaction (1–5) with a provider assigned to it, as its street/town
    staff (or the district) heard it on ``rated_on`` (default today)."""
    require(permissions.can_rate(actor, enterprise))
    rated_on = not_in_future(rated_on, "rated_on") or _today()
    if not ProviderAssignment.objects.filter(enterprise=enterprise, provider=provider).exists():
        raise DomainError(
            "provider_not_assigned",
            _("This provider is not assigned to the enterprise: only its assigned providers are rated."),
            field="provider",
        )
    if not isinstance(score, int) or not 1 <= score <= 5:
        raise DomainError("invalid_score", _("A satisfaction rating runs from 1 to 5."), field="score")
    rating = ProviderRating(
        enterprise=enterprise,
        provider=provider,
        rated_on=rated_on,
        score=score,
        comment=(comment or "").strip(),
        rated_by=actor,
    )
    return save_with_history(rating, actor=actor)


# --- Scorecards ------------------------------------------------------------------------------------


def _stored_weights():
    return ScorecardWeights.objects.select_for_update().order_by("pk").first()


@transaction.atomic
def scorecard_weights_set(*, actor, weights, note=""):
    """Set the scorecard's weights ``{metric code: whole number ≥ 0}`` (at least one above 0).

    Codes of metrics not registered (yet) are kept as they were, so a metric registered later keeps
    its weight. Cards already computed keep the weights they were computed with until recomputed."""
    require(permissions.can_compute_scorecards(actor))
    known = {m.code for m in scorecard_metrics()}
    cleaned = {}
    for code, value in (weights or {}).items():
        if code not in known:
            raise DomainError("unknown_metric", _("“{code}” is not a metric of the scorecard.").format(code=code))
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = -1
        if number < 0 or number > 1000 or str(number) != str(value).strip():
            raise DomainError("invalid_weight", _("A weight is a whole number from 0 to 1000."), field=code)
        cleaned[code] = number
    record = _stored_weights() or ScorecardWeights(weights=dict(DEFAULT_WEIGHTS))
    merged = {**DEFAULT_WEIGHTS, **record.weights, **cleaned}
    if not any(merged.get(code, 0) > 0 for code in known):
        raise DomainError("no_weight", _("At least one metric needs a weight above 0."))
    record.weights = merged
    record.note = (note or "")[:500]
    record.updated_by = actor
    return save_with_history(record, actor=actor)


@transaction.atomic
def scorecard_compute(*, actor, period):
    """Compute (or recompute) every provider's card for ``period`` from what the portal records now.

    Each metric answers for all providers in one query; the cards store the values, points, details
    and the weights used. A provider's written reply is kept across recomputations. Returns the cards.
    """
    require(permissions.can_compute_scorecards(actor))
    code = normalise_period(period)
    start, end = period_bounds(code)
    if start > _today():
        raise DomainError("period_not_started", _("This period has not begun yet."), field="period")
    weights = current_weights()
    metrics = scorecard_metrics()
    providers = Provider.objects.order_by("pk")
    answers = {metric.code: metric.compute(providers, start, end) or {} for metric in metrics}
    existing = {card.provider_id: card for card in ProviderScorecard.objects.select_for_update().filter(period=code)}
    now = timezone.now()
    cards = []
    for provider in providers:
        raw = {code_: answers[code_].get(provider.pk, (None, {})) for code_ in answers}
        metrics_json, total = score_card(raw, weights, metrics)
        card = existing.get(provider.pk) or ProviderScorecard(provider=provider, period=code)
        card.starts_on, card.ends_on = start, end
        card.metrics = metrics_json
        card.weights = weights
        card.total = total
        card.computed_at = now
        card.computed_by = actor
        cards.append(save_with_history(card, actor=actor))
    return cards


@transaction.atomic
def scorecard_recompute_request(*, actor, period):
    """The district's "recompute" button: a background job computes the period's cards (in-process
    when no broker is configured). Returns the job."""
    require(permissions.can_compute_scorecards(actor))
    code = normalise_period(period)
    start, _end = period_bounds(code)
    if start > _today():
        raise DomainError("period_not_started", _("This period has not begun yet."), field="period")
    job = jobs.job_create(
        kind="scorecard_compute", task_name="providers.tasks.compute_scorecards_task", actor=actor, message=code
    )
    job.task_args = [str(job.pk), code]
    job.save(update_fields=["task_args"])
    jobs.job_enqueue(job)
    return job


@transaction.atomic
def scorecard_reply(*, actor, scorecard, reply):
    """The provider's written answer to its card (replaces an earlier one; the history keeps it)."""
    require(permissions.can_reply(actor, scorecard))
    text = (reply or "").strip()
    if not text:
        raise DomainError("reply_required", _("Write the reply."), field="reply")
    if len(text) > 5000:
        raise DomainError("reply_too_long", _("A reply has at most 5,000 characters."), field="reply")
    scorecard.reply = text
    scorecard.replied_at = timezone.now()
    scorecard.replied_by = actor
    return save_with_history(scorecard, actor=actor)
