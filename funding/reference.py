"""The programme's fund sources and default subsidy policy (data, from ``funding/data/``)."""

import json
from pathlib import Path

FUNDS_FILE = Path(__file__).resolve().parent / "data" / "programme_funds.json"


def load_funds(FundSource, SubsidyPolicy, path=FUNDS_FILE):
    """Create the fund sources (updated by code) and, when none exists, the default policy. Idempotent."""
    with open(path, encoding="utf-8") as handle:
        data = json.load(handle)
    for source in data["sources"]:
        FundSource.objects.update_or_create(
            code=source["code"], defaults={k: v for k, v in source.items() if k != "code"}
        )
    if not SubsidyPolicy.objects.exists():
        for policy in data["policies"]:
            SubsidyPolicy.objects.create(**policy)
