"""Actuals of the indicator table (docs/domain.md §6, 松江区中小企业数字化转型试点总体目标表), and the
indicator report (target vs actual) built on them.

Every indicator is one documented function below, quoting the rule it implements. A rule function
returns the *condition* (a ``Q``) a record must meet to count, over the base queryset of its
model (:func:`enterprise_base`, :func:`recognition_base`, products, providers). :func:`compute`
turns all conditions into conditional aggregates, so a report costs a fixed number of queries
(four district-wide, two for a unit) whatever the size of the data; :func:`records` lists the
rows behind one number with the same conditions, so the drill-down always agrees with the count;
:func:`near_misses` lists the records that nearly counted, each with the reasons it was not;
:func:`drill_down` reads both a page at a time, with their totals counted in the database.

Common rules (settled details of §6):

* an event counts only if dated from the period's first day (never before 2024-10-01, when the
  pilot began) to the earlier of its last day and the as-of date;
* every count of enterprises (1–5, 8, R1–R3) includes only enterprises still in the pilot list at
  the as-of date: active, or withdrawn *after* it (withdrawn on the as-of date itself is already
  out; proposed and declined enterprises are not in the list). Withdrawn enterprises that otherwise
  meet a rule are listed in the drill-down as "not counted: withdrawn";
* large enterprises are not pilot enterprises: never counted in 1–5, 8 or R1–R3;
* scale, tier, sector and unit are read as they stand when the report is computed;
* a unit's report counts the enterprises of that unit and recognitions tied to one of its
  enterprises; 6 and 9 have no value in a unit's report;
* a ratio with no enterprises in its denominator has no value.
"""

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.postgres.aggregates import ArrayAgg
from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

from core.models import OrgUnit
from core.money import format_percent
from core.programme import PILOT_START
from diagnostics.choices import AssessmentStatus, DiagnosisStatus, Method, Stage
from diagnostics.models import Assessment, Diagnosis
from enterprises.choices import Scale, Sector, Size, Status, Tier
from enterprises.models import Enterprise
from funding.choices import RecognitionKind, RecognitionLevel
from funding.models import Acceptance, Recognition
from providers.models import Product, Provider

from ..models import Indicator, IndicatorTarget
from .scope import parse_as_of, report_scope

#: Every number of a report, in the order of the table.
NUMBERS = ("1", "2", "1+2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12", "13", "R1", "R2", "R3")
RATIOS = ("R1", "R2", "R3")
#: Numbers that are not broken down by unit (no value in a unit's report).
NOT_BY_UNIT = ("6", "9")

#: The three pilot sectors (R1 looks at these only, not at "other").
PILOT_SECTORS = (Sector.HIGH_END_EQUIPMENT, Sector.AUTO_PARTS, Sector.ELECTRONICS)

FOUR_PLACES = Decimal("0.0001")


@dataclass(frozen=True)
class Window:
    """A report's period, as-of date and unit, with the dates the rules need."""

    start: date
    end: date
    as_of: date
    unit: object = None

    @property
    def first_day(self):
        """The first day an event may be dated: the period's first day, never before the pilot began."""
        return max(self.start, PILOT_START)

    @property
    def last_day(self):
        """The last day an event may be dated: the earlier of the period's last day and the as-of date."""
        return min(self.end, self.as_of)

    @property
    def cut(self):
        """R1–R3 look at evaluations and verifications dated up to this day, whenever before it."""
        return min(self.end, self.as_of)

    def dated_inside(self, field):
        """``field`` falls inside the counting window (nothing does when the as-of date is before the
        period's first day)."""
        return Q(**{f"{field}__gte": self.first_day, f"{field}__lte": self.last_day})


def _window(start, end, as_of, unit):
    return Window(start=start, end=end, as_of=as_of, unit=unit)


# --- Who counts: enterprises ------------------------------------------------------------------


def in_pilot_list(w):
    """Still in the pilot list at the as-of date: active, or withdrawn after the as-of date
    ("an enterprise withdrawn on the as-of date itself is already out of the list")."""
    return Q(status=Status.ACTIVE) | Q(status=Status.WITHDRAWN, withdrawn_on__gt=w.as_of)


def withdrawn_by_as_of(w):
    """Withdrawn on or before the as-of date: listed as "not counted: withdrawn"."""
    return Q(status=Status.WITHDRAWN) & ~Q(withdrawn_on__gt=w.as_of)


def pilot_enterprise():
    """Large enterprises (a chain leader, say) are not pilot enterprises: never counted in 1–5, 8 or R1–R3."""
    return ~Q(size=Size.LARGE)


def _latest_evaluation(w, *, post_only):
    """The level of the enterprise's latest authoritative (on-site, submitted) evaluation dated up
    to the cut: "the one with the latest date; on the same date a post-transformation evaluation
    comes after a baseline, then the one entered last". Self-assessments never count."""
    qs = Assessment.objects.authoritative().filter(enterprise=OuterRef("pk"), evaluated_on__lte=w.cut)
    if post_only:
        qs = qs.filter(stage=Stage.POST)
    qs = qs.annotate(
        stage_rank=Case(When(stage=Stage.POST, then=Value(1)), default=Value(0), output_field=IntegerField())
    ).order_by("-evaluated_on", "-stage_rank", "-created_at", "-pk")
    return Subquery(qs.values("level")[:1], output_field=IntegerField())


def enterprise_base(w):
    """Enterprises of the report (the unit's, or all), pilot enterprises only, annotated with the
    facts the rules read:

    * ``first_pass``: the date of the first passed acceptance dated on or after 2024-10-01;
    * ``has_accepted_diagnosis``: a current accepted diagnosis report (its current state);
    * ``first_level4_post``: the first on-site post-transformation evaluation at level 4, over all dates;
    * ``latest_level`` / ``latest_post_level``: the latest on-site evaluation (any stage / post) up to the cut.
    """
    qs = Enterprise.objects.filter(pilot_enterprise())
    if w.unit is not None:
        qs = qs.filter(unit=w.unit)
    return qs.annotate(**_enterprise_facts(w))


