"""The scoring engine: answers to the MIIT index → dimension scores, scene counts and level.

One engine serves ``POST /api/v1/assessments/score/``, the evaluation and report forms and every
stored assessment. It reads an edition once into an :class:`IndexSpec` (plain data, no queries
afterwards) and computes with exact decimals. Input is in the contract's form
(docs/api.md, "Score request and result"):

* multi-choice items: the list of chosen option numbers, 1-based (``[]`` = 无);
* single-choice items: the answer's position, 0 = the lowest answer;
* band items: a percentage 0–100 (a value on a band's upper edge belongs to that band);
* outcome items: ``better``, ``same`` or ``worse``;
* scenes: ``{scene code: level 0–4}``; scenes not given are level 0; items not given score 0.
"""

import math
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

from .models import Item, LevelRule, Option, Scene

ZERO = Decimal("0")
HUNDRED = Decimal("100")
OUTCOME_WORDS = ("better", "same", "worse")
SCENE_LEVELS = (1, 2, 3, 4)


class ScoreInputError(Exception):
    """Answers that cannot be scored. ``errors`` maps each offending item or scene code (or
    ``answers``/``scenes``/``index`` for the whole part) to a list of messages."""

    def __init__(self, errors):
        super().__init__(errors)
        self.errors = errors


@dataclass(frozen=True)
class OptionSpec:
    number: int
    code: str
    label: str
    points: Decimal
    upper_bound: Decimal | None


@dataclass(frozen=True)
class ItemSpec:
    code: str
    name: str
    kind: str
    dimension: str
    max_points: Decimal
    options: tuple[OptionSpec, ...]

    def option(self, number):
        for option in self.options:
            if option.number == number:
                return option
        return None


@dataclass(frozen=True)
class SceneSpec:
    code: str
    name: str
    constraint: bool


@dataclass(frozen=True)
class RuleSpec:
    level: int
    min_score: Decimal
    scene_level: int
    min_scenes: int
    min_constraint_scenes: int


@dataclass(frozen=True)
class IndexSpec:
    """An edition read into memory: what the engine needs, in the edition's order."""

    code: str
    dimensions: tuple[str, ...]  # codes of the scored dimensions
    items: tuple[ItemSpec, ...]
    scenes: tuple[SceneSpec, ...]
    rules: tuple[RuleSpec, ...]  # highest level first
    items_by_code: dict = field(default_factory=dict, compare=False)
    scenes_by_code: dict = field(default_factory=dict, compare=False)


def index_spec(edition):
    """Read ``edition`` (an IndexEdition) into an :class:`IndexSpec` in four queries."""
    options = {}
    for option in Option.objects.filter(item__dimension__edition=edition).order_by("item_id", "number"):
        options.setdefault(option.item_id, []).append(
            OptionSpec(option.number, option.code, option.label, option.points, option.upper_bound)
        )
    items = tuple(
        ItemSpec(
            item.code,
            item.name,
            item.kind,
            item.dimension.code,
            item.max_points,
            tuple(options.get(item.pk, ())),
        )
        for item in Item.objects.filter(dimension__edition=edition, dimension__scored=True)
        .select_related("dimension")
        .order_by("dimension__order", "order")
    )
    dimensions = tuple(dict.fromkeys(item.dimension for item in items))
    scenes = tuple(
        SceneSpec(s.code, s.name, s.constraint) for s in Scene.objects.filter(edition=edition).order_by("order")
    )
    rules = tuple(
        RuleSpec(r.level, r.min_score, r.scene_level, r.min_scenes, r.min_constraint_scenes)
        for r in LevelRule.objects.filter(edition=edition).order_by("-level")
    )
    return IndexSpec(
        code=edition.code,
        dimensions=dimensions,
        items=items,
        scenes=scenes,
        rules=rules,
        items_by_code={i.code: i for i in items},
        scenes_by_code={s.code: s for s in scenes},
    )


@dataclass(frozen=True)
class ScoreResult:
    index: str
    score: Decimal
    dimensions: dict  # {dimension code: Decimal}
    items: dict  # {item code: Decimal}
    scenes_at_or_above: dict  # {"1".."4": int}
    constraint_scenes_at_or_above: dict
    level: int

    def as_dict(self):
        """The contract's result; points as Decimals (rendered as exact JSON numbers)."""
        return {
            "index": self.index,
            "score": plain_decimal(self.score),
            "dimensions": {k: plain_decimal(v) for k, v in self.dimensions.items()},
            "items": {k: plain_decimal(v) for k, v in self.items.items()},
            "scenes_at_or_above": dict(self.scenes_at_or_above),
            "constraint_scenes_at_or_above": dict(self.constraint_scenes_at_or_above),
            "level": self.level,
        }

    def as_json(self):
        """For storing in a JSONField: points as decimal strings, so nothing is lost to floats."""
        data = self.as_dict()
        data["score"] = str(data["score"])
        data["dimensions"] = {k: str(v) for k, v in data["dimensions"].items()}
        data["items"] = {k: str(v) for k, v in data["items"].items()}
        return data


def plain_decimal(value):
    """43.6750 → 43.675, 20.8000 → 20.8, 0E-4 → 0 (no exponent, no trailing zeros)."""
    value = value.normalize()
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value


