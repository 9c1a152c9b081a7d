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


def load_units(OrgUnit, path=DEFAULT_DISTRICT_FILE):
    """Create or update the district and its units as a two-level tree. Idempotent."""
    data = read_units(path)
    district_data = data["district"]
    district, _created = OrgUnit.objects.update_or_create(
        code=district_data["code"],
        defaults={
            "name": district_data["name"],
            "kind": district_data["kind"],
            "aliases": district_data.get("aliases", []),
            "parent": None,
        },
    )
    for unit in data["units"]:
        OrgUnit.objects.update_or_create(
            code=unit["code"],
            defaults={
                "name": unit["name"],
                "kind": unit["kind"],
                "aliases": unit.get("aliases", []),
                "parent": district,
            },
        )
    return district