def _enterprise_facts(w):
    """The annotations of :func:`enterprise_base` (shared with :func:`near_misses`)."""
    first_pass = (
        Acceptance.objects.filter(project__enterprise=OuterRef("pk"), passed=True, accepted_on__gte=PILOT_START)
        .order_by("accepted_on")
        .values("accepted_on")[:1]
    )
    first_level4_post = (
        Assessment.objects.authoritative()
        .filter(enterprise=OuterRef("pk"), stage=Stage.POST, level=4)
        .order_by("evaluated_on")
        .values("evaluated_on")[:1]
    )
    return {
        "first_pass": Subquery(first_pass),
        "has_accepted_diagnosis": Exists(
            Diagnosis.objects.filter(enterprise=OuterRef("pk"), status=DiagnosisStatus.ACCEPTED, is_current=True)
        ),
        "first_level4_post": Subquery(first_level4_post),
        "latest_level": _latest_evaluation(w, post_only=False),
        "latest_post_level": _latest_evaluation(w, post_only=True),
    }


class _FirstElement(Func):
    """The first element of a PostgreSQL array (``ARRAY_AGG(...)[1]``)."""

    template = "(%(expressions)s)[1]"
    output_field = IntegerField()


def _latest_assessment_first():
    """The order of an enterprise's assessments over a join, latest first: evaluation date, then a
    post-transformation evaluation before a baseline of the same day, then the one entered last."""
    return [
        F("assessments__evaluated_on").desc(),
        Case(When(assessments__stage=Stage.POST, then=Value(1)), default=Value(0)).desc(),
        F("assessments__created_at").desc(),
        F("assessments__id").desc(),
    ]


def grouped_enterprise_base(w):
    """:func:`enterprise_base` for whole-table aggregates on PostgreSQL: the same facts, as aggregates
    over joins grouped by enterprise, so each is computed once per enterprise with one hash join per
    table. (Correlated subqueries, which :func:`enterprise_base` uses and the drill-down keeps, are
    flattened by PostgreSQL into every ``FILTER`` that reads them and run once per enterprise *and*
    reference: measured 26× slower at 10,000 enterprises, see ``bench/README.md``.)

    ``latest_level`` / ``latest_post_level`` take the first level in the order of
    :func:`_latest_evaluation`: latest date, a post-transformation evaluation before a baseline on the
    same date, then the one entered last. Joins that multiply rows do not change a minimum or the first
    element of that order."""
    qs = Enterprise.objects.filter(pilot_enterprise())
    if w.unit is not None:
        qs = qs.filter(unit=w.unit)
    onsite = Q(assessments__method=Method.ONSITE, assessments__status=AssessmentStatus.SUBMITTED)
    up_to_cut = onsite & Q(assessments__evaluated_on__lte=w.cut)
    latest_first = _latest_assessment_first()
    passed = Q(projects__acceptances__passed=True, projects__acceptances__accepted_on__gte=PILOT_START)
    return qs.annotate(
        first_pass=Min("projects__acceptances__accepted_on", filter=passed),
        has_accepted_diagnosis=Exists(
            Diagnosis.objects.filter(enterprise=OuterRef("pk"), status=DiagnosisStatus.ACCEPTED, is_current=True)
        ),
        first_level4_post=Min(
            "assessments__evaluated_on", filter=onsite & Q(assessments__stage=Stage.POST, assessments__level=4)
        ),
        latest_level=_FirstElement(ArrayAgg("assessments__level", filter=up_to_cut, order_by=latest_first)),
        latest_post_level=_FirstElement(
            ArrayAgg("assessments__level", filter=up_to_cut & Q(assessments__stage=Stage.POST), order_by=latest_first)
        ),
    )


def _aggregate_base(w):
    """The base whole-table aggregates read: grouped on PostgreSQL, correlated elsewhere (the embedded
    SQLite of ``make run`` has no arrays; its data is small)."""
    if connection.vendor == "postgresql":
        return grouped_enterprise_base(w)
    return enterprise_base(w)


def transformed(w):
    """1–4 (and 1+2): "enterprises whose transformation project passed acceptance (验收通过) inside the
    period, that have an accepted diagnosis"; "an enterprise counts in 1–4 once, in the period of its
    first passed acceptance dated on or after 2024-10-01; a later project of the same enterprise does
    not count it again; whether it has an accepted diagnosis is judged on the diagnosis's current state"."""
    return w.dated_inside("first_pass") & Q(has_accepted_diagnosis=True)


def indicator_1(w):
    """1 拟改造规上工业中小企业数量: transformed enterprises (see :func:`transformed`) that are 规上."""
    return transformed(w) & Q(scale=Scale.ABOVE)


def indicator_2(w):
    """2 拟改造规下工业中小企业数量: transformed enterprises (see :func:`transformed`) that are 规下."""
    return transformed(w) & Q(scale=Scale.BELOW)


def indicator_1_2(w):
    """1+2 拟改造企业合计: every transformed enterprise (see :func:`transformed`)."""
    return transformed(w)


def indicator_3(w):
    """3 拟改造企业中专精特新"小巨人"企业数量: "split … by tier (3 = 小巨人)"."""
    return transformed(w) & Q(tier=Tier.LITTLE_GIANT)


def indicator_4(w):
    """4 拟改造企业中专精特新中小企业数量: "4 = 专精特新 but not 小巨人"."""
    return transformed(w) & Q(tier=Tier.SRDI)


