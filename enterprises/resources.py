"""django-import-export resources: the roster's columns with their Chinese headers.

:class:`EnterpriseResource` is the definition of the 试点企业清单 export (``enterprises.exports``
streams it) and django-import-export's plain row-by-row import of the same file (the baseline of
``bench/roster_import.py``). The portal's own import (``enterprises.imports``) reads and checks the
same columns in bulk with the rules of docs/api.md, which a row-by-row resource cannot apply
(duplicates within the file, scope, one transaction).
"""

from django.utils import translation
from import_export import fields, resources, widgets

from core.models import OrgUnit
from core.selectors import unit_lookup
from core.tabular import cells

from . import roster
from .choices import Status
from .models import Enterprise


class CreditCodeWidget(widgets.CharWidget):
    """Normalises a code (full-width, lower case, spaces, dashes) and refuses an invalid one."""

    def clean(self, value, row=None, **kwargs):
        code, problem = cells.parse_credit_code(value)
        if problem:
            raise ValueError(problem)
        return code


class ChoiceLabelWidget(widgets.Widget):
    """A coded column: written as its Chinese label, read as a label or a code (any quotation marks)."""

    def __init__(self, key, **kwargs):
        super().__init__(**kwargs)
        self.key = key

    def clean(self, value, row=None, **kwargs):
        text = cells.cell_text(value)
        if not text and self.key == "tier":
            return "none"
        code = roster.choice_table(self.key).get(cells.value_key(text))
        if code is None:
            raise ValueError(f"“{text}”: {roster.allowed_labels(self.key)}")
        return code

    def render(self, value, obj=None, **kwargs):
        return roster.choice_label(self.key, value) if value else ""


class StatusWidget(widgets.Widget):
    """The enterprise's status, in Chinese whatever the reader's language (the headers are Chinese)."""

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("zh-hans"):
            return str(Status(value).label)


class UnitWidget(widgets.ForeignKeyWidget):
    """所属街镇: written as the unit's name, read by code, name, name without suffix or alias."""

    def __init__(self, **kwargs):
        super().__init__(OrgUnit, field="name", **kwargs)
        self._table = None

    def clean(self, value, row=None, **kwargs):
        if self._table is None:
            self._table = roster.unit_table(unit_lookup())
        unit = self._table.get(cells.value_key(cells.cell_text(value)))
        if unit is None:
            raise ValueError(f"“{value}”")
        return unit

    def render(self, value, obj=None, **kwargs):
        return value.name if value is not None else ""


def _column(key):
    return roster.COLUMNS_BY_KEY[key].header


class EnterpriseResource(resources.ModelResource):
    """The roster columns (re-importable) followed by the list's own facts (export only)."""

    credit_code = fields.Field(attribute="credit_code", column_name=_column("credit_code"), widget=CreditCodeWidget())
    name = fields.Field(attribute="name", column_name=_column("name"), widget=widgets.CharWidget())
    unit = fields.Field(attribute="unit", column_name=_column("unit"), widget=UnitWidget())
    sector = fields.Field(attribute="sector", column_name=_column("sector"), widget=ChoiceLabelWidget("sector"))
    scale = fields.Field(attribute="scale", column_name=_column("scale"), widget=ChoiceLabelWidget("scale"))
    size = fields.Field(attribute="size", column_name=_column("size"), widget=ChoiceLabelWidget("size"))
    tier = fields.Field(attribute="tier", column_name=_column("tier"), widget=ChoiceLabelWidget("tier"))
    contact_name = fields.Field(attribute="contact_name", column_name=_column("contact_name"))
    contact_phone = fields.Field(attribute="contact_phone", column_name=_column("contact_phone"))
    registered_address = fields.Field(attribute="registered_address", column_name=_column("registered_address"))
    main_products = fields.Field(attribute="main_products", column_name=_column("main_products"))
    employees = fields.Field(
        attribute="employees", column_name=_column("employees"), widget=widgets.IntegerWidget(coerce_to_string=False)
    )
    revenue = fields.Field(
        attribute="revenue", column_name=_column("revenue"), widget=widgets.DecimalWidget(coerce_to_string=False)
    )
    status = fields.Field(attribute="status", column_name="状态", widget=StatusWidget(), readonly=True)
    pilot_year = fields.Field(
        attribute="pilot_year",
        column_name="试点年度",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )
    cloud_verified_on = fields.Field(
        attribute="cloud_verified_on",
        column_name="上云用云核验日期",
        widget=widgets.DateWidget(coerce_to_string=False),
        readonly=True,
    )
    baseline_level = fields.Field(
        attribute="baseline_level",
        column_name="基线数字化水平",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )
    current_level = fields.Field(
        attribute="current_level",
        column_name="当前数字化水平",
        widget=widgets.IntegerWidget(coerce_to_string=False),
        readonly=True,
    )

    class Meta:
        model = Enterprise
        import_id_fields = ("credit_code",)
        # The roster's columns, then the facts an export adds (read-only).
        fields = (
            *roster.KEYS,
            "status",
            "pilot_year",
            "cloud_verified_on",
            "baseline_level",
            "current_level",
        )
        export_order = fields
        skip_unchanged = True
        report_skipped = True
        chunk_size = 2000
