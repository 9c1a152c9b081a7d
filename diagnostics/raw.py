"""Raw numbers → answers: how band and outcome answers are derived from what the evaluator enters.

docs/domain.md §5: band items are computed from the raw numbers the evaluator enters (equipment counts,
digital spend and revenue, energy, pass rate, employees, cost); the raw numbers are kept in
``raw`` and the derived answers in ``answers`` (both shown on the pages).

Raw numbers are a flat ``{key: value}`` map (keys in :data:`RAW_FIELDS`), each value a number or a
decimal string. :func:`derive` turns them into answers in the scoring engine's form:

* ``equipment_digitised_rate`` = digitised / total production equipment × 100;
* ``equipment_networked_rate`` = networked / total × 100;
* ``funding_ratio`` = the average of the yearly ratios digital spend / revenue × 100 over the
  last three years, or over the years for which both numbers are given;
* ``energy`` compares the energy used per 100 yuan of revenue before the transformation and now
  (lower is ``better``);
* ``quality`` compares the monthly pass rate before and now (higher is ``better``);
* ``revenue_per_employee`` compares revenue / employees of the previous year and this year
  (higher is ``better``);
* ``cost_ratio`` compares cost per 100 yuan of revenue (cost / revenue × 100) of the previous
  year and this year (lower is ``better``).

**Exactness.** Percentages are computed as exact fractions and then rounded *up* to four decimal
places. Band edges have at most four decimals, so rounding up never moves a value across an edge:
a value exactly on an edge stays on it (and belongs to that band), a value just above it stays above.

**"Same".** Two compared values are the same when they are equal once each is rounded to two
decimal places (half up) in the unit the evaluator entered them in: 5.004 and 5.001 are the same,
5.01 and 5.00 are not.

An item is derived only when its raw numbers are given; a group given only in part is an error
(``{raw key or item code: [messages]}``), so nothing is silently guessed.
"""

import math
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction

from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

HUNDRED = Fraction(100)
PERCENT_PLACES = Decimal("0.0001")
SAME_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class RawField:
    key: str
    label: str
    whole: bool = False  # a count (whole number) rather than an amount
    unit: str = ""


@dataclass(frozen=True)
class RawGroup:
    """The raw numbers one item is derived from."""

    item: str
    fields: tuple[RawField, ...]
    explanation: str


# Labels are lazy: read when rendered, in the reader's language.
RAW_GROUPS = (
    RawGroup(
        "equipment_digitised_rate",
        (
            RawField(
                "equipment_total", gettext_lazy("Production equipment, total"), whole=True, unit=gettext_lazy("units")
            ),
            RawField(
                "equipment_digitised",
                gettext_lazy("Digitised production equipment"),
                whole=True,
                unit=gettext_lazy("units"),
            ),
        ),
        gettext_lazy("Digitised ÷ total production equipment."),
    ),
    RawGroup(
        "equipment_networked_rate",
        (
            RawField(
                "equipment_networked",
                gettext_lazy("Networked production equipment"),
                whole=True,
                unit=gettext_lazy("units"),
            ),
        ),
        gettext_lazy("Networked ÷ total production equipment (the total is entered above)."),
    ),
    RawGroup(
        "funding_ratio",
        tuple(
            field
            for year in (1, 2, 3)
            for field in (
                RawField(
                    f"spend_y{year}",
                    format_lazy(gettext_lazy("Digital spend, year {n}"), n=year),
                    unit=gettext_lazy("10k yuan"),
                ),
                RawField(
                    f"revenue_y{year}",
                    format_lazy(gettext_lazy("Revenue, year {n}"), n=year),
                    unit=gettext_lazy("10k yuan"),
                ),
            )
        ),
        gettext_lazy(
            "Average of the yearly ratios digital spend ÷ revenue over the last three years "
            "(year 1 is the earliest), or over the years for which both are given."
        ),
    ),
    RawGroup(
        "energy",
        (
            RawField(
                "energy_before", gettext_lazy("Energy per 100 yuan of revenue, before"), unit=gettext_lazy("kgce")
            ),
            RawField("energy_now", gettext_lazy("Energy per 100 yuan of revenue, now"), unit=gettext_lazy("kgce")),
        ),
        gettext_lazy("Lower energy use per 100 yuan of revenue is better."),
    ),
    RawGroup(
        "quality",
        (
            RawField("pass_rate_before", gettext_lazy("Monthly pass rate, before"), unit="%"),
            RawField("pass_rate_now", gettext_lazy("Monthly pass rate, now"), unit="%"),
        ),
        gettext_lazy("A higher monthly pass rate is better."),
    ),
    RawGroup(
        "revenue_per_employee",
        (
            RawField("revenue_previous", gettext_lazy("Revenue, previous year"), unit=gettext_lazy("10k yuan")),
            RawField(
                "employees_previous", gettext_lazy("Employees, previous year"), whole=True, unit=gettext_lazy("people")
            ),
            RawField("revenue_current", gettext_lazy("Revenue, this year"), unit=gettext_lazy("10k yuan")),
            RawField(
                "employees_current", gettext_lazy("Employees, this year"), whole=True, unit=gettext_lazy("people")
            ),
        ),
        gettext_lazy("Revenue per employee this year against the previous year; higher is better."),
    ),
    RawGroup(
        "cost_ratio",
        (
            RawField("cost_previous", gettext_lazy("Operating cost, previous year"), unit=gettext_lazy("10k yuan")),
            RawField("cost_current", gettext_lazy("Operating cost, this year"), unit=gettext_lazy("10k yuan")),
        ),
        gettext_lazy(
            "Cost per 100 yuan of revenue (revenue as entered above) this year against the previous year; lower is better."
        ),
    ),
)

