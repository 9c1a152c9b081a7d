"""Loading an index edition (docs/domain.md §5) from its data file under ``diagnostics/data/``.

Used by the data migration and by the test suite's re-seeding fixture, with whichever model
classes the caller has (the historical ones inside a migration). Another edition is loaded the
same way from another file.
"""

import json
from pathlib import Path

from django.apps import apps as live_apps

DATA_DIR = Path(__file__).resolve().parent / "data"
INDEX_2024_FILE = DATA_DIR / "index_2024.json"

MODEL_NAMES = ("IndexEdition", "Dimension", "Item", "Option", "Scene", "LevelRule")


def read_index(path=INDEX_2024_FILE):
    with open(path, encoding="utf-8") as handle:
        return json.load(handle)


def load_index(models, path=INDEX_2024_FILE, *, current=True):
    """Create (or replace) the edition in ``path``. ``models`` maps the names in
    :data:`MODEL_NAMES` to model classes. Idempotent; returns the edition."""
    data = read_index(path)
    IndexEdition = models["IndexEdition"]
    if current:
        IndexEdition.objects.filter(is_current=True).exclude(code=data["code"]).update(is_current=False)
    edition, _created = IndexEdition.objects.update_or_create(
        code=data["code"],
        defaults={"name": data["name"], "document": data.get("document", ""), "is_current": current},
    )
    edition.dimensions.all().delete()
    edition.scenes.all().delete()
    edition.level_rules.all().delete()
    for d_order, dim in enumerate(data["dimensions"], start=1):
        dimension = models["Dimension"].objects.create(
            edition=edition,
            code=dim["code"],
            name=dim["name"],
            scored=dim["scored"],
            max_points=dim["max_points"],
            order=d_order,
        )
        for i_order, it in enumerate(dim["items"], start=1):
            item = models["Item"].objects.create(
                dimension=dimension,
                code=it["code"],
                secondary=it.get("secondary", ""),
                name=it["name"],
                kind=it["kind"],
                max_points=it["max_points"],
                help_text=it.get("help", ""),
                order=i_order,
            )
            models["Option"].objects.bulk_create(
                models["Option"](
                    item=item,
                    number=op["number"],
                    code=op.get("code", ""),
                    label=op["label"],
                    points=op["points"],
                    upper_bound=op.get("upper_bound"),
                )
                for op in it["options"]
            )
    models["Scene"].objects.bulk_create(
        models["Scene"](
            edition=edition,
            code=sc["code"],
            name=sc["name"],
            group=sc["group"],
            constraint=sc["constraint"],
            level_descriptions=sc.get("levels", {}),
            order=order,
        )
        for order, sc in enumerate(data["scenes"], start=1)
    )
    models["LevelRule"].objects.bulk_create(
        models["LevelRule"](edition=edition, **rule) for rule in data["level_rules"]
    )
    return edition


def app_models(apps=None):
    """The model classes :func:`load_index` needs, from ``apps`` (a migration's registry) or the live app."""
    if apps is None:
        apps = live_apps
    return {name: apps.get_model("diagnostics", name) for name in MODEL_NAMES}