def indicator_5(w):
    """5 拟上云用云中小企业数量: "pilot enterprises whose cloud adoption was verified inside the period"
    ("cloud adoption is the latest verification date entered")."""
    return w.dated_inside("cloud_verified_on")


def indicator_8(w):
    """8 拟打造数字化水平四级试点企业数量: "pilot enterprises (still in the pilot list) whose first on-site
    post-transformation evaluation at level 4 falls inside the period (a second level-4 evaluation later
    does not count again; self-assessments never count)"; "8 looks at the first level-4 on-site
    post-transformation evaluation over all dates (if that is before 2024-10-01 the enterprise counts in
    no period); a level-4 baseline does not count"."""
    return w.dated_inside("first_level4_post")


def ratio_r1(w):
    """R1: "(as of the period's end, or the as-of date if earlier): among pilot enterprises still in the
    list that are 规上 and in one of the three sectors, the share whose latest on-site evaluation
    (baseline or post) is at level ≥ 2"; "R1 asks where enterprises stand, whatever brought them there:
    a level ≥ 2 baseline counts". Returns (denominator, numerator) conditions."""
    denominator = Q(scale=Scale.ABOVE, sector__in=PILOT_SECTORS)
    return denominator, denominator & Q(latest_level__gte=2)


def ratio_r2(w):
    """R2: "among the enterprises counted in 1+2 for the period, the share whose latest on-site
    post-transformation evaluation is at level ≥ 2 (no value when none are counted)"; evaluations
    dated up to the period's end (or the as-of date if earlier). Returns (denominator, numerator)."""
    denominator = indicator_1_2(w)
    return denominator, denominator & Q(latest_post_level__gte=2)


def ratio_r3(w):
    """R3: "(as of the period's end, or the as-of date if earlier): among pilot enterprises still in
    the list, the share whose cloud adoption has been verified" (verifications dated up to that day,
    whenever before it). Returns (denominator, numerator)."""
    denominator = Q()
    return denominator, Q(cloud_verified_on__isnull=False, cloud_verified_on__lte=w.cut)


ENTERPRISE_COUNTS = {
    "1": indicator_1,
    "2": indicator_2,
    "1+2": indicator_1_2,
    "3": indicator_3,
    "4": indicator_4,
    "5": indicator_5,
    "8": indicator_8,
}
ENTERPRISE_RATIOS = {"R1": ratio_r1, "R2": ratio_r2, "R3": ratio_r3}


# --- What counts: recognitions, products, providers -------------------------------------------


def recognition_base(w):
    """Recognitions of the report: all, or in a unit's report those tied to one of its enterprises
    (the recognised enterprise, or for a chain model also a member enterprise). "A recognition still
    counts after its enterprise has withdrawn": the enterprise's status is not looked at."""
    qs = Recognition.objects.all()
    if w.unit is not None:
        # Two semi-joins on the unit's enterprises (each read once, by the unit's index), not an OR across
        # joins of every recognition, member and enterprise.
        of_unit = Enterprise.objects.filter(unit=w.unit).values("pk")
        members = Recognition.members.through.objects.filter(enterprise__in=of_unit).values("recognition_id")
        qs = qs.filter(Q(enterprise__in=of_unit) | Q(kind=RecognitionKind.CHAIN_MODEL, pk__in=members))
    return qs


def indicator_7(w):
    """7 拟建设数字化车间及智能工厂数量: "recognitions of a workshop / smart factory (any level) …
    by recognition date"."""
    kinds = (RecognitionKind.DIGITAL_WORKSHOP, RecognitionKind.SMART_FACTORY)
    return Q(kind__in=kinds) & w.dated_inside("recognised_on")


def indicator_10(w):
    """10 试点行业打造"链式"转型模式（含上海市"工赋链主"）数量: "chain models recognised" inside the period."""
    return Q(kind=RecognitionKind.CHAIN_MODEL) & w.dated_inside("recognised_on")


def indicator_11(w):
    """11 拟建设市级及以上智能工厂或示范应用场景数量: "recognitions … of a municipal-or-higher smart factory or
    demo scenario, by recognition date"."""
    return (
        Q(kind__in=(RecognitionKind.SMART_FACTORY, RecognitionKind.DEMO_SCENARIO))
        & Q(level__in=(RecognitionLevel.MUNICIPAL, RecognitionLevel.NATIONAL))
        & w.dated_inside("recognised_on")
    )


def indicator_12(w):
    """12 拟形成可复制可推广的数字化转型典型优秀应用场景方案: "scenario cases recognised (入选) inside the period"."""
    return Q(kind=RecognitionKind.TYPICAL_SCENARIO) & w.dated_inside("recognised_on")


def indicator_13(w):
    """13 拟建设中小企业数字化转型公共服务平台: "platforms put in service"; "13 counts `platform` recognitions
    by their recognition date, at any level"."""
    return Q(kind=RecognitionKind.PLATFORM) & w.dated_inside("recognised_on")


RECOGNITION_COUNTS = {"7": indicator_7, "10": indicator_10, "11": indicator_11, "12": indicator_12, "13": indicator_13}


def indicator_6(w):
    """6 拟打造"小快轻准"产品及解决方案数量: "products/solutions … recognised (入选) inside the period".
    Not broken down by unit."""
    return w.dated_inside("recognised_on")


def indicator_9(w):
    """9 拟培育服务商数量: "providers designated 重点服务商 inside the period". Not broken down by unit."""
    return w.dated_inside("key_provider_since")


# --- The report -------------------------------------------------------------------------------


def ratio(numerator, denominator):
    """A fraction rounded to 4 places; no value when the denominator is empty."""
    if not denominator:
        return None
    return (Decimal(numerator) / Decimal(denominator)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP)