RAW_FIELDS = {field.key: field for group in RAW_GROUPS for field in group.fields}
GROUPS_BY_ITEM = {group.item: group for group in RAW_GROUPS}


def _parse(key, value, errors):
    """A non-negative Decimal (whole for counts), ``None`` when blank; records an error otherwise."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    field = RAW_FIELDS[key]
    if isinstance(value, bool):
        errors.setdefault(key, []).append(_("Enter a number."))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        errors.setdefault(key, []).append(_("Enter a number."))
        return None
    try:
        number = Decimal(str(value).strip().replace(",", ""))
    except InvalidOperation:
        errors.setdefault(key, []).append(_("Enter a number."))
        return None
    if not number.is_finite():
        errors.setdefault(key, []).append(_("Enter a number."))
        return None
    if number < 0:
        errors.setdefault(key, []).append(_("A negative number is impossible here."))
        return None
    if field.whole and number != number.to_integral_value():
        errors.setdefault(key, []).append(_("Enter a whole number."))
        return None
    return number


def clean_raw(raw):
    """Validate raw numbers one by one: ``({key: Decimal}, errors)`` with blanks left out."""
    errors = {}
    values = {}
    if raw is None:
        return values, errors
    if not isinstance(raw, dict):
        return values, {"raw": [_("Raw numbers are an object of name → number.")]}
    for key, value in raw.items():
        if key not in RAW_FIELDS:
            errors[key] = [_("Unknown raw number.")]
            continue
        number = _parse(key, value, errors)
        if number is not None:
            values[key] = number
    return values, errors


def percentage(numerator, denominator):
    """numerator ÷ denominator × 100 rounded up to four decimals (see the module's note)."""
    exact = Fraction(numerator) / Fraction(denominator) * HUNDRED
    return _ceil4(exact)


def _ceil4(exact):
    scaled = exact * 10000
    whole = scaled.numerator // scaled.denominator
    if whole * scaled.denominator != scaled.numerator:
        whole += 1
    return (Decimal(whole) / Decimal(10000)).quantize(PERCENT_PLACES, rounding=ROUND_CEILING)


def compare(before, now, *, lower_is_better):
    """``better``, ``same`` or ``worse``: equal at two decimals (half up) is ``same``."""
    a = Decimal(before).quantize(SAME_PLACES, rounding=ROUND_HALF_UP)
    b = Decimal(now).quantize(SAME_PLACES, rounding=ROUND_HALF_UP)
    if a == b:
        return "same"
    improved = b < a if lower_is_better else b > a
    return "better" if improved else "worse"


def _json_number(value):
    """A Decimal as a JSON-friendly number whose text is exact (int when whole)."""
    value = Decimal(value)
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _need(values, keys, errors, item):
    """True when every key is given; an error on the missing ones when only some are."""
    given = [k for k in keys if k in values]
    if not given:
        return False
    missing = [k for k in keys if k not in values]
    if missing:
        errors.setdefault(item, []).append(
            _("Enter also: {fields}.").format(fields=", ".join(str(RAW_FIELDS[k].label) for k in missing))
        )
        return False
    return True


def derive(raw):
    """Derive answers from raw numbers.

    Returns ``(answers, details, errors)``: ``answers`` holds only the items whose raw numbers were
    given ({item code: answer in the engine's form}); ``details`` the intermediate figures for
    display ({item code: {"value": …, "before": …, "now": …, "years": […]}}); ``errors`` maps
    raw keys or item codes to messages. Nothing is derived for an item with an error.
    """
    values, errors = clean_raw(raw)
    answers = {}
    details = {}

    total = values.get("equipment_total")
    for item, key in (
        ("equipment_digitised_rate", "equipment_digitised"),
        ("equipment_networked_rate", "equipment_networked"),
    ):
        if key not in values:
            continue
        if total is None:
            errors.setdefault(item, []).append(_("Enter the total number of production equipment."))
            continue
        if total == 0:
            errors.setdefault("equipment_total", []).append(
                _("The total number of production equipment cannot be 0 when equipment is counted.")
            )
            continue
        if values[key] > total:
            errors.setdefault(key, []).append(_("This cannot be more than the total production equipment."))
            continue
        value = percentage(values[key], total)
        answers[item] = _json_number(value)
        details[item] = {"value": value}

    years = []
    funding_bad = False
    for year in (1, 2, 3):
        spend, revenue = values.get(f"spend_y{year}"), values.get(f"revenue_y{year}")
        if spend is None and revenue is None:
            continue
        if spend is None or revenue is None:
            errors.setdefault("funding_ratio", []).append(
                _("Year {n}: enter both the digital spend and the revenue.").format(n=year)
            )
            funding_bad = True
            continue
        if revenue == 0:
            errors.setdefault(f"revenue_y{year}", []).append(_("Revenue cannot be 0 when a ratio is computed."))
            funding_bad = True
            continue
        if spend > revenue:
            errors.setdefault(f"spend_y{year}", []).append(_("Digital spend cannot be more than the year's revenue."))
            funding_bad = True
            continue
        years.append((year, Fraction(spend) / Fraction(revenue) * HUNDRED))
    funding_bad = funding_bad or any(k.startswith(("spend_y", "revenue_y")) for k in errors)
    if years and not funding_bad:
        average = sum((ratio for _n, ratio in years), Fraction(0)) / len(years)
        value = _ceil4(average)
        answers["funding_ratio"] = _json_number(value)
        details["funding_ratio"] = {"value": value, "years": [(n, _ceil4(r)) for n, r in years]}

    def outcome(item, before, now, *, lower_is_better):
        answers[item] = compare(before, now, lower_is_better=lower_is_better)
        details[item] = {"before": before, "now": now}

    if _need(values, ("energy_before", "energy_now"), errors, "energy"):
        outcome("energy", values["energy_before"], values["energy_now"], lower_is_better=True)
    if _need(values, ("pass_rate_before", "pass_rate_now"), errors, "quality"):
        bad = [k for k in ("pass_rate_before", "pass_rate_now") if values[k] > 100]
        for key in bad:
            errors.setdefault(key, []).append(_("A pass rate cannot be above 100%."))
        if not bad:
            outcome("quality", values["pass_rate_before"], values["pass_rate_now"], lower_is_better=False)

    keys = ("revenue_previous", "employees_previous", "revenue_current", "employees_current")
    if _need(values, keys, errors, "revenue_per_employee"):
        zero = [k for k in ("employees_previous", "employees_current") if values[k] == 0]
        for key in zero:
            errors.setdefault(key, []).append(_("The number of employees cannot be 0 here."))
        if not zero:
            before = _quotient(values["revenue_previous"], values["employees_previous"])
            now = _quotient(values["revenue_current"], values["employees_current"])
            outcome("revenue_per_employee", before, now, lower_is_better=False)

    cost_keys = ("cost_previous", "cost_current")
    if any(k in values for k in cost_keys) and _need(
        values, (*cost_keys, "revenue_previous", "revenue_current"), errors, "cost_ratio"
    ):
        zero = [k for k in ("revenue_previous", "revenue_current") if values[k] == 0]
        for key in zero:
            errors.setdefault(key, []).append(_("Revenue cannot be 0 when a ratio is computed."))
        if not zero:
            before = _quotient(values["cost_previous"] * 100, values["revenue_previous"])
            now = _quotient(values["cost_current"] * 100, values["revenue_current"])
            outcome("cost_ratio", before, now, lower_is_better=True)

    for item in list(answers):
        if item in errors:
            answers.pop(item)
            details.pop(item, None)
    return answers, details, errors


def _quotient(a, b):
    """a ÷ b to 6 decimals (compared at 2 decimals, so 6 is plenty and stays exact enough)."""
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)


def normalise_raw(raw):
    """Raw numbers as stored: ``{key: "decimal text"}`` with blanks dropped (assumes :func:`clean_raw` passed)."""
    values, _errors = clean_raw(raw)
    return {key: _text(value) for key, value in values.items()}


def _text(value):
    value = value.normalize()
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value, "f")
