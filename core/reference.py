"""Loading reference data (organisation units) from the data files under ``core/data/``.

Used by the data migration and by the test suite's re-seeding fixture, with whichever
model class the caller has (the historical one inside a migration).
"""

import json
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent / "data"
DEFAULT_DISTRICT_FILE = DATA_DIR / "units_310117.json"


def read_units(path=DEFAULT_DISTRICT_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def _save_unit(OrgUnit, data, parent):
    unit, _created = OrgUnit.objects.update_or_create(
        code=data["code"],
        defaults={"name": data["name"], "kind": data["kind"], "aliases": data.get("aliases", []), "parent": parent},
    )
    return unit


def load_units(OrgUnit, path=DEFAULT_DISTRICT_FILE):
    """Create or update the district and its units as a two-level tree. Idempotent."""
    data = read_units(path)
    district = _save_unit(OrgUnit, data["district"], None)
    for unit in data["units"]:
        _save_unit(OrgUnit, unit, district)
    return district