def compute(*, start, end, as_of, unit=None):
    """The actual of every number of the table for one period, as-of date and unit (None: the district).

    Counts are ints, ratios Decimal fractions rounded to 4 places; None where a value does not apply
    (6 and 9 in a unit's report, a ratio with an empty denominator). A fixed number of queries.
    """
    w = _window(start, end, as_of, unit)
    listed = in_pilot_list(w)

    aggregates = {}
    for number, rule in ENTERPRISE_COUNTS.items():
        aggregates[f"n{number}"] = Count("pk", filter=listed & rule(w))
    for number, rule in ENTERPRISE_RATIOS.items():
        denominator, numerator = rule(w)
        aggregates[f"d{number}"] = Count("pk", filter=listed & denominator)
        aggregates[f"n{number}"] = Count("pk", filter=listed & numerator)
    ent = _aggregate_base(w).aggregate(**aggregates)

    rec = recognition_base(w).aggregate(
        **{f"n{number}": Count("pk", filter=rule(w)) for number, rule in RECOGNITION_COUNTS.items()}
    )

    result = {number: ent[f"n{number}"] for number in ENTERPRISE_COUNTS}
    result.update({number: rec[f"n{number}"] for number in RECOGNITION_COUNTS})
    for number in ENTERPRISE_RATIOS:
        result[number] = ratio(ent[f"n{number}"], ent[f"d{number}"])
    if unit is None:
        result["6"] = Product.objects.filter(indicator_6(w)).count()
        result["9"] = Provider.objects.filter(indicator_9(w)).count()
    else:
        result["6"] = result["9"] = None
    return {number: result[number] for number in NUMBERS}


def compute_by_unit(*, start, end, as_of):
    """The actuals of every unit at once, ``{unit_id: {number: value}}`` (6 and 9 are None): the same
    rules as :func:`compute`, grouped by unit, in three queries whatever the number of units or records
    (the heat map and the per-unit annex of a report)."""
    w = _window(start, end, as_of, None)
    listed = in_pilot_list(w)
    conditions = {}
    for number, rule in ENTERPRISE_COUNTS.items():
        conditions[f"n{number}"] = listed & rule(w)
    for number, rule in ENTERPRISE_RATIOS.items():
        denominator, numerator = rule(w)
        conditions[f"d{number}"] = listed & denominator
        conditions[f"n{number}"] = listed & numerator
    unit_ids = list(OrgUnit.objects.filter(parent__isnull=False).values_list("pk", flat=True))
    if connection.vendor == "postgresql":
        # The grouped facts cannot be grouped again by the ORM: one aggregate, a count per unit and key.
        row = grouped_enterprise_base(w).aggregate(
            **{
                f"u{unit_id}_{key}": Count("pk", filter=Q(unit_id=unit_id) & condition)
                for unit_id in unit_ids
                for key, condition in conditions.items()
            }
        )
        grouped = {unit_id: {key: row[f"u{unit_id}_{key}"] for key in conditions} for unit_id in unit_ids}
    else:
        aggregates = {key: Count("pk", filter=condition) for key, condition in conditions.items()}
        grouped = {row["unit_id"]: row for row in enterprise_base(w).values("unit_id").annotate(**aggregates)}

    # A recognition counts in the unit of its enterprise and, for a chain model, of each member.
    flags = {
        f"c{number}": Case(When(rule(w), then=Value(True)), default=Value(False))
        for number, rule in RECOGNITION_COUNTS.items()
    }
    any_rule = Q()
    for rule in RECOGNITION_COUNTS.values():
        any_rule |= rule(w)
    counted = {}  # (unit_id, number) -> set of recognition ids
    rows = (
        Recognition.objects.filter(any_rule)
        .annotate(**flags)
        .values_list("pk", "enterprise__unit_id", "members__unit_id", *flags)
    )
    for pk, unit_id, member_unit_id, *hits in rows:
        for number, hit in zip(RECOGNITION_COUNTS, hits, strict=True):
            if hit:
                for each in {unit_id, member_unit_id} - {None}:
                    counted.setdefault((each, number), set()).add(pk)

    result = {}
    for unit_id in unit_ids:
        row = grouped.get(unit_id, {})
        values = {number: row.get(f"n{number}", 0) for number in ENTERPRISE_COUNTS}
        values.update({number: len(counted.get((unit_id, number), ())) for number in RECOGNITION_COUNTS})
        for number in ENTERPRISE_RATIOS:
            values[number] = ratio(row.get(f"n{number}", 0), row.get(f"d{number}", 0))
        values["6"] = values["9"] = None
        result[unit_id] = {number: values[number] for number in NUMBERS}
    return result


def records(number, *, start, end, as_of, unit=None):
    """The records behind one number, for the drill-down, with the conditions :func:`compute` counts.

    * enterprise counts (1–5, 1+2, 8): ``{"counted": <enterprises>, "not_counted_withdrawn": <enterprises>}``;
    * ratios (R1–R3): the same dict; ``counted`` is the denominator, each enterprise annotated with
      ``meets`` (True when it is in the numerator);
    * 7, 10–13: recognitions; 6: recognised products; 9: key providers (none in a unit's report).
    """
    w = _window(start, end, as_of, unit)
    number = str(number)
    if number in ENTERPRISE_COUNTS or number in ENTERPRISE_RATIOS:
        if number in ENTERPRISE_COUNTS:
            condition = ENTERPRISE_COUNTS[number](w)
            numerator = None
        else:
            condition, numerator = ENTERPRISE_RATIOS[number](w)
        base = enterprise_base(w).filter(condition)
        if numerator is not None:
            base = base.annotate(meets=Case(When(numerator, then=Value(True)), default=Value(False)))
        return {
            "counted": base.filter(in_pilot_list(w)).order_by("unit__code", "name"),
            "not_counted_withdrawn": base.filter(withdrawn_by_as_of(w)).order_by("unit__code", "name"),
        }
    if number in RECOGNITION_COUNTS:
        return recognition_base(w).filter(RECOGNITION_COUNTS[number](w)).order_by("recognised_on", "pk")
    if number == "6":
        if unit is not None:
            return Product.objects.none()
        return Product.objects.filter(indicator_6(w)).select_related("provider").order_by("recognised_on", "pk")
    if number == "9":
        if unit is not None:
            return Provider.objects.none()
        return Provider.objects.filter(indicator_9(w)).order_by("key_provider_since", "pk")
    raise KeyError(number)


