"""The roster's columns: the enterprise roster as a :class:`~core.tabular.schema.Schema`, its coded
values, the check of one row (:func:`parse_row`) and the blank template (docs/api.md "Roster files").

The file is read by :mod:`core.tabular.reading` (:func:`open_roster` opens it with the roster's
schema and row limit); the rows are written by :mod:`enterprises.imports`. Pure: it reads reference
data it is given and never writes to the database.
"""

import functools
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.comments import Comment
from openpyxl.styles import Font

from core import credit_code as cc
from core.tabular import reading
from core.tabular.cells import cell_text, is_blank, parse_credit_code, parse_text, plain_number_text, value_key
from core.tabular.schema import Column, Schema
from core.tabular.writing import TemplateWorkbook

from .choices import Scale, Sector, Size, Tier

#: Data rows one roster may hold (``PORTAL_ROSTER_MAX_ROWS`` changes it).
MAX_ROWS = reading.MAX_ROWS


def max_rows():
    return getattr(settings, "PORTAL_ROSTER_MAX_ROWS", MAX_ROWS)


# --- Columns -------------------------------------------------------------------------------------

COLUMNS = (
    Column(
        "credit_code",
        "统一社会信用代码",
        True,
        ("credit_code", "credit code", "unified social credit code", "USCC", "信用代码", "社会信用代码"),
        18,
    ),
    Column(
        "name", "企业名称", True, ("name", "enterprise name", "enterprise", "company name", "company", "企业名"), 200
    ),
    Column("unit", "所属街镇", True, ("unit", "street/town", "street or town", "town", "街镇", "所属街道", "属地")),
    Column("sector", "细分行业", True, ("sector", "sub-sector", "subsector", "industry", "行业")),
    Column("scale", "统计口径", True, ("scale", "statistical scale", "规上规下")),
    Column("size", "企业规模", True, ("size", "enterprise size", "company size", "规模")),
    # A blank tier means none; the column itself may be left out (new rows get none, updates keep theirs).
    Column("tier", "优质中小企业梯度", False, ("tier", "quality-SME tier", "quality SME tier", "梯度", "企业梯度")),
    Column("contact_name", "联系人", False, ("contact_name", "contact", "contact person", "contact name"), 64),
    Column("contact_phone", "联系电话", False, ("contact_phone", "contact phone", "phone", "telephone", "电话"), 32),
    Column(
        "registered_address",
        "注册地址",
        False,
        ("registered_address", "registered address", "address", "地址"),
        255,
    ),
    Column("main_products", "主营产品", False, ("main_products", "main products", "products"), 500),
    Column("employees", "从业人数", False, ("employees", "employee count", "number of employees", "staff")),
    Column("revenue", "营业收入（万元）", False, ("revenue", "revenue (10k yuan)", "营业收入")),
)
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
KEYS = tuple(c.key for c in COLUMNS)
HEADERS = tuple(c.header for c in COLUMNS)
REQUIRED_KEYS = tuple(c.key for c in COLUMNS if c.required)
#: Optional facts: on update, a blank cell keeps the stored value.
OPTIONAL_TEXT_KEYS = ("contact_name", "contact_phone", "registered_address", "main_products")
OPTIONAL_NUMBER_KEYS = ("employees", "revenue")
CODED_KEYS = ("sector", "scale", "size", "tier")
ROSTER = Schema(COLUMNS, anchor="credit_code")


def open_roster(fileobj, *, name="", row_limit=None):
    """Check and open an uploaded roster (a seekable binary file object); use as a context manager."""
    return reading.open_file(fileobj, schema=ROSTER, name=name, row_limit=row_limit or max_rows())


# --- Coded values (labels or codes) --------------------------------------------------------------

#: The Chinese labels of docs/api.md "Codes" (the form rosters use), first label = the one written.
CHOICE_LABELS = {
    "sector": {
        Sector.HIGH_END_EQUIPMENT: ("高端装备", "高端装备制造"),
        Sector.AUTO_PARTS: ("汽车零部件",),
        Sector.ELECTRONICS: ("电子元器件及设备", "电子元器件和设备"),
        Sector.OTHER: ("其他",),
    },
    "scale": {Scale.ABOVE: ("规上", "规模以上"), Scale.BELOW: ("规下", "规模以下")},
    "size": {
        Size.LARGE: ("大型", "大"),
        Size.MEDIUM: ("中型", "中"),
        Size.SMALL: ("小型", "小"),
        Size.MICRO: ("微型", "微"),
    },
    "tier": {
        Tier.NONE: ("无",),
        Tier.INNOVATIVE: ("创新型中小企业", "创新型"),
        Tier.SRDI: ("专精特新中小企业", "专精特新"),
        Tier.LITTLE_GIANT: ('专精特新"小巨人"', '专精特新"小巨人"企业', "小巨人"),
    },
}
CHOICE_CLASSES = {"sector": Sector, "scale": Scale, "size": Size, "tier": Tier}