# --- Validation of one answer -----------------------------------------------------------------


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _number(value):
    """A finite Decimal from an int, float or Decimal; None for anything else (strings included)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _points(item, value):
    """The points ``value`` earns on ``item``; raises ValueError with a message."""
    if item.kind == "multi":
        if not isinstance(value, list):
            raise ValueError(_("Give the list of chosen option numbers (an empty list for none)."))
        if any(not _is_int(v) for v in value):
            raise ValueError(_("Option numbers are whole numbers."))
        numbers = [o.number for o in item.options]
        for v in value:
            if v not in numbers:
                raise ValueError(
                    _("Option {number} does not exist; choose from {first} to {last}.").format(
                        number=v, first=min(numbers), last=max(numbers)
                    )
                )
        if len(set(value)) != len(value):
            raise ValueError(_("An option is chosen twice."))
        total = sum((item.option(v).points for v in value), ZERO)
        return min(total, item.max_points)
    if item.kind == "single":
        if not _is_int(value):
            raise ValueError(_("Give the position of the answer as a whole number (0 = the lowest answer)."))
        option = item.option(value)
        if option is None:
            last = max(o.number for o in item.options)
            raise ValueError(_("The answer must be from 0 to {last}.").format(last=last))
        return option.points
    if item.kind == "band":
        number = _number(value)
        if number is None:
            raise ValueError(_("Give a percentage as a number."))
        if number < ZERO or number > HUNDRED:
            raise ValueError(_("A percentage runs from 0 to 100."))
        return band_option(item, number).points
    if item.kind == "outcome":
        if not isinstance(value, str) or value not in OUTCOME_WORDS:
            raise ValueError(_("Answer better, same or worse."))
        return next(o.points for o in item.options if o.code == value)
    raise ValueError(_("This item cannot be scored."))  # pragma: no cover - kinds are a closed set


def band_option(item, percentage):
    """The band ``percentage`` falls in: the first whose upper edge is at or above it."""
    for option in item.options:
        if option.upper_bound is None or percentage <= option.upper_bound:
            return option
    return item.options[-1]


def _scene_levels(spec, scenes, errors):
    if scenes is None:
        return {}
    if not isinstance(scenes, dict):
        errors["scenes"] = [_("Scenes are an object of scene code → level 0–4.")]
        return {}
    levels = {}
    for code, level in scenes.items():
        if code not in spec.scenes_by_code:
            errors[code] = [_("Unknown scene code.")]
        elif not _is_int(level) or not 0 <= level <= 4:
            errors[code] = [_("A scene level is a whole number from 0 to 4.")]
        else:
            levels[code] = level
    return levels


# --- Scoring ----------------------------------------------------------------------------------


def score(spec, answers, scenes=None):
    """Score ``answers`` and ``scenes`` against ``spec``; raises :class:`ScoreInputError`."""
    errors = {}
    if answers is None:
        answers = {}
    if not isinstance(answers, dict):
        raise ScoreInputError({"answers": [_("Answers are an object of item code → answer.")]})
    item_points = {}
    for code, value in answers.items():
        item = spec.items_by_code.get(code)
        if item is None:
            errors[code] = [_("Unknown item code.")]
            continue
        try:
            item_points[code] = _points(item, value)
        except ValueError as exc:
            errors[code] = [str(exc)]
    levels = _scene_levels(spec, scenes, errors)
    if errors:
        raise ScoreInputError(errors)

    items = {item.code: item_points.get(item.code, ZERO) for item in spec.items}
    dimensions = dict.fromkeys(spec.dimensions, ZERO)
    for item in spec.items:
        dimensions[item.dimension] += items[item.code]
    total = sum(dimensions.values(), ZERO)

    at_or_above = {str(k): 0 for k in SCENE_LEVELS}
    constraint_at_or_above = {str(k): 0 for k in SCENE_LEVELS}
    for scene in spec.scenes:
        level = levels.get(scene.code, 0)
        for k in SCENE_LEVELS:
            if level >= k:
                at_or_above[str(k)] += 1
                if scene.constraint:
                    constraint_at_or_above[str(k)] += 1

    reached = 0
    for rule in spec.rules:  # highest level first
        k = str(rule.scene_level)
        if (
            total >= rule.min_score
            and at_or_above[k] >= rule.min_scenes
            and constraint_at_or_above[k] >= rule.min_constraint_scenes
        ):
            reached = rule.level
            break

    return ScoreResult(
        index=spec.code,
        score=total,
        dimensions=dimensions,
        items=items,
        scenes_at_or_above=at_or_above,
        constraint_scenes_at_or_above=constraint_at_or_above,
        level=reached,
    )


# --- The rule table the browser scores with -----------------------------------------------------


def _text(value):
    return None if value is None else format(plain_decimal(value), "f")


def rule_table(spec):
    """``spec`` as the JSON rule table served by ``GET /api/v1/assessments/rules/`` and read by
    ``static/js/scoring.js`` (the offline evaluation form's live score). It is the very
    :class:`IndexSpec` :func:`score` computes with, written out: points and band edges as exact
    decimal strings, items, scenes and level rules in the edition's order (rules highest level first)."""
    return {
        "index": spec.code,
        "dimensions": list(spec.dimensions),
        "items": [
            {
                "code": item.code,
                "kind": item.kind,
                "dimension": item.dimension,
                "max_points": _text(item.max_points),
                "options": [
                    {
                        "number": o.number,
                        "code": o.code,
                        "points": _text(o.points),
                        "upper_bound": _text(o.upper_bound),
                    }
                    for o in item.options
                ],
            }
            for item in spec.items
        ],
        "scenes": [{"code": s.code, "constraint": s.constraint} for s in spec.scenes],
        "rules": [
            {
                "level": r.level,
                "min_score": _text(r.min_score),
                "scene_level": r.scene_level,
                "min_scenes": r.min_scenes,
                "min_constraint_scenes": r.min_constraint_scenes,
            }
            for r in spec.rules
        ],
        "outcome_words": list(OUTCOME_WORDS),
    }