# --- Near misses ------------------------------------------------------------------------------

#: Why a record that nearly counted was not counted: stable codes, with a label for people.
NEAR_MISS_REASONS = {
    "withdrawn": _("Withdrawn from the pilot list on or before the as-of date"),
    "not_in_pilot_list": _("Not in the pilot list (proposed or declined)"),
    "large_enterprise": _("Large enterprise: not a pilot enterprise"),
    "accepted_before_pilot": _("Passed acceptance only before the pilot began"),
    "accepted_before_period": _("First passed acceptance before the period"),
    "accepted_after_period": _("First passed acceptance after the period or the as-of date"),
    "no_accepted_diagnosis": _("Passed acceptance but has no accepted current diagnosis"),
    "cloud_verified_before_period": _("Cloud adoption verified before the period"),
    "cloud_verified_after_period": _("Cloud adoption verified after the period or the as-of date"),
    "cloud_not_verified": _("Cloud adoption not verified"),
    "level4_self_assessment": _("Level 4 only in a self-assessment, not evaluated on site"),
    "level4_baseline_only": _("Level 4 only in a baseline evaluation, not after transformation"),
    "level4_in_other_period": _("First on-site level-4 evaluation falls in another period"),
    "level_below_2": _("Latest on-site evaluation below level 2"),
    "not_evaluated_on_site": _("No on-site evaluation up to the period's end"),
    "recognised_before_period": _("Recognised before the period"),
    "recognised_after_period": _("Recognised after the period or the as-of date"),
    "recognition_level_below_municipal": _("Recognised below the municipal level"),
    "designated_before_period": _("Designated a key provider before the period"),
    "designated_after_period": _("Designated a key provider after the period or the as-of date"),
}


@dataclass(frozen=True)
class NearMiss:
    """A record that nearly counted in a number: the record, why not (codes of
    :data:`NEAR_MISS_REASONS`, in the order checked) and ``day``, the date the rule looked at (or None)."""

    record: object
    reasons: tuple
    day: date | None = None

    @property
    def reason_labels(self):
        return [NEAR_MISS_REASONS[code] for code in self.reasons]


#: The split of the transformed enterprises each of 1–4 and 1+2 counts (see :func:`indicator_1` …).
_TRANSFORMED_SPLIT = {
    "1": Q(scale=Scale.ABOVE),
    "2": Q(scale=Scale.BELOW),
    "1+2": Q(),
    "3": Q(tier=Tier.LITTLE_GIANT),
    "4": Q(tier=Tier.SRDI),
}

#: The kinds (and levels) of recognition each of 7, 10–13 counts, whatever the date.
_RECOGNITION_KINDS = {
    "7": Q(kind__in=(RecognitionKind.DIGITAL_WORKSHOP, RecognitionKind.SMART_FACTORY)),
    "10": Q(kind=RecognitionKind.CHAIN_MODEL),
    "11": Q(kind__in=(RecognitionKind.SMART_FACTORY, RecognitionKind.DEMO_SCENARIO)),
    "12": Q(kind=RecognitionKind.TYPICAL_SCENARIO),
    "13": Q(kind=RecognitionKind.PLATFORM),
}


def _outside(day, w, before, after):
    """The reason code when ``day`` falls outside the counting window, else None."""
    if day is None:
        return None
    if day < w.first_day:
        return before
    if day > w.last_day:
        return after
    return None


def _listing_reasons(enterprise, w):
    """Why an enterprise is not counted as a pilot enterprise in the list at the as-of date."""
    reasons = []
    if enterprise.size == Size.LARGE:
        reasons.append("large_enterprise")
    if enterprise.status == Status.WITHDRAWN:
        if not (enterprise.withdrawn_on and enterprise.withdrawn_on > w.as_of):
            reasons.append("withdrawn")
    elif enterprise.status != Status.ACTIVE:
        reasons.append("not_in_pilot_list")
    return reasons


#: The facts of an enterprise each family of numbers reads (in its rule or its near-miss reasons):
#: the drill-down computes only these.
_FACTS_READ = {
    "transformed": ("first_pass", "any_pass", "has_accepted_diagnosis"),
    "5": (),
    "8": ("first_level4_post", "level4_self", "level4_baseline"),
    "R1": ("latest_level",),
    "R2": ("first_pass", "has_accepted_diagnosis", "latest_post_level"),
    "R3": (),
}