@functools.cache
def choice_table(key):
    """``{normalised label or code: code}`` for a coded column: codes, the contract's Chinese labels,
    and the labels the interface shows in each language."""
    table = {}
    choices = CHOICE_CLASSES[key]
    for code in choices.values:
        table[value_key(code)] = code
    for code, labels in CHOICE_LABELS[key].items():
        for label in labels:
            table[value_key(label)] = str(code)
    for language in ("en", "zh-hans"):
        with translation.override(language):
            for code, label in choices.choices:
                table.setdefault(value_key(label), code)
    return table


def choice_label(key, code):
    """The Chinese label written for a code (templates, exports)."""
    labels = CHOICE_LABELS[key].get(code)
    return labels[0] if labels else code


def allowed_labels(key):
    return "、".join(labels[0] for labels in CHOICE_LABELS[key].values())


def unit_table(lookup):
    """``{normalised name: unit}`` from :func:`core.selectors.unit_lookup`'s table (codes, names, aliases)."""
    return {value_key(name): unit for name, unit in lookup.items()}


# --- Parsing rows ------------------------------------------------------------------------------------


@dataclass
class ParsedRow:
    """One data row: its spreadsheet row number, normalised values, and errors ``(column, message)``.

    ``values`` holds the columns present in the file: required ones always (when valid), optional
    ones only when filled in (a blank optional cell keeps the stored value on update); ``tier`` is
    ``none`` when its column is present and blank.
    """

    row: int
    values: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    credit_code: str = ""

    def error(self, column, message):
        self.errors.append((column, str(message)))


def _parse_text(column, value, row, header):
    text, message = parse_text(value, max_length=column.max_length)
    if message:
        row.error(header, message)
    return text


def _parse_choice(key, value, row, header):
    text = cell_text(value)
    if not text:
        if key == "tier":
            return Tier.NONE.value
        row.error(header, _("Fill in this column with one of: {allowed}.").format(allowed=allowed_labels(key)))
        return None
    code = choice_table(key).get(value_key(text))
    if code is None:
        row.error(
            header,
            _("“{value}” is not an allowed value. Use one of: {allowed}.").format(
                value=text, allowed=allowed_labels(key)
            ),
        )
    return code


def _parse_unit(value, row, header, units):
    text = cell_text(value)
    if not text:
        row.error(header, _("Fill in the street/town: its name (such as 岳阳街道) or its 9-digit code."))
        return None
    unit = units.get(value_key(text))
    if unit is None:
        row.error(
            header,
            _(
                "“{value}” is not one of the district's streets/towns. Use a name or code from the list in the "
                "template (for example 岳阳街道 or 310117001)."
            ).format(value=text),
        )
    return unit


def _parse_employees(value, row, header):
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    else:
        try:
            number = Decimal(plain_number_text(value))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number < 0 or number != number.to_integral_value():
        row.error(
            header,
            _("The number of employees must be a whole number, 0 or more (such as 120); “{value}” is not.").format(
                value=cell_text(value)
            ),
        )
        return None
    if number > 2_147_483_647:
        row.error(header, _("This number of employees is too large; check the cell."))
        return None
    return int(number)


def _parse_revenue(value, row, header):
    """Revenue in 万元 (not yuan): 0 or more, rounded half up to two places."""
    if isinstance(value, bool):
        number = None
    elif isinstance(value, (int, float)):
        number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    else:
        try:
            number = Decimal(plain_number_text(value))
        except InvalidOperation:
            number = None
    if number is None or not number.is_finite() or number < 0:
        row.error(
            header,
            _("Revenue must be a number, 0 or more, in 10,000 yuan (such as 3500.5); “{value}” is not.").format(
                value=cell_text(value)
            ),
        )
        return None
    if number >= Decimal("1000000000000"):
        row.error(header, _("This revenue is too large; it is entered in 10,000 yuan. Check the cell."))
        return None
    return number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def parse_row(number, cells, layout, *, units):
    """Check one data row and normalise its values. ``units`` is :func:`unit_table`'s mapping."""
    row = ParsedRow(row=number)
    for key, position in layout.index.items():
        value = cells[position]
        header = layout.headers[position]
        column = COLUMNS_BY_KEY[key]
        if key == "credit_code":
            code, message = parse_credit_code(value)
            row.credit_code = code
            if message:
                row.error(header, message)
            else:
                row.values["credit_code"] = code
        elif key == "name":
            text = _parse_text(column, value, row, header)
            if text == "":
                row.error(header, _("Fill in the enterprise's name."))
            elif text:
                row.values["name"] = text
        elif key == "unit":
            unit = _parse_unit(value, row, header, units)
            if unit is not None:
                row.values["unit"] = unit
        elif key in CODED_KEYS:
            code = _parse_choice(key, value, row, header)
            if code is not None:
                row.values[key] = code
        elif is_blank(value):
            continue  # a blank optional cell: nothing to write (updates keep the stored value)
        elif key == "employees":
            parsed = _parse_employees(value, row, header)
            if parsed is not None:
                row.values[key] = parsed
        elif key == "revenue":
            parsed = _parse_revenue(value, row, header)
            if parsed is not None:
                row.values[key] = parsed
        else:
            text = _parse_text(column, value, row, header)
            if text:
                row.values[key] = text
    return row


