"""Loading the indicator table (periods, indicators, district targets) from ``reports/data/``."""

import json
from pathlib import Path

DEFAULT_FILE = Path(__file__).resolve().parent / "data" / "indicators_310117.json"


def load_indicators(ReportingPeriod, Indicator, IndicatorTarget, path=DEFAULT_FILE):
    """Create or update the periods, the indicators and their district-wide targets. Idempotent;
    targets already allocated to units are left alone."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    periods = {}
    for order, period in enumerate(data["periods"], start=1):
        periods[period["code"]], _ = ReportingPeriod.objects.update_or_create(
            code=period["code"],
            defaults={"name": period["name"], "start": period["start"], "end": period["end"], "order": order},
        )
    for order, row in enumerate(data["indicators"], start=1):
        indicator, _ = Indicator.objects.update_or_create(
            number=row["number"],
            defaults={
                "name": row["name"],
                "category": row["category"],
                "unit_of_measure": row["unit_of_measure"],
                "is_ratio": row["is_ratio"],
                "by_unit": row["by_unit"],
                "order": order,
            },
        )
        for code, target in row["targets"].items():
            IndicatorTarget.objects.update_or_create(
                indicator=indicator, period=periods[code], unit=None, defaults={"target": target}
            )