def _fact_expressions(w, names):
    """The facts ``names`` of :func:`enterprise_base` (plus ``any_pass``, the first passed acceptance at
    any date, and ``level4_self`` / ``level4_baseline``, a submitted level-4 self-assessment / on-site
    baseline), as annotations. On PostgreSQL they are aggregates over joins grouped by enterprise, as in
    :func:`grouped_enterprise_base` (one hash join per table instead of subqueries run once per
    enterprise and per reference); elsewhere (the embedded SQLite of ``make run``) correlated subqueries."""
    if connection.vendor != "postgresql":
        any_pass = Acceptance.objects.filter(project__enterprise=OuterRef("pk"), passed=True).order_by("accepted_on")
        level4 = Assessment.objects.filter(enterprise=OuterRef("pk"), status=AssessmentStatus.SUBMITTED, level=4)
        facts = {
            **_enterprise_facts(w),
            "any_pass": Subquery(any_pass.values("accepted_on")[:1]),
            "level4_self": Exists(level4.filter(method=Method.SELF)),
            "level4_baseline": Exists(level4.filter(method=Method.ONSITE, stage=Stage.BASELINE)),
        }
        return {name: facts[name] for name in names}
    passed = Q(projects__acceptances__passed=True)
    onsite = Q(assessments__method=Method.ONSITE, assessments__status=AssessmentStatus.SUBMITTED)
    up_to_cut = onsite & Q(assessments__evaluated_on__lte=w.cut)
    latest_first = _latest_assessment_first()
    level4 = Q(assessments__status=AssessmentStatus.SUBMITTED, assessments__level=4)
    # Joins that multiply rows change neither a minimum, nor the first element of an order, nor whether
    # a count is above 0.
    facts = {
        "first_pass": lambda: Min(
            "projects__acceptances__accepted_on", filter=passed & Q(projects__acceptances__accepted_on__gte=PILOT_START)
        ),
        "any_pass": lambda: Min("projects__acceptances__accepted_on", filter=passed),
        # A join rather than ``Exists``: the planner reads every accepted report for the subquery (a hash
        # of them) even for one unit's few hundred enterprises.
        "has_accepted_diagnosis": lambda: GreaterThan(
            Count("diagnoses", filter=Q(diagnoses__status=DiagnosisStatus.ACCEPTED, diagnoses__is_current=True)), 0
        ),
        "first_level4_post": lambda: Min(
            "assessments__evaluated_on", filter=onsite & Q(assessments__stage=Stage.POST, assessments__level=4)
        ),
        "latest_level": lambda: _FirstElement(ArrayAgg("assessments__level", filter=up_to_cut, order_by=latest_first)),
        "latest_post_level": lambda: _FirstElement(
            ArrayAgg("assessments__level", filter=up_to_cut & Q(assessments__stage=Stage.POST), order_by=latest_first)
        ),
        "level4_self": lambda: GreaterThan(Count("assessments", filter=level4 & Q(assessments__method=Method.SELF)), 0),
        "level4_baseline": lambda: GreaterThan(
            Count(
                "assessments", filter=level4 & Q(assessments__method=Method.ONSITE, assessments__stage=Stage.BASELINE)
            ),
            0,
        ),
    }
    return {name: facts[name]() for name in names}


@dataclass(frozen=True)
class _EnterpriseDrill:
    """How the drill-down of an enterprise number reads the enterprises of the report's unit (large
    ones and those not in the list included): ``candidates``, the enterprises that count or nearly
    count; ``listed``, those in the records list (for a count the enterprises counted, for a ratio its
    denominator); ``meets`` (ratios), the numerator's condition. A candidate not listed, or listed and
    not meeting a ratio's goal, is a near miss."""

    facts: tuple
    candidates: Q
    listed: Q
    meets: Q | None = None
    #: A condition every candidate meets, on the enterprise's rows only: narrows the grouping.
    narrowed: Q | None = None


def _enterprise_drill(w, number):
    in_list = pilot_enterprise() & in_pilot_list(w)
    if number in _TRANSFORMED_SPLIT:
        any_pass = Acceptance.objects.filter(project__enterprise=OuterRef("pk"), passed=True)
        return _EnterpriseDrill(
            facts=_FACTS_READ["transformed"],
            candidates=_TRANSFORMED_SPLIT[number] & Q(any_pass__isnull=False),
            listed=in_list & ENTERPRISE_COUNTS[number](w),
            narrowed=_TRANSFORMED_SPLIT[number] & Exists(any_pass),
        )
    if number == "5":
        return _EnterpriseDrill(
            facts=(), candidates=Q(cloud_verified_on__isnull=False), listed=in_list & indicator_5(w)
        )
    if number == "8":
        level4 = Assessment.objects.filter(enterprise=OuterRef("pk"), status=AssessmentStatus.SUBMITTED, level=4)
        return _EnterpriseDrill(
            facts=_FACTS_READ["8"],
            candidates=Q(first_level4_post__isnull=False) | Q(level4_self=True) | Q(level4_baseline=True),
            listed=in_list & indicator_8(w),
            narrowed=Exists(level4),
        )
    denominator, numerator = ENTERPRISE_RATIOS[number](w)
    # Enterprises never in the list (proposed, declined) are left out of the ratios.
    return _EnterpriseDrill(
        facts=_FACTS_READ[number],
        candidates=denominator & Q(status__in=(Status.ACTIVE, Status.WITHDRAWN)),
        listed=in_list & denominator,
        meets=numerator,
    )


def _flag(condition):
    return Case(When(condition, then=Value(True)), default=Value(False), output_field=BooleanField())


def _drill_enterprises(w, drill):
    """The candidates of ``drill`` (see :class:`_EnterpriseDrill`) with the facts it reads, and
    ``meets`` for a ratio."""
    qs = Enterprise.objects.all()
    if w.unit is not None:
        qs = qs.filter(unit=w.unit)
    if drill.narrowed is not None:
        qs = qs.filter(drill.narrowed)
    qs = qs.annotate(**_fact_expressions(w, drill.facts)).filter(drill.candidates)
    if drill.meets is not None:
        qs = qs.annotate(meets=_flag(drill.meets))
    return qs


_ORDER = ("unit__code", "name", "pk")


