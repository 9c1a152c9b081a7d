"""Demo assessments for ``seed_demo``: baseline on-site evaluations for most active enterprises, post
evaluations for some, a few self-assessments and drafts: deterministic, entered through the services.

Answers are generated per target level and genuinely score to it: the engine is run on every
record and the level it gives is asserted. Band and outcome answers come from raw numbers (equipment
counts, spend and revenue, energy, pass rate, employees, cost), as an evaluator would enter them.
"""

import datetime
import random
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from core.roles import Role
from diagnostics import raw as raw_numbers
from diagnostics.choices import Method, Stage
from diagnostics.models import Assessment
from diagnostics.scoring import index_spec, score
from diagnostics.selectors.index import current_edition
from diagnostics.services.assessments import assessment_create
from enterprises.choices import Status
from enterprises.models import Enterprise
from providers.models import EvaluatorAssignment

SEED = "songjiang-assessments"
EVALUATOR_NAMES = ["张建国", "李文静", "王海峰", "陈晓东", "刘思远", "周敏", "吴志强", "徐丽华"]
#: Baseline levels for the first 60 per cent (mostly 0–2); the rest of the pilot starts low too.
BASELINE_LEVELS = [0, 0, 1, 1, 1, 2, 2, 1, 0, 2, 3, 1]
#: Post-transformation levels (the pilot's goal is level 2 or higher; some reach 4).
POST_LEVELS = [2, 2, 3, 2, 3, 4, 2, 3, 2, 1, 4, 3]


def _score_band(rules, level):
    """The score range to aim at for ``level`` (at least its minimum, below the next row's)."""
    minimum = {r.level: r.min_score for r in rules}
    low = minimum.get(level, Decimal(0)) if level else Decimal(5)
    high = minimum.get(level + 1, Decimal(100)) if level < 4 else Decimal(100)
    if level == 0:
        high = Decimal(45)
    return low, min(high, low + Decimal(22))


def _scenes(rnd, spec, level):
    """Scene levels that satisfy the level rule's row ``level`` and no higher row (no scene above ``level``)."""
    rules = {r.level: r for r in spec.rules}
    constraint = [s.code for s in spec.scenes if s.constraint]
    guiding = [s.code for s in spec.scenes if not s.constraint]
    rnd.shuffle(constraint)
    rnd.shuffle(guiding)
    levels = {}
    if level == 0:
        for code in constraint[:2] + guiding[: rnd.randint(0, 3)]:
            levels[code] = rnd.randint(1, 2)
        return levels
    rule = rules[level]
    k = rule.scene_level
    c = min(len(constraint), rule.min_constraint_scenes + rnd.randint(0, 2))
    n = max(rule.min_scenes, c) + rnd.randint(0, 2)
    for code in constraint[:c]:
        levels[code] = k
    for code in guiding[: max(0, n - c)]:
        levels[code] = k
    for code in constraint[c:] + guiding[max(0, n - c) :]:
        if k > 1 and rnd.random() < 0.7:
            levels[code] = rnd.randint(max(0, k - 2), k - 1)
    return {code: lv for code, lv in levels.items() if lv}


def _raw(rnd, strength):
    """Raw numbers an evaluator would enter for an enterprise of this ``strength`` (0–1)."""
    total = rnd.randint(40, 400)
    digitised = min(total, int(total * min(1.0, max(0.0, strength + rnd.uniform(-0.15, 0.15)))))
    networked = min(digitised, int(total * min(1.0, max(0.0, strength - 0.1 + rnd.uniform(-0.15, 0.15)))))
    raw = {"equipment_total": total, "equipment_digitised": digitised, "equipment_networked": networked}
    revenue = rnd.randint(3000, 60000)  # 万元
    for year in (1, 2, 3):
        year_revenue = int(revenue * (0.85 + 0.05 * year))
        share = max(0.0, min(0.9, strength * 0.7 + rnd.uniform(-0.1, 0.1)))
        raw[f"spend_y{year}"] = str(Decimal(year_revenue * share).quantize(Decimal("0.01")))
        raw[f"revenue_y{year}"] = year_revenue
    better = strength > 0.35
    energy = Decimal(rnd.randint(80, 400)) / 100
    raw["energy_before"] = str(energy)
    raw["energy_now"] = str(
        (energy * Decimal("0.9" if better else ("1" if rnd.random() < 0.5 else "1.05"))).quantize(Decimal("0.01"))
    )
    rate = Decimal(rnd.randint(9000, 9850)) / 100
    raw["pass_rate_before"] = str(rate)
    raw["pass_rate_now"] = str(min(Decimal(100), rate + (Decimal("0.8") if better else Decimal(0))))
    employees = rnd.randint(60, 900)
    raw["revenue_previous"] = revenue
    raw["employees_previous"] = employees
    raw["revenue_current"] = int(revenue * (1.08 if better else 0.97))
    raw["employees_current"] = employees
    cost = int(revenue * 0.82)
    raw["cost_previous"] = cost
    raw["cost_current"] = int(cost * (1.02 if better else 1.06))
    return raw


