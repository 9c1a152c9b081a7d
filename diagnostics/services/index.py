"""Corrections of the index's data by the district: an option's points and label, a row of the level rule.

Every change is kept in the models' history (who, when, before/after). Stored assessments and
reports keep the result they were scored with; only drafts scored again afterwards see the change.
"""

from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _

from core.errors import DomainError
from core.history import save_with_history
from core.permissions import require

from ..models import LevelRule, Option
from ..permissions import index as permissions


def _index_number(value, field):
    """Points or a minimum score as an exact decimal (the ranges are checked by the caller)."""
    try:
        number = Decimal(str(value).strip())
    except (InvalidOperation, ValueError) as exc:
        raise DomainError("invalid_number", _("Enter a number."), field=field) from exc
    if not number.is_finite():
        raise DomainError("invalid_number", _("Enter a number."), field=field)
    return number


@transaction.atomic
def option_update(*, actor, option, label, points):
    """Correct an answer option's label and points (0 to the item's maximum, at most 4 decimals)."""
    require(permissions.can_edit_index(actor))
    option = Option.objects.select_for_update().select_related("item").get(pk=option.pk)
    label = (label or "").strip()
    if not label:
        raise DomainError("label_required", _("Enter the option's label."), field="label")
    if len(label) > 200:
        raise DomainError("label_too_long", _("A label has at most 200 characters."), field="label")
    points = _index_number(points, "points")
    if points < 0 or points > option.item.max_points:
        raise DomainError(
            "points_out_of_range",
            _("Points run from 0 to the item's maximum, {max}.").format(max=option.item.max_points.normalize()),
            field="points",
        )
    if points != points.quantize(Decimal("0.0001")):
        raise DomainError("too_many_decimals", _("Points have at most four decimals."), field="points")
    option.label = label
    option.points = points
    return save_with_history(option, actor=actor, clean=False)


@transaction.atomic
def level_rule_update(*, actor, rule, min_score, scene_level, min_scenes, min_constraint_scenes):
    """Correct a row of the level rule: minimum score (0–100), the scene level counted (1–4), the
    minimum number of scenes at that level or higher (up to the edition's scenes) and how many of
    them must be constraint scenes (up to the edition's constraint scenes and to ``min_scenes``)."""
    require(permissions.can_edit_index(actor))
    rule = LevelRule.objects.select_for_update().select_related("edition").get(pk=rule.pk)
    min_score = _index_number(min_score, "min_score")
    if not 0 <= min_score <= 100:
        raise DomainError("invalid_rule", _("The minimum score runs from 0 to 100."), field="min_score")
    scenes = rule.edition.scenes.count()
    constraint = rule.edition.scenes.filter(constraint=True).count()
    checks = (
        ("scene_level", scene_level, 1, 4, _("The scene level counted runs from 1 to 4.")),
        ("min_scenes", min_scenes, 0, scenes, _("The minimum number of scenes runs from 0 to {n}.").format(n=scenes)),
        (
            "min_constraint_scenes",
            min_constraint_scenes,
            0,
            min(constraint, min_scenes if isinstance(min_scenes, int) else constraint),
            _(
                "The minimum number of constraint scenes runs from 0 to {n} (and not above the minimum number of scenes)."
            ).format(n=constraint),
        ),
    )
    for field, value, low, high, message in checks:
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise DomainError("invalid_rule", message, field=field)
    rule.min_score = min_score
    rule.scene_level = scene_level
    rule.min_scenes = min_scenes
    rule.min_constraint_scenes = min_constraint_scenes
    return save_with_history(rule, actor=actor, clean=False)