def _enterprise_miss(number, w, e):
    """The :class:`NearMiss` of enterprise ``e`` (a candidate not counted) in ``number``."""
    reasons = _listing_reasons(e, w)
    if number in _TRANSFORMED_SPLIT:
        if e.first_pass is None:
            reasons.append("accepted_before_pilot")
        else:
            reasons.append(_outside(e.first_pass, w, "accepted_before_period", "accepted_after_period"))
        if not e.has_accepted_diagnosis:
            reasons.append("no_accepted_diagnosis")
        return NearMiss(e, tuple(r for r in reasons if r), e.first_pass or e.any_pass)
    if number == "5":
        reasons.append(_outside(e.cloud_verified_on, w, "cloud_verified_before_period", "cloud_verified_after_period"))
        return NearMiss(e, tuple(r for r in reasons if r), e.cloud_verified_on)
    if number == "8":
        if e.first_level4_post is None:
            if e.level4_self:
                reasons.append("level4_self_assessment")
            if e.level4_baseline:
                reasons.append("level4_baseline_only")
        elif _outside(e.first_level4_post, w, True, True):
            reasons.append("level4_in_other_period")
        return NearMiss(e, tuple(reasons), e.first_level4_post)
    day = None
    if not e.meets:
        if number == "R3":
            day = e.cloud_verified_on
            reasons.append("cloud_not_verified" if day is None else "cloud_verified_after_period")
        else:
            level = e.latest_level if number == "R1" else e.latest_post_level
            reasons.append("not_evaluated_on_site" if level is None else "level_below_2")
    return NearMiss(e, tuple(reasons), day)


def _other_misses(w, number):
    """``(queryset, make)`` of the near misses of a number that counts recognitions, products or
    providers: the records in order, and the function giving a record's :class:`NearMiss`."""
    if number in RECOGNITION_COUNTS:
        rows = (
            recognition_base(w)
            .filter(_RECOGNITION_KINDS[number])
            .exclude(RECOGNITION_COUNTS[number](w))
            .select_related("enterprise__unit")
            .order_by("recognised_on", "pk")
        )

        def make(r):
            reasons = [_outside(r.recognised_on, w, "recognised_before_period", "recognised_after_period")]
            if number == "11" and r.level not in (RecognitionLevel.MUNICIPAL, RecognitionLevel.NATIONAL):
                reasons.append("recognition_level_below_municipal")
            return NearMiss(r, tuple(x for x in reasons if x), r.recognised_on)

        return rows, make
    if number == "6":
        rows = Product.objects.none() if w.unit is not None else Product.objects.filter(recognised_on__isnull=False)
        rows = rows.exclude(indicator_6(w)).select_related("provider").order_by("recognised_on", "pk")

        def make(p):
            reason = _outside(p.recognised_on, w, "recognised_before_period", "recognised_after_period")
            return NearMiss(p, (reason,), p.recognised_on)

        return rows, make
    if number == "9":
        rows = (
            Provider.objects.none() if w.unit is not None else Provider.objects.filter(key_provider_since__isnull=False)
        )
        rows = rows.exclude(indicator_9(w)).order_by("key_provider_since", "pk")

        def make(p):
            reason = _outside(p.key_provider_since, w, "designated_before_period", "designated_after_period")
            return NearMiss(p, (reason,), p.key_provider_since)

        return rows, make
    raise KeyError(number)


def near_misses(number, *, start, end, as_of, unit=None):
    """The records that nearly counted in ``number`` and why they were not, as a list of
    :class:`NearMiss` (one query, whatever the data size). The conditions are those :func:`compute`
    counts with, so a record is either counted (see :func:`records`) or listed here with its reasons:

    * 1–4, 1+2 (enterprises of the number's split with a passed acceptance at any date): withdrawn or
      not in the list, large enterprise, first passed acceptance before the pilot / before / after the
      period, no accepted current diagnosis;
    * 5 (enterprises with a cloud verification): withdrawn, large, verified before / after the period;
    * 8 (enterprises with any level-4 evaluation): withdrawn, large, level 4 only in a self-assessment
      (not on site) or only in a baseline, first on-site level-4 post evaluation in another period;
    * R1–R3 (the denominator's conditions): withdrawn, large; level below 2 or not evaluated on site
      (R1: any stage, R2: post-transformation), cloud adoption not verified or verified after the cut (R3);
      enterprises never in the list (proposed, declined) are left out of the ratios;
    * 7, 10–13 (recognitions of the number's kinds): recognised before / after the period; 11 also
      recognised below the municipal level;
    * 6 (recognised products) and 9 (key providers): dated before / after the period (none in a unit's report).

    :func:`drill_down` gives the first of them and their number, for a page.
    """
    w = _window(start, end, as_of, unit)
    number = str(number)
    if number in ENTERPRISE_COUNTS or number in ENTERPRISE_RATIOS:
        drill = _enterprise_drill(w, number)
        counted = drill.listed if drill.meets is None else drill.listed & drill.meets
        rows = (
            _drill_enterprises(w, drill)
            .annotate(counted=_flag(counted))
            .filter(counted=False)
            .select_related("unit")
            .order_by(*_ORDER)
        )
        return [_enterprise_miss(number, w, e) for e in rows]
    rows, make = _other_misses(w, number)
    return [make(r) for r in rows]