def _choice_answers(rnd, spec, strength):
    answers = {}
    for item in spec.items:
        if item.kind == "multi":
            numbers = [o.number for o in item.options]
            count = round(len(numbers) * min(1.0, max(0.0, strength + rnd.uniform(-0.2, 0.2))))
            answers[item.code] = sorted(rnd.sample(numbers, count))
        elif item.kind == "single":
            top = max(o.number for o in item.options)
            answers[item.code] = max(0, min(top, round(top * strength + rnd.uniform(-0.8, 0.8))))
    return answers


def answers_for_level(rnd, spec, level):
    """``(answers, raw, scenes)`` whose score the engine puts at exactly ``level`` (asserted)."""
    low, high = _score_band(spec.rules, level)
    scenes = _scenes(rnd, spec, level)
    target = float(low + high) / 200
    for attempt in range(400):
        strength = min(1.0, max(0.0, target + rnd.uniform(-0.25, 0.25) * (1 + attempt / 100)))
        raw = _raw(rnd, strength)
        derived, _details, errors = raw_numbers.derive(raw)
        assert not errors, errors
        answers = {**_choice_answers(rnd, spec, strength), **derived}
        result = score(spec, answers, scenes)
        if low <= result.score < high or (level == 4 and result.score >= low):
            assert result.level == level, (level, result.level, result.score)
            return answers, raw, scenes
    raise AssertionError(f"no answers found for level {level}")  # pragma: no cover - deterministic


def _clamp(day):
    return min(day, timezone.localdate())


def seed_assessments(*, district):
    """Seed the demo assessments (nothing when assessments exist already).

    Baseline on-site evaluations for six of every seven active enterprises (the rest are due; with
    the evaluation deadlines seeded for diagnoses some show as overdue), post-transformation
    evaluations for a third of those, self-assessments for a few, and drafts in progress. Entered
    by the evaluator of the body assigned to each enterprise, so the enterprises' levels follow.
    """
    if Assessment.objects.exists():
        return

    edition = current_edition()
    spec = index_spec(edition)
    rnd = random.Random(SEED)
    evaluators = {
        u.evaluation_body_id: u for u in User.objects.filter(role=Role.EVALUATOR, is_active=True).order_by("pk")
    }
    bodies = {
        a.enterprise_id: a.evaluation_body
        for a in EvaluatorAssignment.objects.select_related("evaluation_body").order_by("assigned_on", "pk")
    }
    enterprises = list(Enterprise.objects.filter(status=Status.ACTIVE).select_related("unit").order_by("pk"))
    staff = {u.unit_id: u for u in User.objects.filter(role=Role.UNIT_STAFF, is_active=True).order_by("pk")}
    for i, enterprise in enumerate(enterprises):
        body = bodies.get(enterprise.pk)
        if body is None:
            continue
        actor = evaluators.get(body.pk, district)
        team = "、".join(rnd.sample(EVALUATOR_NAMES, 2))
        if i % 7 == 3:
            if i % 21 == 3:  # a baseline evaluation being written
                answers, raw, scenes = answers_for_level(rnd, spec, 1)
                assessment_create(
                    actor=actor, enterprise=enterprise, stage=Stage.BASELINE, method=Method.ONSITE,
                    evaluated_on=_clamp(datetime.date(2025, 10, 20)), edition=edition, answers=answers, raw=raw,
                    scenes=scenes, evaluation_body=body, evaluators=team, submit=False,
                )  # fmt: skip
            continue
        baseline_level = BASELINE_LEVELS[i % len(BASELINE_LEVELS)]
        answers, raw, scenes = answers_for_level(rnd, spec, baseline_level)
        baseline_day = datetime.date(2024, 11, 1) + datetime.timedelta(days=(i * 3) % 240)
        assessment_create(
            actor=actor, enterprise=enterprise, stage=Stage.BASELINE, method=Method.ONSITE,
            evaluated_on=_clamp(baseline_day), edition=edition, answers=answers, raw=raw, scenes=scenes,
            scene_notes=dict.fromkeys(list(scenes)[:3], "现场查看系统与台账"),
            evaluation_body=body, evaluators=team, note="改造前现场评定", submit=True,
        )  # fmt: skip
        if i % 3 == 0:
            post_level = max(baseline_level, POST_LEVELS[(i // 3) % len(POST_LEVELS)])
            answers, raw, scenes = answers_for_level(rnd, spec, post_level)
            post_day = datetime.date(2025, 9, 1) + datetime.timedelta(days=(i * 5) % 300)
            assessment_create(
                actor=actor, enterprise=enterprise, stage=Stage.POST, method=Method.ONSITE,
                evaluated_on=_clamp(post_day), edition=edition, answers=answers, raw=raw, scenes=scenes,
                scene_notes=dict.fromkeys(list(scenes)[:3], "改造后系统上线运行"),
                evaluation_body=body, evaluators=team, note="改造后现场评定", submit=True,
            )  # fmt: skip
        if i % 10 == 1 and enterprise.unit_id in staff:
            self_level = min(4, baseline_level + 1)
            answers, raw, scenes = answers_for_level(rnd, spec, self_level)
            assessment_create(
                actor=staff[enterprise.unit_id], enterprise=enterprise, stage=Stage.POST, method=Method.SELF,
                evaluated_on=_clamp(datetime.date(2025, 8, 15)), edition=edition, answers=answers, raw=raw,
                scenes=scenes, note="企业自评（街镇协助填报）", submit=True,
            )  # fmt: skip