# --- The template ------------------------------------------------------------------------------------


def example_row(credit_code):
    """A valid example row, in the order of :data:`COLUMNS`."""
    return (
        credit_code,
        "上海松江示例精密机械有限公司",
        "岳阳街道",
        choice_label("sector", Sector.HIGH_END_EQUIPMENT),
        choice_label("scale", Scale.ABOVE),
        choice_label("size", Size.SMALL),
        choice_label("tier", Tier.SRDI),
        "张伟",
        "13912345678",
        "上海市松江区岳阳街道示例路1号",
        "数控加工中心、精密减速机",
        120,
        3500.5,
    )


EXAMPLE_CREDIT_CODE_BODY = "91310117MA1J00001"


def example_credit_code():
    return EXAMPLE_CREDIT_CODE_BODY + cc.check_character(EXAMPLE_CREDIT_CODE_BODY)


def write_template(units):
    """The blank roster. Sheet 1 (企业名单) has the headers, credit codes formatted as text and drop-down
    lists for the coded columns; sheet 2 (填写说明) explains each column and shows an example row with a
    valid credit code; sheet 3 (允许值) lists the allowed values and the units. Returns xlsx bytes."""
    units = list(units)
    template = TemplateWorkbook()
    sheet = template.data_sheet("企业名单", COLUMNS, text_keys=("credit_code",))
    sheet.column_dimensions["B"].width = 34
    sheet["A1"].comment = Comment("18 位统一社会信用代码，请以文本格式填写。", "松江区")

    template.note("试点企业名单填写说明", font=Font(bold=True, size=14))
    template.note()
    template.column_help(COLUMNS, GUIDANCE)
    template.note()
    template.note("信用代码已登记的企业将被更新：选填列留空表示保留原值。同一文件中信用代码不得重复。")
    template.note("街镇工作人员只能导入本街镇的企业；企业变更属地请由区级管理人员在企业页面办理。")
    template.note()
    template.note("示例行（仅供参考，请在“企业名单”工作表中填写真实企业）：")
    template.note(*HEADERS, font=template.bold)
    template.note(*example_row(example_credit_code()))
    for letter, width in (("A", 24), ("B", 30), ("C", 60)):
        template.notes.column_dimensions[letter].width = width

    lists = [
        ("sector", "细分行业", [labels[0] for labels in CHOICE_LABELS["sector"].values()]),
        ("scale", "统计口径", [labels[0] for labels in CHOICE_LABELS["scale"].values()]),
        ("size", "企业规模", [labels[0] for labels in CHOICE_LABELS["size"].values()]),
        ("tier", "优质中小企业梯度", [labels[0] for labels in CHOICE_LABELS["tier"].values()]),
        ("unit", "所属街镇", [u.name for u in units]),
        (None, "街镇代码", [u.code for u in units]),
    ]
    ranges = template.allowed_values(
        [(title, values, 30 if key in ("unit", "tier") else 18) for key, title, values in lists]
    )
    for key, title, _values in lists:
        if key:
            template.dropdown(sheet, COLUMNS, key, ranges[title])
    return template.to_bytes()


GUIDANCE = {
    "credit_code": "18 位统一社会信用代码；请设为文本格式，避免 Excel 把代码变成数字、丢失末尾数位",
    "name": "企业全称",
    "unit": "街镇名称或 9 位代码，见“允许值”工作表",
    "sector": "见“允许值”工作表，可填名称或代码",
    "scale": "规上 或 规下",
    "size": "大型、中型、小型 或 微型",
    "tier": "见“允许值”工作表；留空表示“无”",
    "contact_name": "",
    "contact_phone": "",
    "registered_address": "",
    "main_products": "",
    "employees": "0 或正整数",
    "revenue": "单位：万元；0 或正数",
}