def drill_down(number, *, start, end, as_of, unit=None, page=1, per_page=100, misses_shown=200):
    """One page of the drill-down behind ``number``: the same records, in the same order, as
    :func:`records` and :func:`near_misses`, read a page at a time with the totals counted in the database.

    Returns ``{"counted": page ``page`` of the records (``per_page`` a page; enterprises carry the facts
    their rule reads, and ``meets`` for a ratio), "counted_total", "meets" (ratios: the records meeting
    the goal, else None), "misses": the first ``misses_shown`` near misses (:class:`NearMiss`),
    "misses_total"}``. Enterprises in two queries whatever the data size: the facts of every candidate
    are computed once and the counts, the page and the first near misses taken from them; then the
    records shown. Nothing for 6 and 9 in a unit's report."""
    w = _window(start, end, as_of, unit)
    number = str(number)
    offset = (page - 1) * per_page
    if number in ENTERPRISE_COUNTS or number in ENTERPRISE_RATIOS:
        return _enterprise_page(w, number, offset, per_page, misses_shown)
    found = records(number, start=start, end=end, as_of=as_of, unit=unit)
    if number in RECOGNITION_COUNTS:
        found = found.select_related("enterprise__unit")
    misses, make = _other_misses(w, number)
    return {
        "counted": list(found[offset : offset + per_page]),
        "counted_total": found.count(),
        "meets": None,
        "misses": [make(r) for r in misses[:misses_shown]],
        "misses_total": misses.count(),
    }


def _enterprise_page(w, number, offset, per_page, misses_shown):
    drill = _enterprise_drill(w, number)
    candidates = _drill_enterprises(w, drill).annotate(
        listed=_flag(drill.listed),
        goal=_flag(drill.meets if drill.meets is not None else Q(pk__isnull=False)),
        row_id=F("pk"),
        row_unit=F("unit__code"),
        row_name=F("name"),
    )
    inner, params = (
        candidates.values_list("row_id", "row_unit", "row_name", "listed", "goal").order_by().query.sql_with_params()
    )
    # The candidates' facts once (a CTE read three times is computed once), then the counts, the page of
    # records and the first near misses, each a top-N sort. A near miss: not listed, or not meeting the goal.
    sql = f"""
        WITH c AS ({inner})
        SELECT 0, 0, SUM(CASE WHEN listed THEN 1 ELSE 0 END),
            SUM(CASE WHEN listed AND goal THEN 0 ELSE 1 END), SUM(CASE WHEN listed AND goal THEN 1 ELSE 0 END)
        FROM c
        UNION ALL SELECT * FROM (
            SELECT 1, row_id, 0, 0, 0 FROM c WHERE listed ORDER BY row_unit, row_name, row_id LIMIT %s OFFSET %s
        ) AS counted
        UNION ALL SELECT * FROM (
            SELECT 2, row_id, 0, 0, 0 FROM c WHERE NOT (listed AND goal)
            ORDER BY row_unit, row_name, row_id LIMIT %s
        ) AS misses
    """  # noqa: S608 - the inner query is the ORM's, every value a parameter
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, per_page, offset, misses_shown])
        rows = cursor.fetchall()
    totals = next(row for row in rows if row[0] == 0)
    counted_ids = [row[1] for row in rows if row[0] == 1]
    miss_ids = [row[1] for row in rows if row[0] == 2]
    shown = {}
    if counted_ids or miss_ids:
        shown = {
            e.pk: e
            for e in _drill_enterprises(w, drill).filter(pk__in={*counted_ids, *miss_ids}).select_related("unit")
        }
    return {
        "counted": [shown[pk] for pk in counted_ids],
        "counted_total": totals[2] or 0,
        "meets": (totals[4] or 0) if drill.meets is not None else None,
        "misses": [_enterprise_miss(number, w, shown[pk]) for pk in miss_ids],
        "misses_total": totals[3] or 0,
    }


# --- The indicator report: target vs actual ---------------------------------------------------------


def as_number(value):
    """Counts as int, fractions as Decimal; None stays None (how stored number strings are read back)."""
    if value is None:
        return None
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return value.normalize()


def completion(actual, target):
    """Actual over target as a fraction with four places (None without a positive target)."""
    if actual is None or target is None or target <= 0:
        return None
    return (Decimal(actual) / Decimal(target)).quantize(FOUR_PLACES, rounding=ROUND_HALF_UP).normalize()


def shown(value, is_ratio):
    """A number as the pages and PDFs write it: ratios as per cent, counts as they are, empty as a dash."""
    if value is None:
        return "—"
    value = Decimal(value)
    if is_ratio:
        return f"{(value * 100).quantize(Decimal('0.1')).normalize():f}%"
    return f"{value.normalize():f}"


def completion_shown(value):
    """A completion fraction as a per cent with one decimal, a dash for none."""
    return format_percent(value)


def indicator_report(*, viewer, period, unit=None, as_of=None):
    """``{"period", "unit", "as_of", "indicators": [...]}`` with all 17 rows (docs/api.md)."""
    unit = report_scope(viewer, unit)
    return indicator_report_for_scope(period=period, unit=unit, as_of=parse_as_of(as_of))


def indicator_report_for_scope(*, period, unit, as_of):
    """The report for a scope already checked (``unit`` None = district-wide) at a parsed date."""
    end = period.end or as_of
    actuals = compute(start=period.start, end=end, as_of=as_of, unit=unit)
    # unit=None selects the district-wide targets (unit IS NULL).
    targets = dict(IndicatorTarget.objects.filter(period=period, unit=unit).values_list("indicator_id", "target"))
    rows = []
    for indicator in Indicator.objects.order_by("order"):
        applies = indicator.by_unit or unit is None
        target = as_number(targets.get(indicator.pk)) if applies else None
        actual = as_number(actuals.get(indicator.number)) if applies else None
        rows.append(
            {
                "number": indicator.number,
                "name": indicator.name,
                "unit_of_measure": indicator.unit_of_measure,
                "target": target,
                "actual": actual,
                "completion": completion(actual, target),
            }
        )
    return {
        "period": period.code,
        "unit": unit.code if unit else None,
        "as_of": as_of.isoformat(),
        "indicators": rows,
    }
